// Vote values and the two comparisons the election lives by: ZooKeeper's Vote.equals
// (PROTOCOL.md 3.5) and the total order on candidates (4.3).

import { ServerState } from '@zkvote/wire';
import type { Vote } from './types.js';

export function makeVote(
  leader: bigint,
  zxid: bigint,
  electionEpoch: bigint,
  peerEpoch: bigint,
  state: ServerState = ServerState.LOOKING,
  version = 0,
): Vote {
  return { leader, zxid, electionEpoch, peerEpoch, state, version };
}

/**
 * ZooKeeper's vote equality. A LOOKING vote on either side needs the whole
 * (leader, zxid, round, peerEpoch) to match; two out-of-election votes match on the leader,
 * plus peerEpoch unless exactly one of them comes from a pre-3.4.6 (version 0) message.
 */
export function votesEqual(a: Vote, b: Vote): boolean {
  if (a.state === ServerState.LOOKING || b.state === ServerState.LOOKING) {
    return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
  }
  if (a.version > 0 !== b.version > 0) return a.leader === b.leader;
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
}

export interface Candidate {
  readonly leader: bigint;
  readonly zxid: bigint;
  readonly peerEpoch: bigint;
}

/**
 * True when `next` should replace `cur`: higher peerEpoch, then higher zxid, then higher sid.
 * A candidate whose weight is 0 never wins, whatever its numbers.
 */
export function isBetter(weight: (sid: bigint) => number, next: Candidate, cur: Candidate): boolean {
  if (weight(next.leader) === 0) return false;
  if (next.peerEpoch !== cur.peerEpoch) return next.peerEpoch > cur.peerEpoch;
  if (next.zxid !== cur.zxid) return next.zxid > cur.zxid;
  return next.leader > cur.leader;
}

export function formatVote(v: Candidate & { electionEpoch?: bigint }): string {
  const round = v.electionEpoch === undefined ? '' : ` r${v.electionEpoch}`;
  return `(${v.leader}, 0x${BigInt.asUintN(64, v.zxid).toString(16)}, e${v.peerEpoch}${round})`;
}
