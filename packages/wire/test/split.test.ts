// Real ZooKeeper writes the frame length and the payload in separate segments, and TCP may cut
// anywhere: every captured message, and every connection's whole byte stream, is split at
// every offset and must decode exactly as when it arrives in one piece.

import { describe, expect, it } from 'vitest';
import vectors from './fixtures/zk-3.8.0-election-frames.json' with { type: 'json' };
import { FrameDecoder, HandshakeReader, parse } from '../src/index.js';
import { bytes, hexOf } from './helpers.js';
import { receive } from './receiver.js';

interface Vector {
  scenario: string;
  conn?: number;
  direction: string;
  kind: 'handshake' | 'notification';
  hex: string;
}
const all = vectors as Vector[];

describe('split at every offset', () => {
  it('each captured handshake', () => {
    for (const v of all.filter((x) => x.kind === 'handshake')) {
      const whole = bytes(v.hex);
      for (let cut = 0; cut <= whole.length; cut++) {
        const reader = new HandshakeReader();
        const first = reader.push(whole.subarray(0, cut));
        const result = first.status === 'ok' ? first : reader.push(whole.subarray(cut));
        if (result.status !== 'ok') throw new Error(`no handshake when cut at ${cut}`);
        expect(result.rest).toHaveLength(0);
        expect(result.handshake.rawAddress).toMatch(/^127\.0\.0\.1:\d+$/);
      }
    }
  });

  it('each captured notification frame', () => {
    for (const v of all.filter((x) => x.kind === 'notification')) {
      const whole = bytes(v.hex);
      const expected = hexOf(whole.subarray(4));
      for (let cut = 0; cut <= whole.length; cut++) {
        const d = new FrameDecoder();
        const frames = [...d.push(whole.subarray(0, cut)), ...d.push(whole.subarray(cut))];
        expect(frames.map(hexOf)).toEqual([expected]);
        expect(parse(frames[0]!).layout).toBe('v2');
      }
    }
  });

  it('each captured connection stream, cut in two and in three pieces', () => {
    const streams = new Map<string, Vector[]>();
    for (const v of all) {
      const key = `${v.scenario}/${v.conn ?? v.direction}/${v.direction}`;
      streams.set(key, [...(streams.get(key) ?? []), v]);
    }
    let checked = 0;
    for (const msgs of streams.values()) {
      if (msgs[0]?.kind !== 'handshake') continue;
      const stream = bytes(msgs.map((m) => m.hex).join(''));
      const reference = receive([stream]);
      expect(reference.fatal).toBeNull();
      expect(reference.frames).toHaveLength(msgs.length - 1);
      const summary = (r: ReturnType<typeof receive>) => ({
        sid: r.handshake?.sid,
        frames: r.frames.map(hexOf),
        fatal: r.fatal,
      });
      for (let a = 0; a <= stream.length; a++) {
        expect(summary(receive([stream.subarray(0, a), stream.subarray(a)]))).toEqual(summary(reference));
        const b = Math.min(stream.length, a + 7);
        expect(summary(receive([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]))).toEqual(
          summary(reference),
        );
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
