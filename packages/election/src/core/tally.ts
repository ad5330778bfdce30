// Counting votes for a target the way ZooKeeper's getVoteTracker does: every stored vote equal
// to the target acks its sid, under the committed verifier and, when it is newer, the last-seen one.

import { VoteTracker, type QuorumVerifier } from '@zkvote/quorum';
import { ServerState } from '@zkvote/wire';
import type { Vote } from './types.js';
import { votesEqual } from './vote.js';

export interface Tally {
  hasAllQuorums: boolean;
  /**
   * Sids whose votes equal the target and that vote in some tracked configuration (ascending).
   * Read it only when hasAllQuorums: AgreeingVotes leaves it empty otherwise.
   */
  voters: bigint[];
}

export function trackedVerifiers(committed: QuorumVerifier, lastSeen: QuorumVerifier | null): QuorumVerifier[] {
  return lastSeen !== null && lastSeen.version > committed.version ? [committed, lastSeen] : [committed];
}

export function tally(verifiers: QuorumVerifier[], votes: ReadonlyMap<bigint, Vote>, target: Vote): Tally {
  return tallySids(verifiers, matching(votes, target));
}

function matching(votes: ReadonlyMap<bigint, Vote>, target: Vote): bigint[] {
  const sids: bigint[] = [];
  for (const [sid, vote] of votes) if (votesEqual(target, vote)) sids.push(sid);
  return sids;
}

function tallySids(verifiers: QuorumVerifier[], sids: Iterable<bigint>): Tally {
  const tracker = new VoteTracker(...verifiers);
  const voters: bigint[] = [];
  for (const sid of sids) if (tracker.addAck(sid)) voters.push(sid);
  voters.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { hasAllQuorums: tracker.hasAllQuorums(), voters };
}

/**
 * The same count as tally() for a LOOKING target, kept up to date as votes are stored, so that
 * the check after each notification costs the votes that agree rather than the whole vote map.
 * At a thousand voters that is the difference between a per-message scan of every vote and
 * almost nothing for the many messages that do not change the answer.
 *
 * The owner reports every change to the vote map (stored(), cleared()). A quorum is monotone
 * in its acks, so once a count said "no quorum", only a new agreeing vote can change that.
 */
export class AgreeingVotes {
  #target: Vote | null = null;
  #sids = new Set<bigint>();
  /** A vote joined since the last count, or the last count found a quorum. */
  #recount = true;

  /** The vote map was emptied or replaced. */
  cleared(): void {
    this.#target = null;
  }

  /** `vote` was stored for `sid` (replacing whatever it had). */
  stored(sid: bigint, vote: Vote): void {
    const target = this.#target;
    if (target === null) return;
    if (votesEqual(target, vote)) {
      if (!this.#sids.has(sid)) {
        this.#sids.add(sid);
        this.#recount = true;
      }
    } else {
      this.#sids.delete(sid);
    }
  }

  /** tally(verifiers, votes, target) for a LOOKING target; `votes` must be the map reported on. */
  tally(verifiers: QuorumVerifier[], votes: ReadonlyMap<bigint, Vote>, target: Vote): Tally {
    if (target.state !== ServerState.LOOKING) return tally(verifiers, votes, target);
    const known = this.#target;
    if (known === null || !sameLookingVote(known, target)) {
      this.#target = target;
      this.#sids = new Set(matching(votes, target));
      this.#recount = true;
    }
    if (!this.#recount || !couldHoldQuorums(verifiers, this.#sids.size)) return { hasAllQuorums: false, voters: [] };
    const t = tallySids(verifiers, this.#sids);
    this.#recount = t.hasAllQuorums;
    return t;
  }
}

/** Cheap necessary condition: a majority verifier needs more than half its voters to agree. */
function couldHoldQuorums(verifiers: readonly QuorumVerifier[], agreeing: number): boolean {
  for (const v of verifiers) if (v.kind === 'majority' && agreeing <= Math.floor(v.votingMembers.size / 2)) return false;
  return true;
}

function sameLookingVote(a: Vote, b: Vote): boolean {
  return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
}
