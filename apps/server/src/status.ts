// What the observing side of the server (admin API, four-letter words, metrics, logs) needs to
// know about the peer, as one plain snapshot. The adapter in peer-source.ts fills it from
// @zkvote/peer; unit tests fill it from a fake.

export type StateName = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';
export type LearnerType = 'participant' | 'observer';

/** A vote as ZooKeeper's `Vote` holds it; `state` is the sender's state where known. */
export interface VoteView {
  readonly leader: bigint;
  readonly zxid: bigint;
  readonly electionEpoch: bigint;
  readonly peerEpoch: bigint;
  readonly state?: string;
}

/** One row of the election connection table. */
export interface ConnectionView {
  readonly sid: bigint;
  readonly connected: boolean;
  readonly [detail: string]: unknown;
}

export interface PeerStatus {
  readonly sid: bigint;
  readonly state: StateName;
  readonly learnerType: LearnerType;
  /** The elected leader while not LOOKING, else null. */
  readonly leader: bigint | null;
  /** logicalclock: the election round. */
  readonly round: bigint;
  /** Last zxid this peer reports (0 for a fresh peer; `setZxid` moves it). */
  readonly zxid: bigint;
  /** The live proposal while LOOKING. */
  readonly proposal: VoteView | null;
  /** The vote this peer answers LOOKING peers with (its last decision). */
  readonly currentVote: VoteView | null;
  readonly recvset: ReadonlyMap<bigint, VoteView>;
  readonly outofelection: ReadonlyMap<bigint, VoteView>;
  readonly connections: readonly ConnectionView[];
  readonly acceptedEpoch: bigint | null;
  readonly currentEpoch: bigint | null;
  /** The epoch established with a quorum (the leader's fencing token), null until then. */
  readonly establishedEpoch: bigint | null;
  /** On a leader: learners with a live session. */
  readonly learners: readonly bigint[];
  /** The peer's own measure of its last election (LOOKING to decision), when it keeps one. */
  readonly lastElectionMs?: number | null;
  /** Notification counters (at least `sent` and `received`). */
  readonly messages: Readonly<Record<string, number>>;
  /** Anything else the peer reports, passed through to /commands/election. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** A JSON-able election event (bigints allowed) with a `kind`. */
export interface ElectionEventView {
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** The peer as the observers see it. */
export interface PeerSource {
  status(): PeerStatus;
  /** `change`: something in status() may have changed; `event`: an election event happened. */
  on(event: 'change', listener: () => void): unknown;
  on(event: 'event', listener: (e: ElectionEventView) => void): unknown;
  off(event: 'change', listener: () => void): unknown;
  off(event: 'event', listener: (e: ElectionEventView) => void): unknown;
  close(): Promise<void>;
}

export function isServing(s: PeerStatus): boolean {
  return s.state !== 'LOOKING';
}

/** ZooKeeper's lowercase mode names as srvr/mntr print them. */
export function modeName(state: StateName): 'leader' | 'follower' | 'observer' | 'looking' {
  switch (state) {
    case 'LEADING':
      return 'leader';
    case 'FOLLOWING':
      return 'follower';
    case 'OBSERVING':
      return 'observer';
    default:
      return 'looking';
  }
}

export function sameVote(a: VoteView | null, b: VoteView | null): boolean {
  if (a === null || b === null) return a === b;
  return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
}
