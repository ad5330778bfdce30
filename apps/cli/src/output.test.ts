import { describe, expect, it } from 'vitest';
import { formatTable, painter, useColour, visibleLength } from './output.js';
import { jsonLine, jsonLong } from './json.js';

describe('colour gating', () => {
  it('colours only a TTY without NO_COLOR', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
  });

  it('aligns columns by visible width, ANSI codes included', () => {
    const paint = painter(true);
    const out = formatTable(['a', 'bb'], [[paint('red', 'xyz'), '1'], ['q', '22']], paint);
    const lines = out.trimEnd().split('\n').map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''));
    expect(lines).toEqual(['a    bb', 'xyz  1', 'q    22']);
    expect(visibleLength(paint('bold', 'abc'))).toBe(3);
    expect(painter(false)('red', 'x')).toBe('x');
  });
});

describe('json', () => {
  it('keeps 64-bit values exact: numbers up to 2^53, strings beyond', () => {
    expect(jsonLong(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(jsonLong(2n ** 53n)).toBe('9007199254740992');
    expect(jsonLong(-(2n ** 63n))).toBe('-9223372036854775808');
    expect(jsonLine({ a: 1n, b: [2n ** 60n], c: undefined, m: new Map([[1n, 'x']]) })).toBe('{"a":1,"b":["1152921504606846976"],"m":{"1":"x"}}\n');
  });
});
