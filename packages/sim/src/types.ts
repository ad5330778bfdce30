// What a simulated run produces: every message with its fate, every decision with how long it
// held, epochs established by the post-decision model, injected faults and invariant violations.

import type { Action, ElectionNotification, ElectionOptions, StartLookingInput, TimerName } from '@zkvote/election';
import type { Scenario } from './scenario.js';

export type StateName = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

/**
 * What happened to a message:
 * - `delivered`: handed to the receiving core;
 * - `dropped`: removed by the drop fault;
 * - `lost`: its connection broke (crash, partition) before it arrived;
 * - `superseded`: replaced in the one-slot send queue by a newer message before any connection;
 * - `malformed`: the receiver's decoder rejected the bytes;
 * - `pending` / `in-flight`: still queued or travelling when the run ended.
 */
export type MessageFate = 'delivered' | 'dropped' | 'lost' | 'superseded' | 'malformed' | 'pending' | 'in-flight';

export interface VoteRecord {
  leader: bigint;
  zxid: bigint;
  electionEpoch: bigint;
  peerEpoch: bigint;
}

export interface MessageRecord {
  id: number;
  /** Virtual ms the sending core emitted it (or, for a resend, when the connection came up). */
  at: number;
  from: bigint;
  to: bigint;
  state: StateName;
  /** The vote as the receiver decodes it (a 28-byte sender's peerEpoch is derived from its zxid). */
  vote: VoteRecord;
  /** Payload size on the wire: 28, 40 or 44+N. */
  bytes: number;
  fate: MessageFate;
  deliveredAt: number | null;
  /** An extra copy made by the duplicate fault. */
  duplicate: boolean;
  /** Re-sent by the connection manager on a new connection (last message sent to that peer). */
  resend: boolean;
  /** Extra delay injected (delay or reorder fault), in ms. */
  delayedMs: number;
  /** Election run (see SimResult.elections) of the sender when it sent this, null if none yet. */
  fromElection: number | null;
  /** Election run of the receiver when it got this (null unless delivered). */
  toElection: number | null;
  /** Global delivery order (1, 2, ...; null unless delivered): orders same-millisecond events. */
  deliverySeq: number | null;
}

export interface DecisionRecord {
  sid: bigint;
  state: StateName;
  leader: bigint;
  zxid: bigint;
  round: bigint;
  peerEpoch: bigint;
  at: number;
  fast: boolean;
  path: 'looking' | 'recvset' | 'outofelection';
  /** Voters the core says it counted. */
  voters: bigint[];
  /** The election run that produced it. */
  election: number;
  /** Deliveries that happened before it (compare with MessageRecord.deliverySeq). */
  afterDeliveries: number;
  /** When the peer left this decision (crash, back to LOOKING), null if it still held at the end. */
  endedAt: number | null;
  endReason: string | null;
}

/** One lookForLeader run of one peer: what it started from. */
export interface ElectionRun {
  id: number;
  sid: bigint;
  startedAt: number;
  lastZxid: bigint;
  currentEpoch: bigint;
  /** Core instance (bumped by every start/restart): runs of one life share the logicalclock. */
  life: number;
}

export interface EpochRecord {
  at: number;
  leader: bigint;
  epoch: bigint;
  /** Leader and the followers that synchronised with it to form the quorum. */
  members: bigint[];
}

export interface FaultRecord {
  at: number;
  kind: 'start' | 'crash' | 'restart' | 'partition' | 'heal' | 'drop' | 'duplicate' | 'delay' | 'reorder';
  detail: string;
}

export type InvariantName = 'quorum-backing' | 'claimed-voters' | 'highest-vote' | 'agreement' | 'liveness';

export interface Violation {
  invariant: InvariantName;
  message: string;
  at: number;
  sids: bigint[];
  seed: number;
  /** Shell command that replays this run. */
  replay: string;
}

export interface LivenessReport {
  /** False when the run gives no liveness guarantee (faults until the end, no quorum up, ...). */
  checked: boolean;
  reason: string;
  /** When faults stopped (last scenario event). */
  quietFrom: number;
  /** quietFrom + bound: by then every live peer must follow the same leader. */
  deadline: number;
  boundMs: number;
  /** First time all live peers agreed after quietFrom (null if never). */
  convergedAt: number | null;
  leader: bigint | null;
}

export interface PeerSummary {
  sid: bigint;
  up: boolean;
  state: StateName | 'DOWN';
  leader: bigint | null;
  round: bigint | null;
  lastZxid: bigint;
  currentEpoch: bigint;
  acceptedEpoch: bigint;
}

export interface SimStats {
  events: number;
  messages: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  lost: number;
  superseded: number;
  resent: number;
  /** True when the run hit the event cap (a livelock guard), so it ended early. */
  truncated: boolean;
}

export interface SimResult {
  seed: number;
  scenario: Scenario;
  /** Virtual ms the run was planned to stop at, and where it stopped. */
  until: number;
  endedAt: number;
  /**
   * Every message, in the order made; empty when the run was made with messageLog: false, and
   * then the checks that need the deliveries (quorum-backing, claimed-voters, highest-vote) are
   * skipped (see messagesLogged).
   */
  messages: MessageRecord[];
  messagesLogged: boolean;
  decisions: DecisionRecord[];
  elections: ElectionRun[];
  epochs: EpochRecord[];
  faults: FaultRecord[];
  violations: Violation[];
  liveness: LivenessReport;
  peers: PeerSummary[];
  stats: SimStats;
}

/** The slice of the election core the simulator drives (FastLeaderElection fits it). */
export interface ElectionCore {
  startLooking(input: StartLookingInput): Action[];
  receive(sid: bigint, notification: ElectionNotification, now?: number): Action[];
  timerFired(timer: TimerName, ctx: { someQueueEmpty: boolean }): Action[];
  connectionUp(sid: bigint): Action[];
  connectionDown(sid: bigint): Action[];
  stop(): Action[];
  /** ZooKeeper's updateElectionVote, called when the post-decision model establishes an epoch. */
  updatePeerEpoch?(epoch: bigint): void;
}

export type CoreFactory = (options: ElectionOptions) => ElectionCore;
