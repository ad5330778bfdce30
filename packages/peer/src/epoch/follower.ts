// The learner's side of epoch establishment: connect to the leader's quorum port (retrying
// once a tick while it is not yet leading), announce sid/acceptedEpoch/lastZxid, persist the
// proposed epoch, ack, persist it as current once established, then answer heartbeats.

import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { TimerHandle } from '../clock.js';
import { QuorumChannel } from './channel.js';
import type { EpochContext } from './context.js';
import { RejectReason, type LearnerRole, type QuorumMessage, type ResponderStatus } from './messages.js';

const RETRY_CAP_MS = 200;
/** First retry delay; doubles per attempt up to the cap (a leader usually decides within ms). */
const RETRY_FIRST_MS = 5;
/** How a refused TCP connect reaches the channel's close reason. */
const REFUSED = 'socket error: ECONNREFUSED';

export type FollowerPhase = 'connecting' | 'handshake' | 'acked' | 'established' | 'stopped';

export interface QuorumEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Opens a connection to a leader's quorum port; replaced by tests and by TLS setups. */
export type QuorumConnector = (endpoint: QuorumEndpoint) => net.Socket;

export const tcpConnector: QuorumConnector = ({ host, port }) => net.connect({ host, port });

export interface FollowerEvents {
  established: [epoch: bigint];
  /** The session is over (leader silent, connection dropped, rejected, initLimit passed). */
  lost: [reason: string];
}

export interface FollowerOptions {
  readonly leader: bigint;
  readonly role: LearnerRole;
  /** Quorum addresses of the leader, tried in turn. */
  readonly endpoints: readonly QuorumEndpoint[];
  readonly connect?: QuorumConnector;
  /** The election round we decided in; a LOOKING leader in a later round is given up on at once. */
  readonly round?: bigint;
  /**
   * How long after its first LOOKING answer we keep retrying a leader that is still LOOKING in
   * our round (or an earlier one) before going LOOKING ourselves; initLimit alone bounds it when absent.
   */
  readonly lookingGraceMs?: number;
}

export class FollowerSession extends EventEmitter<FollowerEvents> {
  private phase: FollowerPhase = 'connecting';
  private channel: QuorumChannel | null = null;
  private initTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private silenceTimer: TimerHandle | undefined;
  private attempt = 0;
  /** Consecutive refused connects; a full round of them over every endpoint means no leader process. */
  private refusedInRow = 0;
  private established: bigint | null = null;
  /** The epoch ESTABLISHED named, set before it is persisted so heartbeats are answered meanwhile. */
  private confirmedEpoch: bigint | null = null;
  private lastHeardAt: number | null = null;
  /** When the leader first answered NOT_LEADING while LOOKING, null until then. */
  private firstLookingAt: number | null = null;

  constructor(
    private readonly ctx: EpochContext,
    private readonly options: FollowerOptions,
  ) {
    super();
  }

  get state(): FollowerPhase {
    return this.phase;
  }

  get leader(): bigint {
    return this.options.leader;
  }

  /** The epoch the leader established with us, null until then. */
  get epoch(): bigint | null {
    return this.established;
  }

  get lastHeard(): number | null {
    return this.lastHeardAt;
  }

  start(): void {
    const { clock, tickTime, initLimit } = this.ctx;
    if (this.options.endpoints.length === 0) {
      queueMicrotask(() => this.fail(`no quorum address known for leader ${this.options.leader}`));
      return;
    }
    this.initTimer = clock.setTimeout(() => {
      if (this.phase !== 'established') this.fail(`leader ${this.options.leader} not established within initLimit (${initLimit} ticks)`);
    }, tickTime * initLimit);
    this.connect();
  }

  stop(reason: string): void {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    const { clock } = this.ctx;
    clock.clearTimeout(this.initTimer);
    clock.clearTimeout(this.retryTimer);
    clock.clearTimeout(this.silenceTimer);
    this.channel?.close(reason);
    this.channel = null;
  }

  private fail(reason: string): void {
    if (this.phase === 'stopped') return;
    this.stop(reason);
    this.ctx.logger.warn('leaving leader', { leader: this.options.leader.toString(), reason });
    this.emit('lost', reason);
  }

  private connect(): void {
    const endpoints = this.options.endpoints;
    const endpoint = endpoints[this.attempt % endpoints.length] as QuorumEndpoint;
    this.attempt += 1;
    this.phase = 'connecting';
    const socket = (this.options.connect ?? tcpConnector)(endpoint);
    const channel = new QuorumChannel(socket);
    this.channel = channel;
    socket.once('connect', () => {
      this.refusedInRow = 0;
      if (this.channel !== channel) return;
      this.phase = 'handshake';
      channel.send({
        type: 'FOLLOWERINFO',
        role: this.options.role,
        sid: this.ctx.myid,
        acceptedEpoch: this.ctx.store.acceptedEpoch,
        lastZxid: this.ctx.lastZxid(),
      });
    });
    channel.on('message', (msg) => void this.onMessage(channel, msg));
    channel.on('close', (reason) => {
      if (this.channel !== channel || this.phase === 'stopped') return;
      this.channel = null;
      if (this.phase === 'connecting' && reason === REFUSED && ++this.refusedInRow >= endpoints.length) {
        // A zkvote peer binds its quorum port before it can cast a vote and keeps it for life, so
        // refusal on every endpoint means the leader process is gone: waiting out initLimit (with
        // the rest of the ensemble already electing without us) only delays the next election.
        this.fail(`leader ${this.options.leader} refused the quorum connection (not running)`);
        return;
      }
      if (this.phase === 'connecting' || this.phase === 'handshake') this.retry(reason);
      else this.fail(`connection to leader dropped (${reason})`);
    });
  }

  /**
   * Before any epoch was exchanged the leader may simply not have decided yet: try again soon,
   * 5 ms after the first attempt and doubling up to a tick or 200 ms, so a follower that decided
   * a few ms before its leader is not held back a whole tick.
   */
  private retry(reason: string): void {
    this.ctx.logger.debug('leader quorum port not ready, retrying', { leader: this.options.leader.toString(), reason });
    this.phase = 'connecting';
    this.retryTimer = this.ctx.clock.setTimeout(() => {
      if (this.phase === 'connecting') this.connect();
    }, Math.min(this.ctx.tickTime, RETRY_CAP_MS, RETRY_FIRST_MS * 2 ** Math.min(this.attempt - 1, 16)));
  }

  private async onMessage(channel: QuorumChannel, msg: QuorumMessage): Promise<void> {
    if (this.channel !== channel) return;
    this.heard();
    switch (msg.type) {
      case 'REJECT':
        if (msg.reason === RejectReason.NOT_LEADING && this.phase === 'handshake') {
          const giveUp = this.giveUpOn(msg.status);
          if (giveUp !== null) this.fail(giveUp);
          else channel.close(`leader not leading yet (${msg.status.state} in round ${msg.status.round})`);
          return;
        }
        this.fail(`leader rejected us: ${RejectReason[msg.reason] ?? msg.reason}`);
        return;
      case 'NEWEPOCH':
        if (this.phase !== 'handshake' || msg.leader !== this.options.leader) break;
        await this.onNewEpoch(channel, msg.epoch);
        return;
      case 'ESTABLISHED':
        if (this.phase !== 'acked') break;
        await this.onEstablished(msg.epoch);
        return;
      case 'PING':
        if (this.phase !== 'established' || msg.epoch !== this.confirmedEpoch) break;
        channel.send({ type: 'PONG', seq: msg.seq });
        return;
      default:
        break;
    }
    this.fail(`unexpected ${msg.type} from leader while ${this.phase}`);
  }

  /**
   * Reads a NOT_LEADING answer: a leader that decided for someone else will never lead this
   * session, nor will one that moved on to a later election; one still LOOKING in our round
   * usually decides within milliseconds (learners often decide just before their leader), so it
   * gets lookingGraceMs. Returns why to give up, or null to retry.
   */
  private giveUpOn(status: ResponderStatus): string | null {
    const leader = this.options.leader;
    if (status.leader !== null && status.leader !== leader) {
      return `leader ${leader} is ${status.state} ${status.leader} (round ${status.round}), not leading`;
    }
    if (status.state !== 'LOOKING') return null;
    const { round, lookingGraceMs } = this.options;
    if (round !== undefined && status.round > round) {
      return `leader ${leader} is LOOKING in round ${status.round}, after our round ${round}`;
    }
    const now = this.ctx.clock.now();
    this.firstLookingAt ??= now;
    if (lookingGraceMs !== undefined && now - this.firstLookingAt >= lookingGraceMs) {
      return `leader ${leader} still LOOKING (round ${status.round}) ${now - this.firstLookingAt} ms after first asked`;
    }
    return null;
  }

  private async onNewEpoch(channel: QuorumChannel, epoch: bigint): Promise<void> {
    const { store } = this.ctx;
    if (epoch < store.acceptedEpoch) {
      this.fail(`leader proposed epoch ${epoch}, below our acceptedEpoch ${store.acceptedEpoch}`);
      return;
    }
    this.phase = 'acked';
    try {
      if (epoch > store.acceptedEpoch) await store.setAcceptedEpoch(epoch);
    } catch (e) {
      this.fail(`cannot persist acceptedEpoch ${epoch}: ${(e as Error).message}`);
      return;
    }
    if (this.channel !== channel) return;
    channel.send({ type: 'ACKEPOCH', epoch, currentEpoch: store.currentEpoch, lastZxid: this.ctx.lastZxid() });
  }

  private async onEstablished(epoch: bigint): Promise<void> {
    const { store } = this.ctx;
    if (epoch !== store.acceptedEpoch) {
      this.fail(`leader established epoch ${epoch}, expected the acked ${store.acceptedEpoch}`);
      return;
    }
    this.phase = 'established';
    this.confirmedEpoch = epoch;
    try {
      if (store.currentEpoch !== epoch) await store.setCurrentEpoch(epoch);
    } catch (e) {
      this.fail(`cannot persist currentEpoch ${epoch}: ${(e as Error).message}`);
      return;
    }
    if (this.phase !== 'established') return;
    this.established = epoch;
    this.ctx.clock.clearTimeout(this.initTimer);
    this.heard();
    this.ctx.logger.info('following established leader', { leader: this.options.leader.toString(), epoch: epoch.toString() });
    this.emit('established', epoch);
  }

  /** Any message from the leader re-arms the syncLimit watchdog (once established). */
  private heard(): void {
    const { clock, tickTime, syncLimit } = this.ctx;
    this.lastHeardAt = clock.now();
    if (this.phase !== 'established') return;
    clock.clearTimeout(this.silenceTimer);
    this.silenceTimer = clock.setTimeout(() => {
      this.fail(`leader silent for syncLimit (${syncLimit} ticks)`);
    }, tickTime * syncLimit);
  }
}
