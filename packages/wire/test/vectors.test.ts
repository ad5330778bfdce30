// Acceptance 1: every captured handshake and notification decodes to the recorded fields and
// re-encodes byte for byte.

import { describe, expect, it } from 'vitest';
import vectors from './fixtures/zk-3.8.0-election-frames.json' with { type: 'json' };
import {
  buildHandshake,
  buildMsg,
  configText,
  encodeFrame,
  FrameDecoder,
  parse,
  parseHandshake,
  stateName,
  formatZxid0x,
} from '../src/index.js';
import { bytes, hexOf } from './helpers.js';

interface Vector {
  scenario: string;
  kind: 'handshake' | 'notification';
  hex: string;
  direction: string;
  from_sid: number;
  decoded: Record<string, unknown>;
}

const all = vectors as Vector[];
const handshakes = all.filter((v) => v.kind === 'handshake');
const notifications = all.filter((v) => v.kind === 'notification');
const big = (v: unknown) => BigInt(String(v));

describe('captured handshakes', () => {
  it('has handshakes to check', () => expect(handshakes.length).toBeGreaterThan(5));

  it.each(handshakes.map((v, i) => [`${i} ${v.scenario} ${v.direction}`, v] as const))('%s', (_name, v) => {
    const input = bytes(v.hex);
    const d = v.decoded;
    const result = parseHandshake(input);
    if (result.status !== 'ok') throw new Error('expected a complete handshake');
    expect(result.consumed).toBe(input.length);
    const hs = result.handshake;
    expect(hs.protocol).toBe(d.protocol_version === -65536 ? 'v1' : 'v2');
    expect(hs.sid).toBe(big(d.sid));
    expect(hs.sid).toBe(big(v.from_sid));
    expect(hs.rawAddress).toBe(d.addr);
    expect(new TextEncoder().encode(hs.rawAddress!).length).toBe(d.addr_len);
    const [host, port] = String(d.addr).split(':');
    expect(hs.addresses).toEqual([{ host, port: Number(port) }]);
    expect(hs.observerId).toBe(false);

    expect(hexOf(buildHandshake({ sid: hs.sid, addresses: hs.rawAddress!, protocol: hs.protocol }))).toBe(v.hex);
    expect(hexOf(buildHandshake({ sid: hs.sid, addresses: hs.addresses, protocol: hs.protocol }))).toBe(v.hex);
  });
});

describe('captured notifications', () => {
  it('has notifications to check', () => expect(notifications.length).toBeGreaterThan(20));

  it.each(notifications.map((v, i) => [`${i} ${v.scenario} ${v.direction}`, v] as const))('%s', (_name, v) => {
    const frame = bytes(v.hex);
    const d = v.decoded;
    const payloads = new FrameDecoder().push(frame);
    expect(payloads).toHaveLength(1);
    const payload = payloads[0]!;
    expect(payload.length).toBe(d.frame_length);

    const n = parse(payload);
    expect(n.layout).toBe('v2');
    expect(n.state).toBe(d.state);
    expect(stateName(n.state)).toBe(d.state_name);
    expect(n.leader).toBe(big(d.leader));
    expect(n.zxid).toBe(big(d.zxid));
    expect(formatZxid0x(n.zxid)).toBe(d.zxid_hex);
    expect(n.electionEpoch).toBe(big(d.electionEpoch));
    expect(n.peerEpoch).toBe(big(d.peerEpoch));
    expect(n.version).toBe(d.version);
    expect(n.config?.length).toBe(d.config_length);
    expect(configText(n)).toBe(d.config);
    expect(n.ignoredBytes).toBe(0);

    expect(hexOf(encodeFrame(buildMsg(n)))).toBe(v.hex);
    expect(hexOf(encodeFrame(buildMsg({ ...n, config: configText(n) })))).toBe(v.hex);
  });
});
