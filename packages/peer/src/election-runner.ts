// Binds the pure FastLeaderElection core to a QuorumCnxManager and a clock: received payloads
// are parsed and stepped through the core, its actions are carried out (sends, named timers,
// reconnects), and decisions and events are handed to the peer.

import { buildMsg, tryParse, type ParsedNotification } from '@zkvote/wire';
import { FastLeaderElection, type Action, type Decision, type ElectionEvent, type ElectionOptions, type TimerName } from '@zkvote/election';
import type { QuorumCnxManager } from '@zkvote/cnxmanager';
import type { QuorumVerifier } from '@zkvote/quorum';
import type { Clock, Logger, TimerHandle } from './clock.js';

export interface RunnerHooks {
  decided(decision: Decision): void;
  event(event: ElectionEvent): void;
  /** Every well-formed notification, whatever the core makes of it (mixed-ensemble watch). */
  notification(sid: bigint, n: ParsedNotification): void;
  /** A newer configuration arrived while LOOKING; the core stopped itself (PROTOCOL.md 3.6). */
  restart(verifier: QuorumVerifier): void;
}

export interface MessageCounts {
  received: number;
  sent: number;
  malformed: number;
}

export class ElectionRunner {
  readonly core: FastLeaderElection;
  private readonly timers = new Map<TimerName, TimerHandle>();
  private closed = false;
  readonly counts: MessageCounts = { received: 0, sent: 0, malformed: 0 };
  private readonly onMessage = (sid: bigint, payload: Uint8Array): void => this.receive(sid, payload);
  private readonly onUp = (sid: bigint): void => this.apply(this.core.connectionUp(sid));
  private readonly onDown = (sid: bigint): void => this.apply(this.core.connectionDown(sid));

  constructor(
    options: ElectionOptions,
    private readonly cnx: QuorumCnxManager,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly hooks: RunnerHooks,
  ) {
    this.core = new FastLeaderElection(options);
    cnx.on('message', this.onMessage);
    cnx.on('connected', this.onUp);
    cnx.on('disconnected', this.onDown);
    for (const [sid, info] of cnx.peerTable()) if (info.state === 'connected') this.core.connectionUp(sid);
  }

  startLooking(lastZxid: bigint, currentEpoch: bigint): void {
    if (this.closed) return;
    this.apply(this.core.startLooking({ lastZxid, currentEpoch }));
  }

  /** Detaches from the manager and cancels every timer; the core is stopped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cnx.off('message', this.onMessage);
    this.cnx.off('connected', this.onUp);
    this.cnx.off('disconnected', this.onDown);
    this.core.stop();
    for (const handle of this.timers.values()) this.clock.clearTimeout(handle);
    this.timers.clear();
  }

  private receive(sid: bigint, payload: Uint8Array): void {
    if (this.closed) return;
    const parsed = tryParse(payload);
    if (!parsed.ok) {
      this.counts.malformed += 1;
      this.logger.debug('dropping malformed notification', { sid: sid.toString(), error: parsed.error.message });
      return;
    }
    this.counts.received += 1;
    this.hooks.notification(sid, parsed.value);
    this.apply(this.core.receive(sid, parsed.value));
  }

  private apply(actions: Action[]): void {
    for (const action of actions) {
      if (this.closed) return;
      switch (action.type) {
        case 'send':
          this.counts.sent += 1;
          this.cnx.send(action.to, buildMsg(action.notification));
          break;
        case 'setTimer': {
          const previous = this.timers.get(action.timer);
          if (previous !== undefined) this.clock.clearTimeout(previous);
          const timer = action.timer;
          this.timers.set(
            timer,
            this.clock.setTimeout(() => {
              this.timers.delete(timer);
              if (!this.closed) this.apply(this.core.timerFired(timer, { someQueueEmpty: this.cnx.someQueueEmpty() }));
            }, action.delayMs),
          );
          break;
        }
        case 'cancelTimer': {
          const handle = this.timers.get(action.timer);
          if (handle !== undefined) this.clock.clearTimeout(handle);
          this.timers.delete(action.timer);
          break;
        }
        case 'connectAll':
          this.cnx.connectAll();
          break;
        case 'decided':
          this.hooks.decided(action);
          break;
        case 'restart':
          this.hooks.restart(action.verifier);
          break;
        case 'event':
          this.hooks.event(action.event);
          break;
      }
    }
  }
}
