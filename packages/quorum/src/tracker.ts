// VoteTracker, ZooKeeper's SyncedLearnerTracker (PROTOCOL.md 5.5): acks counted per
// verifier, only where the sid votes; a joint quorum needs every verifier satisfied.

import type { QuorumVerifier } from './verifier.js';

export class VoteTracker {
  private readonly entries: { verifier: QuorumVerifier; acks: Set<bigint> }[];

  constructor(...verifiers: QuorumVerifier[]) {
    if (verifiers.length === 0) throw new TypeError('VoteTracker needs at least one verifier');
    this.entries = verifiers.map((verifier) => ({ verifier, acks: new Set<bigint>() }));
  }

  get verifiers(): readonly QuorumVerifier[] {
    return this.entries.map((e) => e.verifier);
  }

  /** Record an ack; returns true when some verifier counted it (the sid votes there). */
  addAck(sid: bigint): boolean {
    let counted = false;
    for (const e of this.entries) {
      if (e.verifier.votingMembers.has(sid)) {
        e.acks.add(sid);
        counted = true;
      }
    }
    return counted;
  }

  /** A voter of at least one verifier (ZooKeeper's "valid voter"). */
  isVoter(sid: bigint): boolean {
    return this.entries.some((e) => e.verifier.votingMembers.has(sid));
  }

  hasAllQuorums(): boolean {
    return this.entries.every((e) => e.verifier.containsQuorum(e.acks));
  }

  /** The acks counted for `verifier` (empty when it is not tracked). */
  ackedBy(verifier: QuorumVerifier): ReadonlySet<bigint> {
    return this.entries.find((e) => e.verifier === verifier)?.acks ?? new Set();
  }

  clear(): void {
    for (const e of this.entries) e.acks.clear();
  }
}
