import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { buildMsg, encodeFrame, FrameDecoder, parse, WireError, ServerState } from '../src/index.js';
import { bytes, frameHex, hexOf, i32, notificationHex, thrown } from './helpers.js';

describe('smoke', () => {
  it('builds the PROTOCOL.md §3.2 worked example', () => {
    const config =
      'server.1=10.0.0.1:2888:3888:participant\nserver.2=10.0.0.2:2888:3888:participant\n' +
      'server.3=10.0.0.3:2888:3888:participant\nversion=0';
    const payload = buildMsg({
      state: ServerState.LOOKING,
      leader: 3n,
      zxid: 0x100000005n,
      electionEpoch: 1n,
      peerEpoch: 1n,
      config,
    });
    const tail = i32(2) + i32(129) + Buffer.from(config).toString('hex');
    const expected = frameHex(notificationHex({ state: 0, leader: 3n, zxid: 0x100000005n, electionEpoch: 1n, peerEpoch: 1n, tail }));
    expect(expected.slice(0, 8)).toBe('000000ad');
    expect(hexOf(encodeFrame(payload))).toBe(expected);
    expect(parse(payload).zxid).toBe(0x100000005n);
  });

  it('rejects a short payload with a typed error', () => {
    const e = thrown(() => parse(bytes('00')));
    expect(WireError.isInstance(e)).toBe(true);
    expect((e as WireError).code).toBe('SHORT_NOTIFICATION');
  });

  it('decodes frames split across chunks', () => {
    const d = new FrameDecoder();
    expect(d.push(bytes('0000'))).toEqual([]);
    expect(d.push(bytes('0002ab')).map(hexOf)).toEqual([]);
    expect(d.push(bytes('cd00000001ef')).map(hexOf)).toEqual(['abcd', 'ef']);
  });
});
