// Acceptance 2 (framing): PROTOCOL.md §2.2 length checks, the configurable maximum, and the
// decoder staying failed after a bad length.

import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, WireError } from '../src/index.js';
import { bytes, hexOf, i32, thrown } from './helpers.js';

const codeOf = (fn: () => unknown) => {
  const e = thrown(fn);
  expect(WireError.isInstance(e)).toBe(true);
  return (e as WireError).code;
};

describe('frame lengths', () => {
  it.each([0, -20, -1, 0x7fffffff, 524_289, -0x80000000])('length %i is rejected', (len) => {
    const d = new FrameDecoder();
    const e = thrown(() => d.push(bytes(i32(len), '0000000000000000'))) as WireError;
    expect(e.code).toBe('FRAME_LENGTH');
    expect(e.message).toContain(`got ${len}`);
    expect(d.error).toBe(e);
    expect(thrown(() => d.push(bytes(i32(1), '00')))).toBe(e);
  });

  it('1 and 524288 are accepted', () => {
    const d = new FrameDecoder();
    expect(d.push(bytes(i32(1), '7f')).map(hexOf)).toEqual(['7f']);
    const big = new Uint8Array(4 + 524_288);
    big.set(bytes(i32(524_288)));
    big[big.length - 1] = 9;
    const frames = d.push(big);
    expect(frames).toHaveLength(1);
    expect(frames[0]![524_287]).toBe(9);
  });

  it('a bad length split across chunks is reported when its last byte arrives', () => {
    const d = new FrameDecoder();
    expect(d.push(bytes('7f'))).toEqual([]);
    expect(d.push(bytes('ffff'))).toEqual([]);
    expect(codeOf(() => d.push(bytes('ff')))).toBe('FRAME_LENGTH');
  });

  it('frames before a bad length in the same chunk reach feed() callers', () => {
    const d = new FrameDecoder();
    const seen: string[] = [];
    expect(codeOf(() => d.feed(bytes(i32(2), 'abcd', i32(0)), (f) => seen.push(hexOf(f))))).toBe('FRAME_LENGTH');
    expect(seen).toEqual(['abcd']);
  });

  it('the maximum is configurable', () => {
    const d = new FrameDecoder({ maxLength: 3 });
    expect(d.push(bytes(i32(3), 'aabbcc')).map(hexOf)).toEqual(['aabbcc']);
    expect(codeOf(() => d.push(bytes(i32(4))))).toBe('FRAME_LENGTH');
    for (const maxLength of [0, -1, 1.5, 2 ** 31]) expect(codeOf(() => new FrameDecoder({ maxLength }))).toBe('OUT_OF_RANGE');
  });

  it('encodeFrame refuses empty and oversized payloads', () => {
    expect(codeOf(() => encodeFrame(new Uint8Array(0)))).toBe('FRAME_LENGTH');
    expect(codeOf(() => encodeFrame(new Uint8Array(524_289)))).toBe('FRAME_LENGTH');
    expect(codeOf(() => encodeFrame(new Uint8Array(3), { maxLength: 2 }))).toBe('FRAME_LENGTH');
    expect(codeOf(() => encodeFrame('abc' as never))).toBe('BAD_INPUT');
    expect(hexOf(encodeFrame(bytes('abcd')))).toBe('00000002abcd');
  });

  it('reports buffered bytes and idleness', () => {
    const d = new FrameDecoder();
    expect(d.idle).toBe(true);
    d.push(bytes('000000'));
    expect([d.idle, d.bufferedBytes]).toEqual([false, 3]);
    d.push(bytes('05aabb'));
    expect([d.idle, d.bufferedBytes]).toEqual([false, 2]);
    expect(d.push(bytes('ccddee')).map(hexOf)).toEqual(['aabbccddee']);
    expect([d.idle, d.bufferedBytes]).toEqual([true, 0]);
  });
});
