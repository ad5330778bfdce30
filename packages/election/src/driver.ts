// ElectionDriver: runs the pure core against a real QuorumCnxManager and a clock. It decodes
// payloads, feeds the core, and carries out its actions (encode + send, timers, reconnect).
// All election logic stays in the core; this file only moves bytes and time.

import { EventEmitter } from 'node:events';
import { buildMsg, tryParse, type BuildLayout, type ServerState } from '@zkvote/wire';
import type { QuorumVerifier } from '@zkvote/quorum';
import { ElectionError } from './errors.js';
import { FastLeaderElection } from './core/fle.js';
import type { Action, Decision, ElectionEvent, ElectionOptions, StartLookingInput, TimerName } from './core/types.js';

import { systemClock, type Clock, type TimerHandle } from '@zkvote/cnxmanager';

// One clock seam for every layer: the connection manager defines it, the driver reuses it.
export { systemClock, type Clock, type TimerHandle } from '@zkvote/cnxmanager';

type MessageListener = (sid: bigint, payload: Uint8Array) => void;
type SidListener = (sid: bigint) => void;

/**
 * The part of @zkvote/cnxmanager's QuorumCnxManager the driver uses; the manager fits as is (the
 * loopback tests pass one), and so can a fake or a simulated network.
 */
export interface ElectionTransport {
  send(sid: bigint, payload: Uint8Array): void;
  /** ZooKeeper's haveDelivered(): some per-peer send queue is empty. */
  someQueueEmpty(): boolean;
  connectAll(): void;
  /** Used once, to learn which connections were already up before the driver attached. */
  peerTable(): ReadonlyMap<bigint, { state: string }>;
  on(event: 'message', listener: MessageListener): unknown;
  on(event: 'connected' | 'disconnected', listener: SidListener): unknown;
  off(event: 'message', listener: MessageListener): unknown;
  off(event: 'connected' | 'disconnected', listener: SidListener): unknown;
}

export interface ElectionDriverOptions extends ElectionOptions {
  cnx: ElectionTransport;
  clock?: Clock;
  /** Layout of outgoing notifications; 'v2' (what 3.5+ sends) unless emulating an old server. */
  layout?: BuildLayout;
}

export interface DriverStats {
  received: number;
  /** Payloads @zkvote/wire rejected (dropped, as a 3.5.8+ receiver does). */
  malformed: number;
  sent: number;
}

export interface ElectionDriverEvents {
  decided: [decision: Decision];
  event: [event: ElectionEvent];
  state: [state: ServerState];
  /** A newer, different configuration arrived: the election stopped; the owner must rebuild it. */
  restart: [info: { from: bigint; verifier: QuorumVerifier }];
}

export class ElectionDriver extends EventEmitter<ElectionDriverEvents> {
  readonly core: FastLeaderElection;
  readonly stats: DriverStats = { received: 0, malformed: 0, sent: 0 };
  readonly #cnx: ElectionTransport;
  readonly #clock: Clock;
  readonly #layout: BuildLayout;
  readonly #timers = new Map<TimerName, TimerHandle>();
  #waiter: { resolve(d: Decision): void; reject(e: Error): void } | null = null;
  #closed = false;

  readonly #onMessage = (sid: bigint, payload: Uint8Array): void => {
    if (this.#closed) return;
    this.stats.received++;
    const r = tryParse(payload);
    if (!r.ok) {
      this.stats.malformed++;
      return;
    }
    this.#run(this.core.receive(sid, r.value, this.#clock.now()));
  };
  readonly #onConnected = (sid: bigint): void => {
    if (!this.#closed) this.#run(this.core.connectionUp(sid));
  };
  readonly #onDisconnected = (sid: bigint): void => {
    if (!this.#closed) this.#run(this.core.connectionDown(sid));
  };

  constructor(opts: ElectionDriverOptions) {
    super();
    const { cnx, clock, layout, ...coreOptions } = opts;
    this.core = new FastLeaderElection(coreOptions);
    this.#cnx = cnx;
    this.#clock = clock ?? systemClock;
    this.#layout = layout ?? 'v2';
    cnx.on('message', this.#onMessage);
    cnx.on('connected', this.#onConnected);
    cnx.on('disconnected', this.#onDisconnected);
    for (const [sid, info] of cnx.peerTable()) if (info.state === 'connected') this.core.connectionUp(sid);
  }

  /** One lookForLeader(): resolves with the decision; rejects if closed or restarted first. */
  lookForLeader(input: StartLookingInput): Promise<Decision> {
    if (this.#closed) return Promise.reject(new ElectionError('CLOSED', 'expected an open driver, got lookForLeader() after close()'));
    let actions: Action[];
    try {
      // Misuse (already looking, or after a restart stopped the core) rejects this call only;
      // the election that is running keeps its own pending promise.
      actions = this.core.startLooking({ ...input, now: input.now ?? this.#clock.now() });
    } catch (e) {
      return Promise.reject(e);
    }
    const done = new Promise<Decision>((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
    let failure: { error: unknown } | null = null;
    try {
      this.emit('state', this.core.state);
    } catch (error) {
      failure = { error };
    }
    try {
      this.#run(actions);
    } catch (error) {
      failure ??= { error };
    }
    if (failure !== null) {
      // The caller never gets this promise; the election runs on and reports through 'decided'.
      done.catch(() => undefined);
      throw failure.error;
    }
    return done;
  }

  /** Stops the core and its timers and detaches from the connection manager (which the owner halts). */
  close(): void {
    if (this.#closed) return;
    this.core.stop();
    this.#closed = true;
    for (const handle of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
    this.#cnx.off('message', this.#onMessage);
    this.#cnx.off('connected', this.#onConnected);
    this.#cnx.off('disconnected', this.#onDisconnected);
    this.#settle(null, new ElectionError('CLOSED', 'expected a decision, got close() while looking'));
  }

  /**
   * Carries out every action even if a listener or the transport throws on one of them (a skipped
   * setTimer would stall the election for good); the first such error is rethrown at the end.
   */
  #run(actions: Action[]): void {
    let failure: { error: unknown } | null = null;
    for (const a of actions) {
      try {
        this.#perform(a);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== null) throw failure.error;
  }

  #perform(a: Action): void {
    switch (a.type) {
      case 'send':
        this.stats.sent++;
        this.#cnx.send(a.to, buildMsg(a.notification, this.#layout));
        break;
      case 'setTimer': {
        const old = this.#timers.get(a.timer);
        if (old !== undefined) this.#clock.clearTimeout(old);
        const timer = a.timer;
        this.#timers.set(
          timer,
          this.#clock.setTimeout(() => {
            this.#timers.delete(timer);
            if (!this.#closed) this.#run(this.core.timerFired(timer, { someQueueEmpty: this.#cnx.someQueueEmpty() }));
          }, a.delayMs),
        );
        break;
      }
      case 'cancelTimer': {
        const old = this.#timers.get(a.timer);
        if (old !== undefined) this.#clock.clearTimeout(old);
        this.#timers.delete(a.timer);
        break;
      }
      case 'connectAll':
        this.#cnx.connectAll();
        break;
      case 'decided': {
        const { type: _type, ...decision } = a;
        // Settle first: a listener may start the next lookForLeader, whose promise is not this one.
        this.#settle(decision, null);
        this.emit('state', a.state);
        this.emit('decided', decision);
        break;
      }
      case 'restart':
        this.#settle(null, new ElectionError('RESTART', `expected to finish the election, got a newer config (version ${a.verifier.version}) from ${a.from}`));
        this.emit('restart', { from: a.from, verifier: a.verifier });
        break;
      case 'event':
        this.emit('event', a.event);
        break;
    }
  }

  #settle(decision: Decision | null, error: Error | null): void {
    const w = this.#waiter;
    if (w === null) return;
    this.#waiter = null;
    if (decision !== null) w.resolve(decision);
    else if (error !== null) w.reject(error);
  }
}
