// Acceptance 3: fast-check properties. Round trips over the full int64 range in every layout,
// a naive second implementation of the 3.5.8+ size rules, and "any bytes end as a value or a
// WireError, never another exception" for parse, parseHandshake and FrameDecoder.

import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildHandshake,
  buildMsg,
  FrameDecoder,
  parse,
  parseHandshake,
  WireError,
  type HostPort,
} from '../src/index.js';
import { frameHex, hexOf, i32, notificationHex } from './helpers.js';

const runs = (numRuns: number) => ({ numRuns, seed: 20261122 });
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const fields = fc.record({ state: int32, leader: int64, zxid: int64, electionEpoch: int64, peerEpoch: int64 });

/** Only WireErrors may escape; returns the code, or null when fn returned normally. */
function codeOrNull(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!WireError.isInstance(e)) throw e;
    return e.code;
  }
}

describe('notification round trips over the full int64 range', () => {
  it('v2', () => {
    const arb = fc.record({
      f: fields,
      version: fc.integer({ min: 2, max: 0x7fffffff }),
      config: fc.uint8Array({ maxLength: 64 }),
    });
    fc.assert(
      fc.property(arb, ({ f, version, config }) => {
        const payload = buildMsg({ ...f, version, config }, 'v2');
        const tail = i32(version) + i32(config.length) + hexOf(config);
        expect(hexOf(payload)).toBe(notificationHex({ ...f, tail }));
        expect(parse(payload)).toEqual({ ...f, version, config, layout: 'v2', ignoredBytes: 0 });
      }),
      runs(500),
    );
  });

  it('v0-40: version 1 on the wire, read back as version 0', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const payload = buildMsg(f, 'v0-40');
        expect(hexOf(payload)).toBe(notificationHex({ ...f, tail: i32(1) }));
        expect(parse(payload)).toEqual({ ...f, version: 0, config: null, layout: 'v0-40', ignoredBytes: 0 });
      }),
      runs(500),
    );
  });

  it('legacy28: peerEpoch is lost and derived from the zxid (floor of zxid / 2^32)', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const payload = buildMsg(f, 'legacy28');
        const { peerEpoch: _dropped, ...rest } = f;
        expect(hexOf(payload)).toBe(notificationHex(rest));
        const floorDiv = (f.zxid - (((f.zxid % 4294967296n) + 4294967296n) % 4294967296n)) / 4294967296n;
        expect(parse(payload)).toEqual({ ...rest, peerEpoch: floorDiv, version: 0, config: null, layout: 'legacy28', ignoredBytes: 0 });
      }),
      runs(500),
    );
  });
});

/** Naive reading of PROTOCOL.md §3.3's table: outcome code or layout for a payload. */
function modelOutcome(b: Buffer): string {
  const cap = b.length;
  if (cap < 28) return 'SHORT_NOTIFICATION';
  if (cap === 28) return 'legacy28';
  if (cap < 40) return 'BAD_LAYOUT';
  if (cap === 40) return 'v0-40';
  const version = b.readInt32BE(36);
  if (version <= 1) return 'extended';
  if (cap < 44) return 'BAD_LAYOUT';
  const len = b.readInt32BE(40);
  if (len < 0 || len > cap) return 'BAD_CONFIG_LENGTH';
  if (44 + len > cap) return 'TRUNCATED_CONFIG';
  return 'v2';
}

describe('parse on arbitrary bytes', () => {
  // Random bytes rarely hit the interesting sizes and config lengths, so also build payloads
  // around a v2 header with a random version and config length.
  const structured = fc
    .record({
      head: fc.uint8Array({ minLength: 36, maxLength: 36 }),
      version: fc.oneof(fc.integer({ min: -2, max: 4 }), int32),
      configLength: fc.oneof(fc.integer({ min: -3, max: 40 }), int32),
      body: fc.uint8Array({ maxLength: 40 }),
      cut: fc.nat(90),
    })
    .map(({ head, version, configLength, body, cut }) => {
      const b = Buffer.concat([head, Buffer.from(i32(version) + i32(configLength), 'hex'), body]);
      return new Uint8Array(b.subarray(0, Math.min(cut, b.length)));
    });
  const payloads = fc.oneof(fc.uint8Array({ maxLength: 80 }), structured);

  it('agrees with the naive model and throws nothing but WireError', () => {
    fc.assert(
      fc.property(payloads, (payload) => {
        let outcome: string;
        try {
          outcome = parse(payload).layout;
        } catch (e) {
          if (!WireError.isInstance(e)) throw e;
          outcome = e.code;
        }
        expect(outcome).toBe(modelOutcome(Buffer.from(payload)));
      }),
      runs(3000),
    );
  });
});

describe('handshake', () => {
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
  const ipv6Full = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'));
  const hostname = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?$/);
  const hostPort: fc.Arbitrary<HostPort> = fc.record({
    host: fc.oneof(ipv4, ipv6Full, hostname, fc.constantFrom('0.0.0.0', '::', '0:0:0:0:0:0:0:0', '::1')),
    port: fc.integer({ min: 0, max: 65535 }),
  });
  const isWildcard = (h: string) => h === '0.0.0.0' || /^[0:]+$/.test(h);

  it('round trips sid and addresses (wildcards dropped) for v1, v2 and legacy', () => {
    const arb = fc.record({
      sid: int64,
      protocol: fc.constantFrom('v1' as const, 'v2' as const, 'legacy' as const),
      addresses: fc.array(hostPort, { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(arb, ({ sid, protocol, addresses }) => {
        const list = protocol === 'v1' ? addresses.slice(0, 1) : addresses;
        if (protocol === 'legacy' && sid < 0n) {
          expect(codeOrNull(() => buildHandshake({ sid, protocol }))).toBe('OUT_OF_RANGE');
          return;
        }
        const wire = buildHandshake({ sid, protocol, addresses: list });
        const r = parseHandshake(wire);
        if (r.status !== 'ok') throw new Error('expected ok');
        expect(r.consumed).toBe(wire.length);
        expect(r.handshake.sid).toBe(sid);
        expect(r.handshake.protocol).toBe(protocol);
        expect(r.handshake.addresses).toEqual(protocol === 'legacy' ? [] : list.filter((a) => !isWildcard(a.host)));
      }),
      runs(500),
    );
  });

  it('arbitrary bytes give need-more, ok or a WireError', () => {
    const versionPrefix = fc.constantFrom('ffffffffffff0000', 'ffffffffffff0001');
    const address = fc.string({ unit: fc.constantFrom(...'0123456789.:[]|abf-'.split('')), maxLength: 30 });
    const structured = fc
      .record({ v: versionPrefix, sid: int64, address, lengthDelta: fc.integer({ min: -3, max: 3 }) })
      .map(({ v, sid, address, lengthDelta }) => {
        const body = Buffer.from(address, 'utf8');
        return new Uint8Array(
          Buffer.concat([Buffer.from(v, 'hex'), bigBytes(sid), int32Bytes(body.length + lengthDelta), body]),
        );
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), structured), (buf) => {
        codeOrNull(() => {
          const r = parseHandshake(buf);
          if (r.status === 'ok') expect(r.consumed).toBeLessThanOrEqual(buf.length);
        });
      }),
      runs(3000),
    );
  });
});

function bigBytes(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
}
function int32Bytes(v: number): Buffer {
  return Buffer.from(i32(v), 'hex');
}

describe('FrameDecoder', () => {
  const payloadsArb = fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 12 });
  const splitPoints = fc.array(fc.nat(4000), { maxLength: 20 });

  function chunked(stream: Uint8Array, cuts: number[]): Uint8Array[] {
    const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
    const out: Uint8Array[] = [];
    let prev = 0;
    for (const p of [...points, stream.length]) {
      out.push(stream.subarray(prev, p));
      prev = p;
    }
    return out;
  }

  /** Frames delivered (hex) and the error code that ended the stream, if any. */
  function decodeAll(chunks: Uint8Array[]): { frames: string[]; code: string | null } {
    const d = new FrameDecoder({ maxLength: 1000 });
    const frames: string[] = [];
    const code = codeOrNull(() => {
      for (const c of chunks) d.feed(c, (f) => frames.push(hexOf(f)));
    });
    return { frames, code };
  }

  it('random chunking yields the same frames as one chunk', () => {
    fc.assert(
      fc.property(payloadsArb, splitPoints, (payloads, cuts) => {
        const stream = Buffer.from(payloads.map((p) => frameHex(hexOf(p))).join(''), 'hex');
        const whole = decodeAll([stream]);
        expect(whole).toEqual({ frames: payloads.map(hexOf), code: null });
        expect(decodeAll(chunked(stream, cuts))).toEqual(whole);
      }),
      runs(500),
    );
  });

  it('arbitrary byte streams: same frames and same error however they are chunked', () => {
    const junk = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .array(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 20 }).map((p) => frameHex(hexOf(p))), fc.constantFrom('00000000', 'ffffffec', '7fffffff', '000003e9', '000003e8')), { maxLength: 6 })
        .map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'hex'))),
    );
    fc.assert(
      fc.property(junk, splitPoints, (stream, cuts) => {
        const whole = decodeAll([stream]);
        const pieces = decodeAll(chunked(stream, cuts));
        // A frame whose bytes never all arrived is not delivered either way.
        expect(pieces).toEqual(whole);
      }),
      runs(1500),
    );
  });
});
