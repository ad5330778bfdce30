// Counting votes for a target the way ZooKeeper's getVoteTracker does: every stored vote equal
// to the target acks its sid, under the committed verifier and, when it is newer, the last-seen one.

import { VoteTracker, type QuorumVerifier } from '@zkvote/quorum';
import type { Vote } from './types.js';
import { votesEqual } from './vote.js';

export interface Tally {
  hasAllQuorums: boolean;
  /** Sids whose votes equal the target and that vote in some tracked configuration (ascending). */
  voters: bigint[];
}

export function trackedVerifiers(committed: QuorumVerifier, lastSeen: QuorumVerifier | null): QuorumVerifier[] {
  return lastSeen !== null && lastSeen.version > committed.version ? [committed, lastSeen] : [committed];
}

export function tally(verifiers: QuorumVerifier[], votes: ReadonlyMap<bigint, Vote>, target: Vote): Tally {
  const tracker = new VoteTracker(...verifiers);
  const voters: bigint[] = [];
  for (const [sid, vote] of votes) {
    if (votesEqual(target, vote) && tracker.addAck(sid)) voters.push(sid);
  }
  voters.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { hasAllQuorums: tracker.hasAllQuorums(), voters };
}
