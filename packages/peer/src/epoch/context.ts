// What both sides of the epoch protocol need from the peer: identity, configuration, epoch
// storage, the zxid source, time and limits (in ticks, as zoo.cfg gives them).

import type { QuorumVerifier } from '@zkvote/quorum';
import type { Clock, Logger } from '../clock.js';
import type { ResponderStatus } from './messages.js';

/** The two persisted epochs plus their setters; EpochStore implements it, tests may fake it. */
export interface EpochStorage {
  readonly acceptedEpoch: bigint;
  readonly currentEpoch: bigint;
  setAcceptedEpoch(epoch: bigint): Promise<void>;
  setCurrentEpoch(epoch: bigint): Promise<void>;
}

export interface EpochContext {
  readonly myid: bigint;
  readonly verifier: QuorumVerifier;
  readonly store: EpochStorage;
  lastZxid(): bigint;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tickTime: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  /** The peer's election state, for NOT_LEADING answers (LOOKING in round 0 when absent). */
  status?(): ResponderStatus;
}

/** Only voting members count toward a quorum, whatever a learner claims to be. */
export function hasVotingQuorum(verifier: QuorumVerifier, sids: Iterable<bigint>): boolean {
  const voters: bigint[] = [];
  for (const sid of sids) if (verifier.votingMembers.has(sid)) voters.push(sid);
  return verifier.containsQuorum(voters);
}

/** ZooKeeper's StateSummary.isMoreRecentThan: epoch first, then zxid. */
export function isMoreRecent(a: { currentEpoch: bigint; lastZxid: bigint }, b: { currentEpoch: bigint; lastZxid: bigint }): boolean {
  return a.currentEpoch > b.currentEpoch || (a.currentEpoch === b.currentEpoch && a.lastZxid > b.lastZxid);
}
