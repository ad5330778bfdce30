// Options of the connection manager, their defaults and validation. Defaults follow ZooKeeper
// (PROTOCOL.md 1.7, 2.1-2.4): 5 s connect timeout, tickTime x syncLimit handshake timeout,
// 100 received messages, 512 KiB frames.

import type { SecureContextOptions } from 'node:tls';
import type { HostPort } from '@zkvote/wire';
import type { Clock, Logger } from './clock.js';
import { systemClock, silentLogger } from './clock.js';
import { CnxError } from './errors.js';

export type PeerAddress = HostPort;
export type PeerAddresses = PeerAddress | readonly PeerAddress[];

/** Mutual TLS (ZooKeeper's sslQuorum): both directions present and verify certificates. */
export interface CnxTlsOptions {
  key: SecureContextOptions['key'];
  cert: SecureContextOptions['cert'];
  /** Trust anchors for the other side's certificate (both directions). */
  ca: SecureContextOptions['ca'];
  passphrase?: string;
  /** Verify the server certificate's name against the dialled host (default true). */
  hostnameVerification?: boolean;
}

export interface QuorumCnxManagerOptions {
  myid: bigint;
  /** Election address to listen on; port 0 picks a free port (see `address()` after start). */
  listen: PeerAddress;
  /** Election address(es) of the other servers, by sid. Replace later with `setPeers`. */
  peers?: ReadonlyMap<bigint, PeerAddresses>;
  /** Voting members; messages from other sids are flagged `fromNonVoter`. Unset: no flagging. */
  voters?: ReadonlySet<bigint>;
  /** Handshake version: 'v1' (default) or 'v2' (ZooKeeper's multiAddress.enabled). */
  protocol?: 'v1' | 'v2';
  /** Addresses written in our handshake; default the bound listen address. */
  advertise?: readonly PeerAddress[];
  /** Outgoing TCP (and TLS) connect timeout; default 5000 ms (zookeeper.cnxTimeout). */
  connectTimeoutMs?: number;
  /** Time an accepted socket has to deliver its handshake; default 10000 (tickTime x syncLimit). */
  handshakeTimeoutMs?: number;
  /** Receive queue capacity, drop-oldest; default 100 (RECV_CAPACITY). 0 = events only. */
  recvCapacity?: number;
  /** Largest accepted frame payload; default 524288 (PACKETMAXSIZE). */
  maxFrameSize?: number;
  /** Accepted sockets allowed to be waiting for their handshake at once; default 64. */
  maxPendingHandshakes?: number;
  /** Concurrent connect attempts to sids that are not configured peers; default 16. */
  maxUnknownConnects?: number;
  tls?: CnxTlsOptions;
  clock?: Clock;
  logger?: Logger;
}

export interface ResolvedOptions {
  myid: bigint;
  listen: PeerAddress;
  protocol: 'v1' | 'v2';
  advertise: readonly PeerAddress[] | null;
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  recvCapacity: number;
  maxFrameSize: number;
  maxPendingHandshakes: number;
  maxUnknownConnects: number;
  tls: CnxTlsOptions | null;
  clock: Clock;
  logger: Logger;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function count(name: string, value: number | undefined, dflt: number, min: number, max = 2 ** 31 - 1): number {
  const v = value ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new CnxError('BAD_OPTION', `expected ${name} to be an integer within ${min}..${max}, got ${String(v)}`);
  }
  return v;
}

export function checkAddress(what: string, a: unknown): PeerAddress {
  const hp = a as PeerAddress | null;
  if (
    typeof hp !== 'object' || hp === null || typeof hp.host !== 'string' || hp.host.length === 0 ||
    !Number.isInteger(hp.port) || hp.port < 0 || hp.port > 65535
  ) {
    throw new CnxError('BAD_OPTION', `expected ${what} as { host, port } with a port in 0..65535, got ${JSON.stringify(a)}`);
  }
  return { host: hp.host, port: hp.port };
}

export function checkSid(what: string, sid: unknown): bigint {
  if (typeof sid !== 'bigint' || sid < INT64_MIN || sid > INT64_MAX) {
    throw new CnxError('BAD_OPTION', `expected ${what} as a signed 64-bit bigint, got ${String(sid)}`);
  }
  return sid;
}

export function normalisePeers(peers: ReadonlyMap<bigint, PeerAddresses> | undefined): Map<bigint, PeerAddress[]> {
  const out = new Map<bigint, PeerAddress[]>();
  if (peers === undefined) return out;
  if (!(peers instanceof Map)) throw new CnxError('BAD_OPTION', `expected peers as a Map<bigint, address>, got ${typeof peers}`);
  for (const [sid, addrs] of peers) {
    checkSid('a peer sid', sid);
    const list = (Array.isArray(addrs) ? addrs : [addrs]).map((a, i) => checkAddress(`peer ${sid} address ${i}`, a));
    if (list.length === 0) throw new CnxError('BAD_OPTION', `expected at least one address for peer ${sid}, got none`);
    out.set(sid, list);
  }
  return out;
}

export function resolveOptions(o: QuorumCnxManagerOptions): ResolvedOptions {
  if (typeof o !== 'object' || o === null) throw new CnxError('BAD_OPTION', `expected an options object, got ${String(o)}`);
  const protocol = o.protocol ?? 'v1';
  if (protocol !== 'v1' && protocol !== 'v2') {
    throw new CnxError('BAD_OPTION', `expected protocol 'v1' or 'v2', got ${String(protocol)}`);
  }
  const advertise = o.advertise === undefined ? null : o.advertise.map((a, i) => checkAddress(`advertise[${i}]`, a));
  if (advertise !== null && (advertise.length === 0 || (protocol === 'v1' && advertise.length > 1))) {
    throw new CnxError('BAD_OPTION', `expected ${protocol === 'v1' ? 'exactly one' : 'at least one'} advertised address, got ${advertise.length}`);
  }
  return {
    myid: checkSid('myid', o.myid),
    listen: checkAddress('listen', o.listen),
    protocol,
    advertise,
    connectTimeoutMs: count('connectTimeoutMs', o.connectTimeoutMs, 5000, 1),
    handshakeTimeoutMs: count('handshakeTimeoutMs', o.handshakeTimeoutMs, 10_000, 1),
    recvCapacity: count('recvCapacity', o.recvCapacity, 100, 0),
    maxFrameSize: count('maxFrameSize', o.maxFrameSize, 524_288, 1),
    maxPendingHandshakes: count('maxPendingHandshakes', o.maxPendingHandshakes, 64, 1),
    maxUnknownConnects: count('maxUnknownConnects', o.maxUnknownConnects, 16, 0),
    tls: o.tls ?? null,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silentLogger,
  };
}
