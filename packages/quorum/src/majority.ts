// QuorumMaj (PROTOCOL.md 5.3): strictly more than half of the voting members; observers are
// members that never count.

import type { QuorumServer } from './server.js';
import { indexMembers, membersEqual, serverLines, versionHex, type QuorumVerifier } from './verifier.js';

export class QuorumMaj implements QuorumVerifier {
  readonly kind = 'majority' as const;
  readonly version: bigint;
  readonly members: ReadonlyMap<bigint, QuorumServer>;
  readonly votingMembers: ReadonlyMap<bigint, QuorumServer>;
  readonly observingMembers: ReadonlyMap<bigint, QuorumServer>;
  /** floor(voters / 2); a quorum is any set larger than this. */
  readonly half: number;

  constructor(servers: Iterable<QuorumServer>, version = 0n) {
    const { members, voting, observing } = indexMembers(servers);
    this.members = members;
    this.votingMembers = voting;
    this.observingMembers = observing;
    this.version = version;
    this.half = Math.floor(voting.size / 2);
  }

  weight(_sid: bigint): number {
    return 1;
  }

  containsQuorum(sids: Iterable<bigint>): boolean {
    // A Set (VoteTracker's acks) is already free of repeats; counting it needs no copy.
    return (sids instanceof Set ? sids.size : new Set(sids).size) > this.half;
  }

  equals(other: QuorumVerifier): boolean {
    if (other.kind !== 'majority') return false;
    if (other.version === this.version) return true;
    return membersEqual(this.members, other.members);
  }

  toString(): string {
    return [...serverLines(this.members), `version=${versionHex(this.version)}`].join('\n');
  }
}
