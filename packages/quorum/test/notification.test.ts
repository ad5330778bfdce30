import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNotificationConfig } from '../src/index.js';

interface Frame { decoded?: { config?: string }; hex?: string }
const frames = JSON.parse(readFileSync(new URL('./fixtures/zk-3.8.0-election-frames.json', import.meta.url), 'utf8')) as Frame[];
const captured = [...new Set(frames.map((f) => f.decoded?.config).filter((c): c is string => typeof c === 'string'))];

describe('config texts captured from ZooKeeper 3.8.0', () => {
  it('has captured texts', () => expect(captured.length).toBeGreaterThan(0));

  it.each(captured)('parses and re-renders byte-identically: %j', (text) => {
    const r = parseNotificationConfig(new TextEncoder().encode(text));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.verifier.toString()).toBe(text);
  });

  it('the raw frame bytes carry the same text', () => {
    for (const f of frames) {
      const cfg = f.decoded?.config;
      if (!cfg || !f.hex) continue;
      const bytes = Buffer.from(f.hex, 'hex');
      const tail = bytes.subarray(bytes.length - Buffer.byteLength(cfg));
      const r = parseNotificationConfig(new Uint8Array(tail));
      expect(r.ok && r.verifier.toString()).toBe(cfg);
    }
  });
});

describe('parseNotificationConfig never throws', () => {
  it('returns an error for ZooKeeper\'s own invalid-config test payload', () => {
    const r = parseNotificationConfig('my very invalid config string');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('UNRECOGNISED_PARAMETER');
  });

  it.each([
    ['server.x=h:1:2', 'BAD_ID'],
    ['server.1=h:1:2\nversion=zz', 'BAD_VERSION'],
    ['server.1=h:1:99999', 'PORT_OUT_OF_RANGE'],
    ['server.1=h:1:2:observer', 'OBSERVERS_WITHOUT_PARTICIPANTS'],
    ['server.1=h:1:2\nserver.2=h:3:4:observer', 'OBSERVERS_WITHOUT_QUORUM'],
    ['server.1=h:1:2\ngroup.1=', 'BAD_GROUP'],
  ])('%j → %s (ZooKeeper would kill its receiver thread)', (text, code) => {
    const r = parseNotificationConfig(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('empty config is an empty majority config, version 0, unless standaloneEnabled=false', () => {
    const r = parseNotificationConfig(new Uint8Array(0));
    expect(r.ok && r.verifier.toString()).toBe('version=0');
    const s = parseNotificationConfig('', { standaloneEnabled: false });
    expect(!s.ok && s.error.code).toBe('NO_PARTICIPANTS');
  });
});
