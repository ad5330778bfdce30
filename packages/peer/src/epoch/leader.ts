// The leader's side of epoch establishment: gather learners until a quorum (counting itself)
// is connected, propose newEpoch = max(acceptedEpochs heard) + 1, establish it on a quorum of
// acks, then heartbeat every tick and step down when no quorum has acked for syncLimit ticks.

import { EventEmitter } from 'node:events';
import type { TimerHandle } from '../clock.js';
import type { QuorumChannel } from './channel.js';
import { hasVotingQuorum, isMoreRecent, type EpochContext } from './context.js';
import { RejectReason, type LearnerRole, type QuorumMessage } from './messages.js';

export type LeaderPhase = 'gathering' | 'proposing' | 'established' | 'stopped';

export interface LearnerView {
  readonly sid: bigint;
  readonly role: LearnerRole;
  readonly remote: string;
  readonly acceptedEpoch: bigint;
  readonly lastZxid: bigint;
  /** 'connected' → 'acked' (ACKEPOCH in) → 'established' (ESTABLISHED sent). */
  readonly stage: 'connected' | 'acked' | 'established';
  /** Clock time of the last message from this learner. */
  readonly lastHeard: number;
}

interface Learner {
  sid: bigint;
  role: LearnerRole;
  channel: QuorumChannel;
  acceptedEpoch: bigint;
  lastZxid: bigint;
  stage: 'connected' | 'proposed' | 'acked' | 'established';
  lastHeard: number;
}

export interface LeaderEvents {
  established: [epoch: bigint];
  stepDown: [reason: string];
}

export class LeaderSession extends EventEmitter<LeaderEvents> {
  private phase: LeaderPhase = 'gathering';
  private readonly learners = new Map<bigint, Learner>();
  private newEpoch: bigint | null = null;
  private established: bigint | null = null;
  private initTimer: TimerHandle | undefined;
  private tickTimer: TimerHandle | undefined;
  private pingSeq = 0n;
  private readonly summary: { currentEpoch: bigint; lastZxid: bigint };

  constructor(private readonly ctx: EpochContext) {
    super();
    this.summary = { currentEpoch: ctx.store.currentEpoch, lastZxid: ctx.lastZxid() };
  }

  get state(): LeaderPhase {
    return this.phase;
  }

  /** The established epoch (the fencing token), null until a quorum acked it. */
  get epoch(): bigint | null {
    return this.established;
  }

  /** The epoch proposed to learners, once a quorum connected. */
  get proposedEpoch(): bigint | null {
    return this.newEpoch;
  }

  learnerViews(): LearnerView[] {
    return [...this.learners.values()].map((l) => ({
      sid: l.sid,
      role: l.role,
      remote: l.channel.remote,
      acceptedEpoch: l.acceptedEpoch,
      lastZxid: l.lastZxid,
      stage: l.stage === 'proposed' ? 'connected' : l.stage,
      lastHeard: l.lastHeard,
    }));
  }

  start(): void {
    const { clock, tickTime, initLimit } = this.ctx;
    this.initTimer = clock.setTimeout(() => {
      if (this.phase === 'gathering' || this.phase === 'proposing') {
        const heard = [...this.learners.values()].map((l) => `${l.sid}:${l.stage}`);
        this.stop(`no quorum within initLimit (${initLimit} ticks); learners [${heard.join(',')}]`, true);
      }
    }, tickTime * initLimit);
    this.scheduleTick();
    // A single-voter ensemble is a quorum on its own.
    void this.maybePropose();
  }

  /** Hands over a learner whose FOLLOWERINFO was just read by the listener. */
  addLearner(channel: QuorumChannel, info: Extract<QuorumMessage, { type: 'FOLLOWERINFO' }>): void {
    const { verifier, myid, logger } = this.ctx;
    if (this.phase === 'stopped') {
      const status = this.ctx.status?.() ?? { state: 'LOOKING', leader: null, round: 0n };
      channel.sendAndClose({ type: 'REJECT', reason: RejectReason.NOT_LEADING, status }, 'leader stopped');
      return;
    }
    const member = verifier.members.get(info.sid);
    if (member === undefined || info.sid === myid) {
      logger.warn('quorum port: rejecting learner with unknown sid', { sid: info.sid.toString(), remote: channel.remote });
      channel.sendAndClose({ type: 'REJECT', reason: RejectReason.UNKNOWN_SID }, 'unknown sid');
      return;
    }
    const previous = this.learners.get(info.sid);
    if (previous !== undefined) previous.channel.close('replaced by a newer connection from the same sid');
    const learner: Learner = {
      sid: info.sid,
      role: member.type === 'participant' ? 'participant' : 'observer',
      channel,
      acceptedEpoch: info.acceptedEpoch,
      lastZxid: info.lastZxid,
      stage: 'connected',
      lastHeard: this.ctx.clock.now(),
    };
    this.learners.set(info.sid, learner);
    logger.debug('quorum port: learner connected', { sid: info.sid.toString(), acceptedEpoch: info.acceptedEpoch.toString() });
    channel.on('message', (msg) => this.onMessage(learner, msg));
    channel.on('close', (reason) => {
      if (this.learners.get(learner.sid) === learner) this.learners.delete(learner.sid);
      logger.debug('quorum port: learner gone', { sid: learner.sid.toString(), reason });
    });
    if (this.newEpoch === null) {
      void this.maybePropose();
    } else if (this.phase !== 'gathering') {
      this.propose(learner);
    }
  }

  /** Stops the session and closes every learner connection. */
  stop(reason: string, stepDown = false): void {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    this.ctx.clock.clearTimeout(this.initTimer);
    this.ctx.clock.clearTimeout(this.tickTimer);
    for (const learner of this.learners.values()) learner.channel.close(`leader stopping: ${reason}`);
    this.learners.clear();
    if (stepDown) {
      this.ctx.logger.warn('leader stepping down', { reason });
      this.emit('stepDown', reason);
    }
  }

  private async maybePropose(): Promise<void> {
    if (this.phase !== 'gathering' || this.newEpoch !== null) return;
    const connected = [this.ctx.myid, ...this.learners.keys()];
    if (!hasVotingQuorum(this.ctx.verifier, connected)) return;
    let max = this.ctx.store.acceptedEpoch;
    for (const l of this.learners.values()) if (l.acceptedEpoch > max) max = l.acceptedEpoch;
    const epoch = max + 1n;
    this.newEpoch = epoch;
    try {
      await this.ctx.store.setAcceptedEpoch(epoch);
    } catch (e) {
      this.stop(`cannot persist acceptedEpoch ${epoch}: ${(e as Error).message}`, true);
      return;
    }
    if (this.phase !== 'gathering') return;
    this.phase = 'proposing';
    this.ctx.logger.info('leader proposing new epoch', { epoch: epoch.toString(), learners: connected.map(String) });
    for (const learner of this.learners.values()) this.propose(learner);
    void this.maybeEstablish();
  }

  private propose(learner: Learner): void {
    const epoch = this.newEpoch as bigint;
    if (learner.stage !== 'connected') return;
    // Equal is fine: a learner that accepted this very epoch earlier and reconnects.
    if (learner.acceptedEpoch > epoch) {
      learner.channel.sendAndClose({ type: 'REJECT', reason: RejectReason.STALE_EPOCH }, 'learner accepted a newer epoch');
      return;
    }
    learner.stage = 'proposed';
    learner.channel.send({ type: 'NEWEPOCH', leader: this.ctx.myid, epoch });
  }

  private onMessage(learner: Learner, msg: QuorumMessage): void {
    if (this.phase === 'stopped') return;
    learner.lastHeard = this.ctx.clock.now();
    if (msg.type === 'PONG') return;
    if (msg.type === 'ACKEPOCH' && learner.stage === 'proposed' && msg.epoch === this.newEpoch) {
      // Only learners of the establishing quorum are compared (as ZooKeeper's waitForEpochAck):
      // once established, a returning learner carries the new epoch as its currentEpoch.
      if (this.established === null && isMoreRecent(msg, this.summary)) {
        this.ctx.logger.warn('quorum port: learner is ahead of the leader', { sid: learner.sid.toString() });
        learner.channel.sendAndClose({ type: 'REJECT', reason: RejectReason.LEARNER_AHEAD }, 'learner ahead of leader');
        return;
      }
      learner.stage = 'acked';
      if (this.established !== null) this.confirm(learner);
      else void this.maybeEstablish();
      return;
    }
    learner.channel.sendAndClose({ type: 'REJECT', reason: RejectReason.PROTOCOL }, `unexpected ${msg.type} at ${learner.stage}`);
  }

  private async maybeEstablish(): Promise<void> {
    if (this.phase !== 'proposing') return;
    const acked = [...this.learners.values()].filter((l) => l.stage === 'acked').map((l) => l.sid);
    if (!hasVotingQuorum(this.ctx.verifier, [this.ctx.myid, ...acked])) return;
    const epoch = this.newEpoch as bigint;
    this.phase = 'established';
    try {
      await this.ctx.store.setCurrentEpoch(epoch);
    } catch (e) {
      this.phase = 'proposing';
      this.stop(`cannot persist currentEpoch ${epoch}: ${(e as Error).message}`, true);
      return;
    }
    if (this.phase !== 'established') return;
    this.established = epoch;
    this.ctx.clock.clearTimeout(this.initTimer);
    for (const learner of this.learners.values()) if (learner.stage === 'acked') this.confirm(learner);
    this.ctx.logger.info('leader established epoch', { epoch: epoch.toString(), quorum: [this.ctx.myid, ...acked].map(String) });
    this.emit('established', epoch);
  }

  private confirm(learner: Learner): void {
    learner.stage = 'established';
    learner.lastHeard = this.ctx.clock.now();
    learner.channel.send({ type: 'ESTABLISHED', epoch: this.established as bigint });
  }

  private scheduleTick(): void {
    this.tickTimer = this.ctx.clock.setTimeout(() => this.onTick(), this.ctx.tickTime);
  }

  /** Heartbeat, then check that a quorum acked within syncLimit ticks (ZooKeeper's synced set). */
  private onTick(): void {
    if (this.phase === 'stopped') return;
    if (this.established !== null) {
      const now = this.ctx.clock.now();
      const window = this.ctx.tickTime * this.ctx.syncLimit;
      this.pingSeq += 1n;
      const synced: bigint[] = [this.ctx.myid];
      for (const learner of this.learners.values()) {
        if (learner.stage !== 'established') continue;
        if (now - learner.lastHeard < window) synced.push(learner.sid);
        learner.channel.send({ type: 'PING', epoch: this.established, seq: this.pingSeq });
      }
      if (!hasVotingQuorum(this.ctx.verifier, synced)) {
        this.stop(`lost quorum: only [${synced.join(',')}] acked within syncLimit (${this.ctx.syncLimit} ticks)`, true);
        return;
      }
    }
    this.scheduleTick();
  }
}
