// Public types of the pure Fast Leader Election core: its options, the votes it keeps, and the
// actions/events it hands back to whoever drives it (the ElectionDriver or the simulator).
// API stability: this file is the contract for @zkvote/sim and @zkvote/peer. Changes so far: none.

import type { ServerState } from '@zkvote/wire';
import type { QuorumVerifier } from '@zkvote/quorum';

/** ZooKeeper's Long.MIN_VALUE: what a non-voter proposes for id, zxid and epoch. */
export const LONG_MIN = -(2n ** 63n);

/** ZooKeeper 3.8 defaults (PROTOCOL.md 4.9). */
export const DEFAULT_MIN_NOTIFICATION_INTERVAL_MS = 200;
export const DEFAULT_MAX_NOTIFICATION_INTERVAL_MS = 60_000;
export const DEFAULT_FINALIZE_WAIT_MS = 200;
/** zkvote's fast mode: how old a vote heard while decided may be to join the next election. */
export const DEFAULT_HELD_VOTE_WINDOW_MS = 50;

/**
 * A vote as ZooKeeper's `Vote` holds it (PROTOCOL.md 3.5). `version` is the message-format
 * version of the notification it came from (0 for locally built votes and 28/40-byte senders).
 */
export interface Vote {
  readonly leader: bigint;
  readonly zxid: bigint;
  readonly electionEpoch: bigint;
  readonly peerEpoch: bigint;
  readonly state: ServerState;
  readonly version: number;
}

/**
 * One election notification, structurally identical to @zkvote/wire's `Notification` (so a
 * parsed payload can be passed straight in, and an outgoing one straight to `buildMsg`).
 * `state` stays a number because unknown codes must survive until the core drops them.
 */
export interface ElectionNotification {
  state: number;
  leader: bigint;
  zxid: bigint;
  electionEpoch: bigint;
  peerEpoch: bigint;
  version: number;
  config: Uint8Array | null;
}

export type LearnerType = 'participant' | 'observer';
export type TimerName = 'notification' | 'finalize';

export interface ElectionOptions {
  myid: bigint;
  /** The committed configuration. */
  verifier: QuorumVerifier;
  /** The last-seen (proposed, uncommitted) configuration; counted jointly if its version is higher. */
  lastSeenVerifier?: QuorumVerifier | null;
  learnerType?: LearnerType;
  /** First notification timeout (default 200 ms). */
  minNotificationIntervalMs?: number;
  /** Cap of the doubling notification timeout (default 60000 ms). */
  maxNotificationIntervalMs?: number;
  /** How long to wait for a better vote after a quorum agrees (default 200 ms). */
  finalizeWaitMs?: number;
  /**
   * Decide without finalizeWait once every voter heard this round agrees and every silent one is
   * known to be gone, and answer at once a same-round voter with a worse vote that has shown it
   * missed our latest broadcast (README "Fast decision"; default true). false: ZooKeeper's timing
   * and messages exactly.
   */
  fastDecision?: boolean;
  /**
   * Fast mode: how recent (ms, on the clock given to receive() and startLooking()) a LOOKING vote
   * heard while decided must be to join our next election (README "Votes heard while
   * following"; default 50). 0 turns it off.
   */
  heldVoteWindowMs?: number;
  /** Committed config text sent in every notification; default utf8(verifier.toString()). */
  configBytes?: Uint8Array;
  /**
   * Parses a received config payload (PROTOCOL.md 3.6). Default: @zkvote/quorum's
   * parseNotificationConfig; `false` disables config gossip handling. Return null / throw on
   * invalid text (the notification is then processed without its config).
   */
  parseConfig?: ((bytes: Uint8Array) => QuorumVerifier | null) | false;
}

export interface StartLookingInput {
  /** Last logged zxid (0 for an empty trusted database, -1 when autocreate is off and empty). */
  lastZxid: bigint;
  /** The `currentEpoch` file's value. */
  currentEpoch: bigint;
  /**
   * The caller's clock (ms), the same one it passes to receive(). Only fast decision reads it:
   * votes heard while decided, at most heldVoteWindowMs before this, join the new election.
   */
  now?: number;
}

/** How a decision was reached: the LOOKING quorum (4.6 d), or FOLLOWING/LEADING replies (4.6 f). */
export type DecisionPath = 'looking' | 'recvset' | 'outofelection';

export interface Decision {
  /** LEADING, FOLLOWING or OBSERVING. */
  state: ServerState;
  /** The returned vote: (leader, zxid, round of the decision, peerEpoch), state LOOKING, version 0. */
  vote: Vote;
  /** True when fast decision skipped finalizeWait. */
  fast: boolean;
  path: DecisionPath;
  /** Voters whose votes the tracker counted for this decision (ascending). */
  voters: readonly bigint[];
}

export type Action =
  /** Send this notification to `to` (the driver encodes it with buildMsg). `to` may be myid (loopback). */
  | { type: 'send'; to: bigint; notification: ElectionNotification }
  /** Arm (or re-arm, replacing the previous one) the named timer. */
  | { type: 'setTimer'; timer: TimerName; delayMs: number }
  | { type: 'cancelTimer'; timer: TimerName }
  /** Nothing was received and every send queue is busy: ask the connection manager to reconnect. */
  | { type: 'connectAll' }
  | ({ type: 'decided' } & Decision)
  /**
   * A received config has a higher version and differs from ours while LOOKING: ZooKeeper shuts
   * the election (and its connection manager) down and restarts it. The core has stopped itself.
   */
  | { type: 'restart'; from: bigint; verifier: QuorumVerifier }
  | { type: 'event'; event: ElectionEvent };

export type IgnoreReason =
  | 'not-started' // no lookForLeader has begun yet
  | 'stopped' // stop() was called
  | 'unknown-state' // state code outside 0..3 from a voter
  | 'non-voter' // sender or proposed leader is not a voter (loop rule c)
  | 'observing' // OBSERVING notifications are ignored by the loop
  | 'own-zxid-minus-one' // my initial zxid is -1 (3.6+)
  | 'zxid-minus-one' // the notification's zxid is -1 (3.6+)
  | 'stale-round' // LOOKING notification of a lower round
  | 'not-looking'; // I am not LOOKING and the sender is not LOOKING either

export type ReplyReason =
  | 'non-voter' // a non-voter asked: our decided vote, round and state
  | 'stale-round' // a LOOKING voter of a lower round: our proposal in our round
  | 'not-looking' // we decided; a LOOKING voter asked: our decided vote
  | 'worse-vote'; // fast mode: a same-round LOOKING voter that missed our broadcast holds a worse vote

export type ProposalReason = 'initial' | 'higher-round' | 'better-vote';

export type ElectionEvent =
  | { kind: 'proposal'; reason: ProposalReason; vote: Vote; from?: bigint }
  | { kind: 'round'; from: bigint; to: bigint }
  | { kind: 'received'; sid: bigint; notification: ElectionNotification }
  /** Fast mode: a LOOKING vote heard while we were decided, handed to the election we just started (a 'received' follows). */
  | { kind: 'replayed'; sid: bigint; notification: ElectionNotification; ageMs: number }
  | { kind: 'replied'; to: bigint; reason: ReplyReason }
  | { kind: 'ignored'; sid: bigint; reason: IgnoreReason }
  | { kind: 'quorum'; vote: Vote; voters: readonly bigint[]; fast: boolean }
  | { kind: 'finalize-discarded'; sid: bigint; notification: ElectionNotification }
  | { kind: 'finalize-resumed'; sid: bigint; notification: ElectionNotification }
  | { kind: 'timeout'; resent: boolean; nextIntervalMs: number }
  | { kind: 'decided'; decision: Decision };

export interface ElectionSnapshot {
  state: ServerState;
  logicalclock: bigint;
  proposal: Vote | null;
  currentVote: Vote | null;
  recvset: Map<bigint, Vote>;
  outofelection: Map<bigint, Vote>;
  notificationIntervalMs: number;
  finalizing: boolean;
  /** True between startLooking() and the decision (ZooKeeper's lookForLeader running). */
  looking: boolean;
  stopped: boolean;
  connected: bigint[];
}
