// The QuorumVerifier contract shared by the majority and hierarchical verifiers
// (PROTOCOL.md 5.1), plus the pieces of text rendering and equality both use.

import { formatServerSpec, serversEqual, type QuorumServer } from './server.js';

export interface QuorumVerifier {
  readonly kind: 'majority' | 'hierarchical';
  readonly version: bigint;
  readonly members: ReadonlyMap<bigint, QuorumServer>;
  readonly votingMembers: ReadonlyMap<bigint, QuorumServer>;
  readonly observingMembers: ReadonlyMap<bigint, QuorumServer>;
  /** QuorumMaj: 1 for any sid. QuorumHierarchical: the configured weight, 0 for unknown sids. */
  weight(sid: bigint): number;
  /** Counts whatever is in `sids` (callers pass voters only; the VoteTracker does). */
  containsQuorum(sids: Iterable<bigint>): boolean;
  /** ZooKeeper's equality: same version → equal, else same members (and groups/weights). */
  equals(other: QuorumVerifier): boolean;
  /** The exact config text a ZooKeeper 3.8 server sends for this configuration. */
  toString(): string;
}

export function sortedBySid<T>(entries: Iterable<[bigint, T]>): Map<bigint, T> {
  return new Map([...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** Long.toHexString: two's complement for negative versions. */
export function versionHex(version: bigint): string {
  return BigInt.asUintN(64, version).toString(16);
}

export function serverLines(members: ReadonlyMap<bigint, QuorumServer>): string[] {
  return [...members.values()].map((s) => `server.${s.sid}=${formatServerSpec(s)}`);
}

export function membersEqual(a: ReadonlyMap<bigint, QuorumServer>, b: ReadonlyMap<bigint, QuorumServer>): boolean {
  if (a.size !== b.size) return false;
  for (const [sid, s] of a) {
    const o = b.get(sid);
    if (o === undefined || !serversEqual(s, o)) return false;
  }
  return true;
}

/** Split members into (sorted) all / voting / observing maps. */
export function indexMembers(servers: Iterable<QuorumServer>): {
  members: Map<bigint, QuorumServer>;
  voting: Map<bigint, QuorumServer>;
  observing: Map<bigint, QuorumServer>;
} {
  const members = sortedBySid([...servers].map((s): [bigint, QuorumServer] => [s.sid, s]));
  const voting = new Map<bigint, QuorumServer>();
  const observing = new Map<bigint, QuorumServer>();
  for (const [sid, s] of members) (s.type === 'participant' ? voting : observing).set(sid, s);
  return { members, voting, observing };
}
