// parse(text(v)) reproduces v for random valid configurations, and no input, however
// mangled, makes a parser throw anything but QuorumConfigError (or anything at all, for
// notification configs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isHierarchical,
  parseDynamicConfig,
  parseNotificationConfig,
  parseZooCfg,
  QuorumConfigError,
  QuorumHierarchical,
  QuorumMaj,
  serversEqual,
  type QuorumServer,
  type QuorumVerifier,
} from '../src/index.js';

const host = fc.oneof(
  fc.constantFrom('zk1', 'zk-2.example.com', '10.0.0.7', '127.0.0.1', '0:0:0:0:0:0:0:1', 'fe80:0:0:0:0:0:0:1', '2001:db8:0:0:0:0:0:7'),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
);
const port = fc.integer({ min: 0, max: 65535 });
const address = fc
  .record({ host, quorumPort: port, electionPort: port })
  .filter((a) => a.quorumPort !== a.electionPort);
const serverBody = fc.record({
  addresses: fc.array(address, { minLength: 1, maxLength: 3 }),
  type: fc.constantFrom<'participant' | 'observer'>('participant', 'participant', 'observer'),
  clientAddress: fc.option(fc.record({ host: fc.oneof(host, fc.constant('0.0.0.0')), port }), { nil: null }),
});
const version = fc.bigInt({ min: 0n, max: (1n << 63n) - 1n });

const config: fc.Arbitrary<QuorumVerifier> = fc
  .record({
    sids: fc.uniqueArray(fc.bigInt({ min: 0n, max: 1n << 40n }), { maxLength: 9 }),
    bodies: fc.array(serverBody, { minLength: 9, maxLength: 9 }),
    version,
    hierarchical: fc.boolean(),
    groupSeeds: fc.array(fc.nat({ max: 3 }), { minLength: 9, maxLength: 9 }),
    weights: fc.array(fc.option(fc.nat({ max: 5 }), { nil: undefined }), { minLength: 9, maxLength: 9 }),
  })
  .map(({ sids, bodies, version: v, hierarchical, groupSeeds, weights }) => {
    let servers: QuorumServer[] = sids.map((sid, i) => ({ sid, ...(bodies[i] as (typeof bodies)[number]) }));
    const voters = servers.filter((s) => s.type === 'participant').length;
    if (voters < 2) servers = servers.filter((s) => s.type === 'participant');
    if (!hierarchical) return new QuorumMaj(servers, v);
    const groups = new Map<bigint, bigint[]>();
    const explicit: [bigint, number][] = [];
    servers.forEach((s, i) => {
      const w = weights[i];
      // Observers may only sit in a group with an explicit weight.
      if (s.type === 'observer' && w === undefined) return;
      const gid = BigInt(groupSeeds[i] as number);
      groups.set(gid, [...(groups.get(gid) ?? []), s.sid]);
      if (w !== undefined) explicit.push([s.sid, w]);
    });
    // With no group/weight line the text cannot say "hierarchical" (same in ZooKeeper).
    if (groups.size === 0 && explicit.length === 0) return new QuorumMaj(servers, v);
    return new QuorumHierarchical({ servers, groups, weights: explicit, version: v });
  });

function sameStructure(a: QuorumVerifier, b: QuorumVerifier): void {
  expect(b.kind).toBe(a.kind);
  expect(b.version).toBe(a.version);
  expect([...b.members.keys()]).toEqual([...a.members.keys()]);
  for (const [sid, s] of a.members) expect(serversEqual(s, b.members.get(sid) as QuorumServer)).toBe(true);
  if (isHierarchical(a) && isHierarchical(b)) {
    expect([...b.groups]).toEqual([...a.groups]);
    expect([...b.weights]).toEqual([...a.weights]);
  }
}

describe('parse(text(v)) equals v', () => {
  it('notification config text', () => {
    fc.assert(
      fc.property(config, (v) => {
        const text = v.toString();
        const r = parseNotificationConfig(new TextEncoder().encode(text), { multiAddressEnabled: true });
        if (!r.ok) throw r.error;
        expect(r.verifier.toString()).toBe(text);
        sameStructure(v, r.verifier);
        expect(r.verifier.equals(v)).toBe(true);
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('dynamic config file (version from the file name)', () => {
    fc.assert(
      fc.property(config, (v) => {
        const text = v.toString().replace(/(^|\n)version=[0-9a-f]+$/, '');
        const d = parseDynamicConfig(text, { file: `zoo.cfg.dynamic.${v.version.toString(16)}`, multiAddressEnabled: true });
        expect(d.verifier.toString()).toBe(v.toString());
        sameStructure(v, d.verifier);
      }),
      { numRuns: 300, seed: 8 },
    );
  });
});

const interesting = 'server.group.weight=:;|[]\\#!\n\r\t 0123456789abcfxyz-+u%version';
const junk = fc.array(fc.constantFrom(...interesting.split('')), { maxLength: 120 }).map((cs) => cs.join(''));
const mutated = fc
  .tuple(config, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...interesting.split('')), fc.boolean()), { maxLength: 6 }))
  .map(([v, edits]) => {
    let text = v.toString();
    for (const [at, ch, insert] of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + ch + text.slice(insert ? i : i + 1);
    }
    return text;
  });
// Lines with a real key and a value built from the characters server specs are made of.
const specChars = 'a1:;|[]%.+-f '.split('');
const keyed = fc
  .array(
    fc.tuple(
      fc.constantFrom('server.1', 'server.2', 'server.3', 'group.1', 'group.2', 'weight.1', 'weight.3', 'version', 'multiAddress.enabled'),
      fc.array(fc.constantFrom(...specChars), { maxLength: 24 }).map((cs) => cs.join('')),
    ),
    { maxLength: 6 },
  )
  .map((lines) => lines.map(([k, v]) => `${k}=${v}`).join('\n'));
const anyText = fc.oneof(junk, mutated, keyed, fc.string({ maxLength: 80 }));

describe('parsers never crash', () => {
  it('parseZooCfg throws only QuorumConfigError', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, withDataDir) => {
        try {
          parseZooCfg(withDataDir ? `dataDir=/d\ninitLimit=1\nsyncLimit=1\n${text}` : text, { file: 'fuzz.cfg' });
        } catch (e) {
          if (!QuorumConfigError.isInstance(e)) throw e;
          expect(e.file).toBe('fuzz.cfg');
          expect(e.message).toMatch(/expected/);
        }
      }),
      { numRuns: 1500, seed: 9 },
    );
  });

  it('parseNotificationConfig never throws', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.uint8Array({ maxLength: 200 })), fc.boolean(), (input, standaloneEnabled) => {
        const r = parseNotificationConfig(input, { standaloneEnabled });
        if (!r.ok) expect(QuorumConfigError.isInstance(r.error)).toBe(true);
      }),
      { numRuns: 1500, seed: 10 },
    );
  });
});
