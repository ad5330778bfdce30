// Validation and defaults for startPeer: every problem is one PeerError naming the option, what
// was expected and what came.

import type { QuorumServer } from '@zkvote/quorum';
import { systemClock, silentLogger, type Clock, type Logger } from './clock.js';
import { PeerError } from './errors.js';
import type { ListenAddress, PeerOptions } from './types.js';

export interface ResolvedPeerOptions {
  myid: bigint;
  self: QuorumServer;
  electionAddress: ListenAddress;
  quorumAddress: ListenAddress;
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  fastDecision: boolean;
  reconfigEnabled: boolean;
  zkvotePeers: ReadonlySet<bigint> | null;
  multiAddress: boolean;
  lastZxid: bigint;
  clock: Clock;
  logger: Logger;
}

function positiveInt(name: string, value: unknown, dflt: number): number {
  const v = value ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new PeerError('BAD_OPTIONS', `expected ${name} to be a positive integer, got ${String(v)}`);
  }
  return v;
}

function address(name: string, given: ListenAddress | undefined, fallback: ListenAddress): ListenAddress {
  const a = given ?? fallback;
  if (typeof a !== 'object' || a === null || typeof a.host !== 'string' || !Number.isInteger(a.port) || a.port < 0 || a.port > 65535) {
    throw new PeerError('BAD_OPTIONS', `expected ${name} as { host, port } with a port in 0..65535, got ${JSON.stringify(a)}`);
  }
  return { host: a.host, port: a.port };
}

/** The checks that must pass before dataDir is even read. */
export function checkBasicOptions(o: PeerOptions): void {
  if (typeof o !== 'object' || o === null) throw new PeerError('BAD_OPTIONS', `expected an options object, got ${String(o)}`);
  if (typeof o.dataDir !== 'string' || o.dataDir === '') {
    throw new PeerError('BAD_OPTIONS', `expected dataDir as a non-empty path, got ${JSON.stringify(o.dataDir)}`);
  }
  const v = o.verifier as { members?: unknown; votingMembers?: unknown } | undefined;
  if (typeof v !== 'object' || v === null || !(v.members instanceof Map) || !(v.votingMembers instanceof Map)) {
    throw new PeerError('BAD_OPTIONS', 'expected verifier as a QuorumVerifier from @zkvote/quorum, got ' + (v === null ? 'null' : typeof v));
  }
  const delay = o.observerElectionDelayMs;
  if (delay !== undefined && (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0)) {
    throw new PeerError('BAD_OPTIONS', `expected observerElectionDelayMs to be a non-negative integer, got ${String(delay)}`);
  }
  if (o.reconfigEnabled !== undefined && typeof o.reconfigEnabled !== 'boolean') {
    throw new PeerError('BAD_OPTIONS', `expected reconfigEnabled to be a boolean, got ${typeof o.reconfigEnabled}`);
  }
  if (o.myid !== undefined && typeof o.myid !== 'bigint') {
    throw new PeerError('BAD_OPTIONS', `expected myid as a bigint, got ${typeof o.myid}`);
  }
}

export function resolvePeerOptions(o: PeerOptions, myid: bigint): ResolvedPeerOptions {
  const self = o.verifier.members.get(myid);
  if (self === undefined) {
    const sids = [...o.verifier.members.keys()].join(',');
    throw new PeerError('BAD_OPTIONS', `expected myid ${myid} to be one of the configured servers [${sids}], got none`);
  }
  const first = self.addresses[0];
  if (first === undefined) throw new PeerError('BAD_OPTIONS', `expected an address for server.${myid}, got none`);
  if (o.zkvotePeers !== undefined && !o.zkvotePeers.has(myid)) {
    throw new PeerError('BAD_OPTIONS', `expected zkvotePeers to include our own sid ${myid}, got [${[...o.zkvotePeers].join(',')}]`);
  }
  const lastZxid = o.lastZxid ?? 0n;
  if (typeof lastZxid !== 'bigint') throw new PeerError('BAD_OPTIONS', `expected lastZxid as a bigint, got ${typeof lastZxid}`);
  return {
    myid,
    self,
    electionAddress: address('electionAddress', o.electionAddress, { host: first.host, port: first.electionPort }),
    quorumAddress: address('quorumAddress', o.quorumAddress, { host: first.host, port: first.quorumPort }),
    tickTime: positiveInt('tickTime', o.tickTime, 2000),
    initLimit: positiveInt('initLimit', o.initLimit, 10),
    syncLimit: positiveInt('syncLimit', o.syncLimit, 5),
    fastDecision: o.fastDecision ?? true,
    reconfigEnabled: o.reconfigEnabled ?? false,
    zkvotePeers: o.zkvotePeers ?? null,
    multiAddress: o.multiAddress ?? false,
    lastZxid,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silentLogger,
  };
}
