// The Fast Leader Election state machine (PROTOCOL.md 4): ZooKeeper's receiver thread and
// lookForLeader loop folded into one pure step function. Inputs in, actions out; no I/O.
// Stub: the API is final, the behaviour lands in the next commits.

import { ServerState } from '@zkvote/wire';
import type {
  Action,
  ElectionNotification,
  ElectionOptions,
  ElectionSnapshot,
  StartLookingInput,
  TimerName,
  Vote,
} from './types.js';

export class FastLeaderElection {
  readonly myid: bigint;
  #state: ServerState = ServerState.LOOKING;
  #logicalclock = 0n;
  #proposal: Vote | null = null;
  #currentVote: Vote | null = null;

  constructor(opts: ElectionOptions) {
    this.myid = opts.myid;
  }

  get state(): ServerState {
    return this.#state;
  }
  get logicalclock(): bigint {
    return this.#logicalclock;
  }
  get proposal(): Vote | null {
    return this.#proposal;
  }
  get currentVote(): Vote | null {
    return this.#currentVote;
  }

  /** lookForLeader() begins: round + 1, initial vote, notifications to every voter. */
  startLooking(_input: StartLookingInput): Action[] {
    return [];
  }
  /** One notification from `sid` (the connection's sid, never a field of the message). */
  receive(_sid: bigint, _n: ElectionNotification): Action[] {
    return [];
  }
  timerFired(_timer: TimerName, _ctx: { someQueueEmpty: boolean }): Action[] {
    return [];
  }
  connectionUp(_sid: bigint): Action[] {
    return [];
  }
  connectionDown(_sid: bigint): Action[] {
    return [];
  }
  /** updateElectionVote: the synchronised epoch replaces currentVote's peerEpoch. */
  updatePeerEpoch(_epoch: bigint): void {}
  /** Shut the election down: timers cancelled, every later input ignored. */
  stop(): Action[] {
    return [];
  }
  snapshot(): ElectionSnapshot {
    return {
      state: this.#state,
      logicalclock: this.#logicalclock,
      proposal: this.#proposal,
      currentVote: this.#currentVote,
      recvset: new Map(),
      outofelection: new Map(),
      notificationIntervalMs: 200,
      finalizing: false,
      looking: false,
      stopped: false,
      connected: [],
    };
  }
}
