import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireError } from './errors.js';
import { formatZxid, formatZxid0x, makeZxid, zxidCounter, zxidEpoch } from './zxid.js';

const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return WireError.isInstance(e) ? e.code : 'not a WireError';
  }
  return undefined;
}

describe('zxid helpers', () => {
  it('splits epoch (sign-extending) and counter', () => {
    expect(zxidEpoch(0x100000005n)).toBe(1n);
    expect(zxidCounter(0x100000005n)).toBe(5n);
    expect(zxidEpoch(-1n)).toBe(-1n);
    expect(zxidCounter(-1n)).toBe(0xffffffffn);
    expect(zxidEpoch(MIN)).toBe(-(1n << 31n));
    expect(zxidEpoch(MAX)).toBe((1n << 31n) - 1n);
  });

  it('makes zxids', () => {
    expect(makeZxid(1n, 5n)).toBe(0x100000005n);
    expect(makeZxid(-1n, 0xffffffffn)).toBe(-1n);
    expect(makeZxid(-(1n << 31n), 0n)).toBe(MIN);
  });

  it('formats like Long.toHexString', () => {
    expect(formatZxid(0n)).toBe('0');
    expect(formatZxid(0x100000006n)).toBe('100000006');
    expect(formatZxid(-1n)).toBe('ffffffffffffffff');
    expect(formatZxid(MIN)).toBe('8000000000000000');
    expect(formatZxid0x(0x1an)).toBe('0x1a');
  });

  it('rejects values outside their range with OUT_OF_RANGE', () => {
    expect(code(() => zxidEpoch(MAX + 1n))).toBe('OUT_OF_RANGE');
    expect(code(() => formatZxid(MIN - 1n))).toBe('OUT_OF_RANGE');
    expect(code(() => makeZxid(1n << 31n, 0n))).toBe('OUT_OF_RANGE');
    expect(code(() => makeZxid(0n, 1n << 32n))).toBe('OUT_OF_RANGE');
    expect(code(() => makeZxid(0n, -1n))).toBe('OUT_OF_RANGE');
    expect(code(() => zxidCounter(5 as unknown as bigint))).toBe('BAD_INPUT');
  });

  it('makeZxid(epoch(z), counter(z)) === z and hex matches two\'s complement, for all int64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN, max: MAX }), (z) => {
        expect(makeZxid(zxidEpoch(z), zxidCounter(z))).toBe(z);
        expect(formatZxid(z)).toBe((z < 0n ? z + (1n << 64n) : z).toString(16));
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
