// The initial message an election connection's initiator writes (PROTOCOL.md §1.2-§1.3):
// protocol version, sid, address string; or, from 3.4-era peers, a bare non-negative sid.
// Parsing is incremental: 'need-more' until the announced bytes are there, WireError once invalid.

import { MAX_ADDRESS_LENGTH, OBSERVER_ID, PROTOCOL_VERSION_V1, PROTOCOL_VERSION_V2 } from './constants.js';
import { assertBytes, checkInt64, utf8DecodeStrict, utf8Encode, view } from './bytes.js';
import { formatHostPort, isWildcardHost, parseAddressList, parseHostPort, type HostPort } from './address.js';
import { WireError } from './errors.js';

export type HandshakeProtocol = 'v1' | 'v2' | 'legacy';

export interface Handshake {
  protocol: HandshakeProtocol;
  sid: bigint;
  /** The address string as sent; null for the legacy form. */
  rawAddress: string | null;
  /** Parsed items without wildcard hosts; empty means "use the configured address". */
  addresses: HostPort[];
  /** sid is Long.MAX_VALUE (`OBSERVER_ID`): ZooKeeper maps such peers to local negative ids. */
  observerId: boolean;
}

export type HandshakeParseResult =
  | { status: 'need-more' }
  | { status: 'ok'; handshake: Handshake; consumed: number };

export interface HandshakeInit {
  sid: bigint;
  /** Items, or an already joined string (validated item by item). Unused for 'legacy'. */
  addresses?: HostPort[] | string;
  protocol: HandshakeProtocol;
}

const HEADER = 20; // version (8) + sid (8) + address length (4)

/** Builds the whole initial message, to be written with a single socket write. */
export function buildHandshake(init: HandshakeInit): Uint8Array {
  if (typeof init !== 'object' || init === null) {
    throw new WireError('BAD_INPUT', `expected a handshake object, got ${init === null ? 'null' : typeof init}`);
  }
  const sid = checkInt64('sid', init.sid);
  if (init.protocol === 'legacy') {
    if (sid < 0n) {
      throw new WireError('OUT_OF_RANGE', `expected a non-negative sid for the legacy handshake, got ${sid}`);
    }
    const out = new Uint8Array(8);
    view(out).setBigInt64(0, sid);
    return out;
  }
  if (init.protocol !== 'v1' && init.protocol !== 'v2') {
    throw new WireError('BAD_INPUT', `expected protocol 'v1', 'v2' or 'legacy', got ${String(init.protocol)}`);
  }
  const text = addressText(init.addresses, init.protocol);
  const bytes = utf8Encode(text);
  if (bytes.length === 0 || bytes.length > MAX_ADDRESS_LENGTH) {
    throw new WireError(
      'BAD_ADDRESS_LENGTH',
      `expected an address string of 1..${MAX_ADDRESS_LENGTH} bytes, got ${bytes.length}`,
    );
  }
  const out = new Uint8Array(HEADER + bytes.length);
  const dv = view(out);
  dv.setBigInt64(0, init.protocol === 'v1' ? PROTOCOL_VERSION_V1 : PROTOCOL_VERSION_V2);
  dv.setBigInt64(8, sid);
  dv.setInt32(16, bytes.length);
  out.set(bytes, HEADER);
  return out;
}

function addressText(addresses: HandshakeInit['addresses'], protocol: 'v1' | 'v2'): string {
  let items: string[];
  if (typeof addresses === 'string') {
    items = addresses.split('|');
    // Re-format every item so that only strings we would also produce from HostPorts pass.
    for (const item of items) {
      if (formatHostPort(parseHostPort(item)) !== item) {
        throw new WireError('BAD_ADDRESS', `expected a canonical host:port item, got ${JSON.stringify(item)}`);
      }
    }
  } else if (Array.isArray(addresses)) {
    items = addresses.map(formatHostPort);
  } else {
    throw new WireError('BAD_INPUT', `expected addresses as HostPort[] or string, got ${typeof addresses}`);
  }
  if (items.length === 0) throw new WireError('BAD_ADDRESS', 'expected at least one address, got none');
  if (protocol === 'v1' && items.length > 1) {
    throw new WireError('BAD_ADDRESS', `expected exactly one address for protocol v1, got ${items.length}`);
  }
  return items.join('|');
}

/**
 * Parses an initial message from the start of `buf`. Rejects as soon as the bytes seen are
 * invalid (a bad version or length is reported without waiting for the address bytes).
 */
export function parseHandshake(buf: Uint8Array): HandshakeParseResult {
  assertBytes('handshake bytes', buf);
  if (buf.length < 8) return { status: 'need-more' };
  const dv = view(buf);
  const first = dv.getBigInt64(0);
  if (first >= 0n) {
    return { status: 'ok', consumed: 8, handshake: handshake('legacy', first, null, []) };
  }
  if (first !== PROTOCOL_VERSION_V1 && first !== PROTOCOL_VERSION_V2) {
    throw new WireError(
      'BAD_PROTOCOL_VERSION',
      `expected protocol version ${PROTOCOL_VERSION_V1} (v1), ${PROTOCOL_VERSION_V2} (v2) or a non-negative sid, got ${first}`,
    );
  }
  if (buf.length < HEADER) return { status: 'need-more' };
  const sid = dv.getBigInt64(8);
  const length = dv.getInt32(16);
  if (length <= 0 || length > MAX_ADDRESS_LENGTH) {
    throw new WireError(
      'BAD_ADDRESS_LENGTH',
      `expected an address length within 1..${MAX_ADDRESS_LENGTH}, got ${length}`,
    );
  }
  if (buf.length < HEADER + length) return { status: 'need-more' };
  const raw = utf8DecodeStrict(buf.subarray(HEADER, HEADER + length));
  if (raw === null) throw new WireError('BAD_ADDRESS', `expected the address string as UTF-8, got invalid bytes`);
  const addresses = parseAddressList(raw).filter((hp) => !isWildcardHost(hp.host));
  const protocol = first === PROTOCOL_VERSION_V1 ? 'v1' : 'v2';
  return { status: 'ok', consumed: HEADER + length, handshake: handshake(protocol, sid, raw, addresses) };
}

function handshake(protocol: HandshakeProtocol, sid: bigint, rawAddress: string | null, addresses: HostPort[]): Handshake {
  return { protocol, sid, rawAddress, addresses, observerId: sid === OBSERVER_ID };
}

export type HandshakeReaderResult =
  | { status: 'need-more' }
  | { status: 'ok'; handshake: Handshake; /** bytes after the handshake (the first frames) */ rest: Uint8Array };

/**
 * Accumulates socket chunks until a whole handshake is there. Holds at most one handshake's
 * worth of bytes (≤ 2068) plus the chunk that completes it.
 */
export class HandshakeReader {
  private buffered: Uint8Array = new Uint8Array(0);
  private done = false;

  push(chunk: Uint8Array): HandshakeReaderResult {
    assertBytes('chunk', chunk);
    if (this.done) throw new WireError('BAD_INPUT', 'expected no more pushes after the handshake completed, got one');
    const all = this.buffered.length === 0 ? chunk : concat(this.buffered, chunk);
    const result = parseHandshake(all);
    if (result.status === 'need-more') {
      this.buffered = all === chunk ? chunk.slice() : all;
      return result;
    }
    this.done = true;
    this.buffered = new Uint8Array(0);
    return { status: 'ok', handshake: result.handshake, rest: all.subarray(result.consumed) };
  }

  /** Bytes received so far without a complete handshake. */
  get bufferedBytes(): number {
    return this.buffered.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
