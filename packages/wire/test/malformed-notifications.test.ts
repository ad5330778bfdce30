// Acceptance 2 (notifications): every size and config-length case of PROTOCOL.md §3.3 gives the
// typed error or the documented accepted result. Inputs are built with test/helpers.ts.

import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { buildMsg, parse, stateName, tryParse, WireError, type WireErrorCode } from '../src/index.js';
import { ascii, bytes, i32, i64, notificationHex, thrown } from './helpers.js';

const HEADER = notificationHex({ state: 0, leader: 3n, zxid: 0x500000007n, electionEpoch: 2n }); // 28 bytes
const PEER_EPOCH = i64(5n);
const filler = (n: number) => 'a5'.repeat(n);

function expectCode(payload: Uint8Array, code: WireErrorCode): WireError {
  const e = thrown(() => parse(payload));
  expect(WireError.isInstance(e), `expected a WireError for ${payload.length} bytes`).toBe(true);
  expect((e as WireError).code).toBe(code);
  const r = tryParse(payload);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error.code).toBe(code);
  return e as WireError;
}

describe('notification sizes (3.5.8+ receiver)', () => {
  it.each(Array.from({ length: 28 }, (_, n) => n))('%i bytes: dropped as short', (n) => {
    const e = expectCode(bytes((HEADER + filler(4)).slice(0, 2 * n)), 'SHORT_NOTIFICATION');
    expect(e.message).toContain(`got ${n}`);
  });

  it('28 bytes: legacy, version 0, peerEpoch = zxid >> 32', () => {
    const n = parse(bytes(HEADER));
    expect(n).toMatchObject({ layout: 'legacy28', state: 0, leader: 3n, zxid: 0x500000007n, electionEpoch: 2n });
    expect(n).toMatchObject({ peerEpoch: 5n, version: 0, config: null, ignoredBytes: 0 });
  });

  it('28 bytes: the peerEpoch shift is arithmetic for negative zxids', () => {
    const cases: Array<[bigint, bigint]> = [
      [-1n, -1n],
      [-(1n << 63n), -(1n << 31n)],
      [BigInt.asIntN(64, 0xffff_fffe_0000_0001n), -2n],
      [(1n << 63n) - 1n, (1n << 31n) - 1n],
    ];
    for (const [zxid, peerEpoch] of cases) {
      const payload = bytes(notificationHex({ state: 1, leader: 1n, zxid, electionEpoch: 1n }));
      expect(parse(payload).peerEpoch).toBe(peerEpoch);
    }
  });

  it.each([29, 30, 31, 32, 33, 34, 35])('%i bytes: dropped (underflow reading peerEpoch)', (n) => {
    expectCode(bytes((HEADER + filler(12)).slice(0, 2 * n)), 'BAD_LAYOUT');
  });

  it('36 bytes (the 3.4.0-3.4.5 layout): dropped', () => {
    expectCode(bytes(HEADER + PEER_EPOCH), 'BAD_LAYOUT');
  });

  it.each([37, 38, 39])('%i bytes: dropped (underflow reading version)', (n) => {
    expectCode(bytes((HEADER + PEER_EPOCH + filler(4)).slice(0, 2 * n)), 'BAD_LAYOUT');
  });

  it.each([0, 1, 2, 3, -1, 0x7fffffff, -0x80000000])('40 bytes with trailing int %i: version 0', (trailing) => {
    const n = parse(bytes(HEADER + PEER_EPOCH + i32(trailing)));
    expect(n).toMatchObject({ layout: 'v0-40', version: 0, peerEpoch: 5n, config: null, ignoredBytes: 0 });
  });

  it.each([
    [41, 1],
    [41, 0],
    [43, -7],
    [44, 1],
    [60, 0],
    [200, 1],
  ])('%i bytes with version %i: accepted, extra bytes ignored', (size, version) => {
    const hex = HEADER + PEER_EPOCH + i32(version) + filler(size - 40);
    const n = parse(bytes(hex.slice(0, 2 * size)));
    expect(n).toMatchObject({ layout: 'extended', version, peerEpoch: 5n, config: null, ignoredBytes: size - 40 });
  });

  it.each([
    [41, 2],
    [42, 2],
    [43, 2],
    [43, 3],
    [42, 0x7fffffff],
  ])('%i bytes with version %i: dropped (underflow reading configLength)', (size, version) => {
    const hex = HEADER + PEER_EPOCH + i32(version) + filler(3);
    expectCode(bytes(hex.slice(0, 2 * size)), 'BAD_LAYOUT');
  });
});

describe('notification config length (version >= 2)', () => {
  const v2 = (configLength: number, body: string) => bytes(HEADER + PEER_EPOCH + i32(2) + i32(configLength) + body);

  it.each([-1, -44, -0x80000000])('negative configLength %i: dropped', (len) => {
    expectCode(v2(len, ascii('version=0')), 'BAD_CONFIG_LENGTH');
  });

  it.each([0x7fffffff, 0x10000, 54])('configLength %i above the payload size (53): dropped', (len) => {
    const payload = v2(len, ascii('version=0'));
    expect(payload.length).toBe(53);
    expectCode(payload, 'BAD_CONFIG_LENGTH');
  });

  it.each([53, 10, 45])('configLength %i within the payload size but past its end: dropped', (len) => {
    expectCode(v2(len, ascii('version=0')), 'TRUNCATED_CONFIG');
  });

  it('exact config: accepted', () => {
    const n = parse(v2(9, ascii('version=0')));
    expect(n).toMatchObject({ layout: 'v2', version: 2, ignoredBytes: 0 });
    expect(Buffer.from(n.config!).toString()).toBe('version=0');
  });

  it('bytes after the config: ignored', () => {
    const n = parse(v2(9, ascii('version=0') + 'deadbeef'));
    expect(n).toMatchObject({ layout: 'v2', ignoredBytes: 4 });
    expect(n.config).toHaveLength(9);
  });

  it('empty config: accepted with an empty byte array', () => {
    const n = parse(v2(0, ''));
    expect(n.config).toEqual(new Uint8Array(0));
  });

  it('future versions keep their number and still carry a config', () => {
    const n = parse(bytes(HEADER + PEER_EPOCH + i32(77) + i32(1) + '41'));
    expect(n).toMatchObject({ version: 77, layout: 'v2' });
  });

  it('the config is a copy, not a view of the input', () => {
    const payload = v2(1, '41');
    const n = parse(payload);
    payload[44] = 0x42;
    expect(n.config![0]).toBe(0x41);
  });
});

describe('notification fields', () => {
  it('keeps unknown state codes as numbers', () => {
    const n = parse(bytes(notificationHex({ state: 7, leader: 1n, zxid: 0n, electionEpoch: 1n })));
    expect(n.state).toBe(7);
    expect(stateName(n.state)).toBe('UNKNOWN(7)');
    expect(stateName(-1)).toBe('UNKNOWN(-1)');
    expect(stateName(3)).toBe('OBSERVING');
  });

  it('never throws anything but WireError on non-byte input', () => {
    for (const input of [undefined, null, 'abc', 42, {}, [1, 2, 3]]) {
      const e = thrown(() => parse(input as unknown as Uint8Array));
      expect((e as WireError).code).toBe('BAD_INPUT');
    }
  });
});

describe('buildMsg refuses values that do not fit', () => {
  const base = { state: 0, leader: 1n, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n };
  const cases: Array<[string, Record<string, unknown>, WireErrorCode]> = [
    ['leader above int64', { leader: 1n << 63n }, 'OUT_OF_RANGE'],
    ['zxid below int64', { zxid: -(1n << 63n) - 1n }, 'OUT_OF_RANGE'],
    ['electionEpoch 2^64', { electionEpoch: 1n << 64n }, 'OUT_OF_RANGE'],
    ['peerEpoch as number', { peerEpoch: 5 }, 'BAD_INPUT'],
    ['state above int32', { state: 2 ** 31 }, 'OUT_OF_RANGE'],
    ['state not an integer', { state: 1.5 }, 'BAD_INPUT'],
    ['version above int32', { version: 2 ** 31 }, 'OUT_OF_RANGE'],
    ['config not bytes', { config: 42 }, 'BAD_INPUT'],
    ['config larger than a frame', { config: new Uint8Array(524_288 - 43) }, 'BAD_CONFIG_LENGTH'],
  ];
  it.each(cases)('%s', (_name, patch, code) => {
    const e = thrown(() => buildMsg({ ...base, ...patch } as never));
    expect(WireError.isInstance(e)).toBe(true);
    expect((e as WireError).code).toBe(code);
  });

  it('refuses unknown layouts', () => {
    expect((thrown(() => buildMsg(base, 'extended' as never)) as WireError).code).toBe('BAD_INPUT');
  });

  it('writes the largest config that fits in one frame', () => {
    expect(buildMsg({ ...base, config: new Uint8Array(524_288 - 44) })).toHaveLength(524_288);
  });

  it('writes version 1 in the 40-byte layout and nothing after zxid for legacy28', () => {
    expect(Buffer.from(buildMsg(base, 'v0-40')).toString('hex')).toBe(
      notificationHex({ ...base, tail: i32(1) }),
    );
    expect(Buffer.from(buildMsg({ ...base, peerEpoch: 9n }, 'legacy28')).toString('hex')).toBe(notificationHex(base).slice(0, 56));
  });

  it('writes version 2 in the v2 layout unless a higher one is asked for', () => {
    const v = (version?: number) => parse(buildMsg({ ...base, version })).version;
    expect([v(), v(0), v(1), v(2), v(9)]).toEqual([2, 2, 2, 2, 9]);
  });
});
