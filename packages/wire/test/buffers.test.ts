// Node hands out Buffers that are views into a shared slab at arbitrary offsets; the codecs must
// read relative to byteOffset, and a WireError from one module copy must be recognised by another.

import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import * as wire from '../src/index.js';
import { frameHex, hexOf, i32, i64, notificationHex } from './helpers.js';

describe('Buffer views at odd offsets', () => {
  const payloadHex = notificationHex({ state: 2, leader: 9n, zxid: -2n, electionEpoch: 4n, peerEpoch: 3n, tail: i32(2) + i32(2) + '6869' });

  it('parse reads relative to byteOffset', () => {
    const slab = Buffer.from('ffffff' + payloadHex + 'eeee', 'hex');
    const n = wire.parse(slab.subarray(3, slab.length - 2));
    expect(n).toMatchObject({ state: 2, leader: 9n, zxid: -2n, electionEpoch: 4n, peerEpoch: 3n, layout: 'v2' });
    expect(wire.configText(n)).toBe('hi');
  });

  it('parseHandshake and FrameDecoder read relative to byteOffset', () => {
    const hs = i64(-65536n) + i64(42n) + i32(6) + Buffer.from('h:3888').toString('hex');
    const slab = Buffer.from('01' + hs + frameHex(payloadHex) + frameHex('abcd'), 'hex');
    const r = wire.parseHandshake(slab.subarray(1));
    if (r.status !== 'ok') throw new Error('expected ok');
    expect(r.handshake.sid).toBe(42n);
    const frames = new wire.FrameDecoder().push(slab.subarray(1 + r.consumed));
    expect(frames.map(hexOf)).toEqual([payloadHex, 'abcd']);
    expect(wire.parse(frames[0]!).leader).toBe(9n);
  });

  it('buildMsg output is a plain Uint8Array that Buffer.from can wrap', () => {
    const out = wire.buildMsg({ state: 2, leader: 9n, zxid: -2n, electionEpoch: 4n, peerEpoch: 3n, config: 'hi' });
    expect(Buffer.from(out).toString('hex')).toBe(payloadHex);
  });
});

describe('WireError', () => {
  it('is recognised across realms by its brand, and carries code and message', () => {
    const e = new wire.WireError('BAD_PORT', 'expected a port, got x');
    expect(wire.WireError.isInstance(e)).toBe(true);
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.message]).toEqual(['WireError', 'BAD_PORT', 'expected a port, got x']);
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@zkvote/wire.WireError')]: true, code: 'BAD_PORT' });
    expect(wire.WireError.isInstance(foreign)).toBe(true);
    for (const other of [new Error('x'), null, undefined, 'WireError', { code: 'BAD_PORT' }]) {
      expect(wire.WireError.isInstance(other)).toBe(false);
    }
  });
});

describe('public surface (docs/DESIGN.md contract)', () => {
  it('exports the contract names', () => {
    for (const name of [
      'ServerState', 'stateName', 'buildMsg', 'parse', 'tryParse', 'configText', 'encodeFrame', 'FrameDecoder',
      'buildHandshake', 'parseHandshake', 'HandshakeReader', 'zxidEpoch', 'zxidCounter', 'makeZxid', 'formatZxid',
      'formatZxid0x', 'WireError', 'PROTOCOL_VERSION_V1', 'PROTOCOL_VERSION_V2',
    ]) {
      expect(wire, name).toHaveProperty(name);
    }
    expect([wire.ServerState.LOOKING, wire.ServerState.FOLLOWING, wire.ServerState.LEADING, wire.ServerState.OBSERVING]).toEqual([0, 1, 2, 3]);
    expect([wire.PROTOCOL_VERSION_V1, wire.PROTOCOL_VERSION_V2]).toEqual([-65536n, -65535n]);
  });

  it('toHex/fromHex round trip and fromHex rejects bad text with a WireError', () => {
    expect(wire.toHex(wire.fromHex('00 ff 7A'))).toBe('00ff7a');
    for (const bad of ['0', 'zz', 12 as unknown as string]) {
      let code: string | undefined;
      try {
        wire.fromHex(bad);
      } catch (e) {
        code = wire.WireError.isInstance(e) ? e.code : 'other';
      }
      expect(code).toBe('BAD_INPUT');
    }
  });
});
