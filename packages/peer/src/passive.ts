// Following a leader we cannot connect to (a ZooKeeper server in a mixed ensemble): we stay
// FOLLOWING/OBSERVING on election knowledge alone. We probe the leader with a LOOKING
// notification carrying our current vote; a ZooKeeper server that is not LOOKING answers with
// its own state. A participant probes once a tick only until the leader confirms LEADING
// (ZooKeeper logs every voter's notification at INFO, so steady probing would flood its log);
// an observer, whose notifications ZooKeeper answers silently and who is never told about a new
// election, keeps probing once a tick as its heartbeat.
// We give up when the leader's election connection drops, it does not confirm LEADING within
// initLimit ticks, (observers) it stays silent for syncLimit ticks, it reports following someone
// else or LOOKING again, or a quorum of voters report a new election (a higher round).

import { buildMsg, ServerState, type Notification, type NotificationInit } from '@zkvote/wire';
import type { QuorumCnxManager } from '@zkvote/cnxmanager';
import type { QuorumVerifier } from '@zkvote/quorum';
import type { Clock, TimerHandle } from './clock.js';
import { hasVotingQuorum } from './epoch/context.js';

export interface PassiveFollowOptions {
  readonly leader: bigint;
  /** The round we decided in; LOOKING notifications up to it belong to that election, now over. */
  readonly round: bigint;
  readonly myid: bigint;
  readonly verifier: QuorumVerifier;
  readonly cnx: QuorumCnxManager;
  readonly clock: Clock;
  readonly tickTime: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  /** Keep probing after confirmation and leave after syncLimit silent ticks (observers). */
  readonly heartbeat: boolean;
  /** The LOOKING notification we probe the leader with (our current vote and round). */
  probe(): NotificationInit;
  onEnd(reason: string): void;
}

export class PassiveFollow {
  readonly leader: bigint;
  private readonly reporting = new Set<bigint>();
  private tickTimer: TimerHandle | undefined;
  private startedAt = 0;
  private confirmedAt: number | null = null;
  private done = false;
  private readonly onDown = (sid: bigint): void => {
    if (sid === this.leader) this.end(`election connection to leader ${sid} dropped`);
  };

  constructor(private readonly o: PassiveFollowOptions) {
    this.leader = o.leader;
  }

  start(): void {
    this.startedAt = this.o.clock.now();
    this.o.cnx.on('disconnected', this.onDown);
    this.probe();
    this.scheduleTick();
  }

  /** Clock time of the leader's last LEADING answer, null before the first. */
  get lastConfirmed(): number | null {
    return this.confirmedAt;
  }

  /** Voters currently reporting an election (LOOKING, or following someone else). */
  reportingNewElection(): bigint[] {
    return [...this.reporting].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  notification(sid: bigint, n: Notification): void {
    if (this.done || sid === this.o.myid) return;
    if (sid === this.leader) {
      if (n.state === ServerState.LEADING && n.leader === this.leader) {
        this.confirmedAt = this.o.clock.now();
      } else if (n.state === ServerState.FOLLOWING || n.state === ServerState.LEADING) {
        this.end(`leader ${this.leader} reports ${n.state === ServerState.FOLLOWING ? 'following' : 'leading for'} ${n.leader}`);
        return;
      } else if (n.state === ServerState.LOOKING && this.confirmedAt !== null) {
        this.end(`leader ${this.leader} is LOOKING again`);
        return;
      }
    }
    if (!this.o.verifier.votingMembers.has(sid)) return;
    // A late LOOKING message of the election that elected our leader (a resend, or an answer to a
    // vote of ours, sent before its sender decided) reports nothing new: a new election is a
    // higher round, since every follower of a leader ends in the leader's round.
    if (n.state === ServerState.LOOKING && n.electionEpoch <= this.o.round) return;
    const elsewhere =
      n.state === ServerState.LOOKING ||
      ((n.state === ServerState.FOLLOWING || n.state === ServerState.LEADING) && n.leader !== this.leader);
    if (elsewhere) this.reporting.add(sid);
    else this.reporting.delete(sid);
    if (elsewhere && hasVotingQuorum(this.o.verifier, this.reporting)) {
      this.end(`a quorum of voters report a new election: [${this.reportingNewElection().join(',')}]`);
    }
  }

  stop(): void {
    if (this.done) return;
    this.done = true;
    this.o.cnx.off('disconnected', this.onDown);
    this.o.clock.clearTimeout(this.tickTimer);
  }

  private probe(): void {
    this.o.cnx.send(this.leader, buildMsg(this.o.probe()));
  }

  private scheduleTick(): void {
    this.tickTimer = this.o.clock.setTimeout(() => this.onTick(), this.o.tickTime);
  }

  private onTick(): void {
    if (this.done) return;
    const { clock, tickTime, initLimit, syncLimit } = this.o;
    const now = clock.now();
    if (this.confirmedAt === null && now - this.startedAt >= tickTime * initLimit) {
      this.end(`leader ${this.leader} did not confirm LEADING within initLimit (${initLimit} ticks)`);
      return;
    }
    if (this.confirmedAt !== null && !this.o.heartbeat) return; // confirmed: no more probes
    if (this.confirmedAt !== null && now - this.confirmedAt >= tickTime * syncLimit) {
      this.end(`leader ${this.leader} silent for syncLimit (${syncLimit} ticks)`);
      return;
    }
    this.probe();
    this.scheduleTick();
  }

  private end(reason: string): void {
    if (this.done) return;
    this.stop();
    this.o.onEnd(reason);
  }
}
