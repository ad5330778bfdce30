// Acceptance 2 (handshakes): PROTOCOL.md §1.3 rejections (versions, lengths, items, ports),
// the accepted corner cases (legacy sid, wildcards, IPv6, '|' in v1), and the builder's refusals.

import { describe, expect, it } from 'vitest';
import {
  buildHandshake,
  HandshakeReader,
  parseHandshake,
  WireError,
  type HandshakeInit,
  type WireErrorCode,
} from '../src/index.js';
import { ascii, bytes, hexOf, i32, i64, thrown } from './helpers.js';

const V1 = i64(-65536n);
const V2 = i64(-65535n);
const withAddress = (version: string, sid: bigint, address: string) =>
  bytes(version + i64(sid) + i32(Buffer.byteLength(address)) + ascii(address));

function expectCode(input: Uint8Array, code: WireErrorCode): WireError {
  const e = thrown(() => parseHandshake(input));
  expect(WireError.isInstance(e), `expected a WireError for ${hexOf(input)}`).toBe(true);
  expect((e as WireError).code).toBe(code);
  return e as WireError;
}

function ok(input: Uint8Array) {
  const r = parseHandshake(input);
  if (r.status !== 'ok') throw new Error(`expected a complete handshake, got ${r.status}`);
  return r;
}

describe('handshake: protocol version', () => {
  it.each([-1n, -2n, -65534n, -65537n, -(1n << 63n), -1263403440560318879n])(
    'first long %s is rejected as soon as 8 bytes are there',
    (first) => {
      const e = expectCode(bytes(i64(first)), 'BAD_PROTOCOL_VERSION');
      expect(e.message).toContain(String(first));
    },
  );

  it('a non-negative first long is a legacy sid-only handshake', () => {
    const r = ok(bytes('6e777d43bd655661', 'ffff'));
    expect(r.consumed).toBe(8);
    expect(r.handshake).toEqual({ protocol: 'legacy', sid: 7959968596294456929n, rawAddress: null, addresses: [], observerId: false });
    expect(ok(bytes(i64(0n))).handshake.sid).toBe(0n);
  });

  it('sid Long.MAX_VALUE is flagged as an id-less observer', () => {
    expect(ok(bytes('7fffffffffffffff')).handshake.observerId).toBe(true);
    expect(ok(withAddress(V1, (1n << 63n) - 1n, 'h:1')).handshake.observerId).toBe(true);
  });

  it('every proper prefix of a valid handshake needs more bytes', () => {
    const full = withAddress(V1, 3n, '10.0.0.3:3888');
    expect(full).toHaveLength(33);
    for (let i = 0; i < full.length; i++) expect(parseHandshake(full.subarray(0, i))).toEqual({ status: 'need-more' });
    expect(ok(full).consumed).toBe(33);
  });
});

describe('handshake: address length', () => {
  it.each([0, -1, 2049, 0x7fffffff, -0x80000000])('length %i is rejected without waiting for the address', (len) => {
    for (const version of [V1, V2]) {
      const e = expectCode(bytes(version + i64(1n) + i32(len)), 'BAD_ADDRESS_LENGTH');
      expect(e.message).toContain(String(len));
    }
  });

  it('2048 bytes is the largest accepted length', () => {
    const address = `${'h'.repeat(2043)}:3888`;
    expect(address).toHaveLength(2048);
    expect(ok(withAddress(V1, 1n, address)).handshake.addresses).toEqual([{ host: 'h'.repeat(2043), port: 3888 }]);
    expect(hexOf(buildHandshake({ sid: 1n, protocol: 'v1', addresses: address }))).toBe(hexOf(withAddress(V1, 1n, address)));
    const tooLong = `${'h'.repeat(2044)}:3888`;
    expect((thrown(() => buildHandshake({ sid: 1n, protocol: 'v1', addresses: tooLong })) as WireError).code).toBe(
      'BAD_ADDRESS_LENGTH',
    );
  });
});

describe('handshake: address items', () => {
  const bad: Array<[string, WireErrorCode]> = [
    ['host', 'BAD_ADDRESS'],
    ['a:b:c', 'BAD_ADDRESS'],
    ['::1:3888', 'BAD_ADDRESS'],
    ['[::1]3888', 'BAD_ADDRESS'],
    ['[::1', 'BAD_ADDRESS'],
    ['[::1]:38:88', 'BAD_ADDRESS'],
    [':3888', 'BAD_ADDRESS'],
    ['[]:3888', 'BAD_ADDRESS'],
    ['h:1||h:2', 'BAD_ADDRESS'],
    ['h:1|', 'BAD_ADDRESS'],
    ['host:65536', 'BAD_PORT'],
    ['host:-1', 'BAD_PORT'],
    ['host:abc', 'BAD_PORT'],
    ['host:', 'BAD_PORT'],
    ['host: 80', 'BAD_PORT'],
    ['host:99999999999', 'BAD_PORT'],
    ['[::1]:70000', 'BAD_PORT'],
    ['10.0.0.1:3888|10.0.0.2:65536', 'BAD_PORT'],
  ];
  it.each(bad)('%j is rejected', (address, code) => {
    expectCode(withAddress(V1, 1n, address), code);
    expectCode(withAddress(V2, 1n, address), code);
  });

  it('invalid UTF-8 is rejected', () => {
    expectCode(bytes(V1 + i64(1n) + i32(4) + 'ff3a3131'), 'BAD_ADDRESS');
  });

  it('IPv6 items keep the host without brackets', () => {
    expect(ok(withAddress(V1, 2n, '[::1]:3888')).handshake.addresses).toEqual([{ host: '::1', port: 3888 }]);
    expect(ok(withAddress(V1, 2n, '[0:0:0:0:0:0:0:1]:3888')).handshake.addresses).toEqual([
      { host: '0:0:0:0:0:0:0:1', port: 3888 },
    ]);
  });

  it('wildcard hosts are dropped, possibly leaving no address', () => {
    const r = ok(withAddress(V2, 4n, '0.0.0.0:3888|10.0.0.4:3888|[::]:3888|[0:0:0:0:0:0:0:0]:3889'));
    expect(r.handshake.protocol).toBe('v2');
    expect(r.handshake.addresses).toEqual([{ host: '10.0.0.4', port: 3888 }]);
    expect(ok(withAddress(V1, 4n, '0.0.0.0:3888')).handshake).toMatchObject({ rawAddress: '0.0.0.0:3888', addresses: [] });
  });

  it('a v1 handshake containing | is accepted like 3.6+ does', () => {
    expect(ok(withAddress(V1, 5n, 'a:1|b:2')).handshake.addresses).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
    ]);
  });

  it('port 0 and 65535 are in range; sid 0 and negative sids are kept', () => {
    expect(ok(withAddress(V1, 0n, 'h:0')).handshake).toMatchObject({ sid: 0n, addresses: [{ host: 'h', port: 0 }] });
    expect(ok(withAddress(V1, -3n, 'h:65535')).handshake).toMatchObject({ sid: -3n, addresses: [{ host: 'h', port: 65535 }] });
  });
});

describe('buildHandshake', () => {
  it('writes the PROTOCOL.md §1.2 worked example', () => {
    const out = buildHandshake({ sid: 3n, protocol: 'v1', addresses: [{ host: '10.0.0.3', port: 3888 }] });
    expect(hexOf(out)).toBe('ffffffffffff0000' + '0000000000000003' + '0000000d' + '31302e302e302e333a33383838');
  });

  it('writes v2 with | between items and brackets around IPv6 hosts', () => {
    const out = buildHandshake({
      sid: 7n,
      protocol: 'v2',
      addresses: [
        { host: 'zk7', port: 3888 },
        { host: '0:0:0:0:0:0:0:1', port: 3889 },
      ],
    });
    expect(hexOf(out)).toBe(hexOf(withAddress(V2, 7n, 'zk7:3888|[0:0:0:0:0:0:0:1]:3889')));
  });

  it('writes the legacy form as the bare sid', () => {
    expect(hexOf(buildHandshake({ sid: 7959968596294456929n, protocol: 'legacy' }))).toBe('6e777d43bd655661');
  });

  const refusals: Array<[string, HandshakeInit, WireErrorCode]> = [
    ['port 65536', { sid: 1n, protocol: 'v1', addresses: [{ host: 'h', port: 65536 }] }, 'BAD_PORT'],
    ['port -1', { sid: 1n, protocol: 'v1', addresses: [{ host: 'h', port: -1 }] }, 'BAD_PORT'],
    ['port 1.5', { sid: 1n, protocol: 'v1', addresses: [{ host: 'h', port: 1.5 }] }, 'BAD_PORT'],
    ['port NaN', { sid: 1n, protocol: 'v1', addresses: [{ host: 'h', port: Number.NaN }] }, 'BAD_PORT'],
    ['port in a string', { sid: 1n, protocol: 'v1', addresses: 'h:65536' }, 'BAD_PORT'],
    ['empty host', { sid: 1n, protocol: 'v1', addresses: [{ host: '', port: 1 }] }, 'BAD_ADDRESS'],
    ['host with |', { sid: 1n, protocol: 'v1', addresses: [{ host: 'a|b', port: 1 }] }, 'BAD_ADDRESS'],
    ['host with space', { sid: 1n, protocol: 'v1', addresses: [{ host: 'a b', port: 1 }] }, 'BAD_ADDRESS'],
    ['host with colon, not IPv6', { sid: 1n, protocol: 'v1', addresses: [{ host: 'a:b', port: 1 }] }, 'BAD_ADDRESS'],
    ['bad IPv6', { sid: 1n, protocol: 'v1', addresses: [{ host: '1::2::3', port: 1 }] }, 'BAD_ADDRESS'],
    ['unbracketed IPv6 string', { sid: 1n, protocol: 'v1', addresses: '::1:3888' }, 'BAD_ADDRESS'],
    ['no address', { sid: 1n, protocol: 'v2', addresses: [] }, 'BAD_ADDRESS'],
    ['empty string', { sid: 1n, protocol: 'v1', addresses: '' }, 'BAD_ADDRESS'],
    ['two addresses in v1', { sid: 1n, protocol: 'v1', addresses: 'a:1|b:2' }, 'BAD_ADDRESS'],
    ['legacy negative sid', { sid: -1n, protocol: 'legacy' }, 'OUT_OF_RANGE'],
    ['sid above int64', { sid: 1n << 63n, protocol: 'v1', addresses: 'h:1' }, 'OUT_OF_RANGE'],
    ['sid as number', { sid: 1 as unknown as bigint, protocol: 'v1', addresses: 'h:1' }, 'BAD_INPUT'],
    ['unknown protocol', { sid: 1n, protocol: 'v3' as never, addresses: 'h:1' }, 'BAD_INPUT'],
  ];
  it.each(refusals)('refuses %s', (_name, init, code) => {
    const e = thrown(() => buildHandshake(init));
    expect(WireError.isInstance(e)).toBe(true);
    expect((e as WireError).code).toBe(code);
  });
});

describe('HandshakeReader', () => {
  it('assembles a handshake from single bytes and hands back the bytes after it', () => {
    const full = bytes(hexOf(withAddress(V1, 3n, '10.0.0.3:3888')) + '00000001ff');
    const reader = new HandshakeReader();
    for (let i = 0; i < 32; i++) expect(reader.push(full.subarray(i, i + 1))).toEqual({ status: 'need-more' });
    expect(reader.bufferedBytes).toBe(32);
    const r = reader.push(full.subarray(32));
    if (r.status !== 'ok') throw new Error('expected ok');
    expect(r.handshake.sid).toBe(3n);
    expect(hexOf(r.rest)).toBe('00000001ff');
    expect((thrown(() => reader.push(bytes('00'))) as WireError).code).toBe('BAD_INPUT');
  });

  it('throws the typed error once the bytes are invalid', () => {
    const reader = new HandshakeReader();
    expect(reader.push(bytes('ffffffffffff00'))).toEqual({ status: 'need-more' });
    expect((thrown(() => reader.push(bytes('02'))) as WireError).code).toBe('BAD_PROTOCOL_VERSION');
  });
});
