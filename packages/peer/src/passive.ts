// Following a leader we cannot connect to (a ZooKeeper server in a mixed ensemble): we stay
// FOLLOWING/OBSERVING on election knowledge alone and give up when the leader's election
// connection drops, never comes up, or a quorum of voters report a new election.

import { ServerState, type Notification } from '@zkvote/wire';
import type { QuorumCnxManager } from '@zkvote/cnxmanager';
import type { QuorumVerifier } from '@zkvote/quorum';
import type { Clock, TimerHandle } from './clock.js';
import { hasVotingQuorum } from './epoch/context.js';

export class PassiveFollow {
  private readonly reporting = new Set<bigint>();
  private connectTimer: TimerHandle | undefined;
  private done = false;
  private readonly onDown = (sid: bigint): void => {
    if (sid === this.leader) this.end(`election connection to leader ${sid} dropped`);
  };
  private readonly onUp = (sid: bigint): void => {
    if (sid === this.leader) this.clock.clearTimeout(this.connectTimer);
  };

  constructor(
    readonly leader: bigint,
    private readonly myid: bigint,
    private readonly verifier: QuorumVerifier,
    private readonly cnx: QuorumCnxManager,
    private readonly clock: Clock,
    private readonly connectTimeoutMs: number,
    private readonly onEnd: (reason: string) => void,
  ) {}

  start(): void {
    this.cnx.on('disconnected', this.onDown);
    this.cnx.on('connected', this.onUp);
    if (this.cnx.peerTable().get(this.leader)?.state !== 'connected') {
      // Decided through others' reports without a live link to the leader: it must show up.
      this.cnx.connectOne(this.leader);
      this.connectTimer = this.clock.setTimeout(
        () => this.end(`no election connection to leader ${this.leader} within initLimit`),
        this.connectTimeoutMs,
      );
    }
  }

  /** Voters currently reporting an election (LOOKING, or following someone else). */
  reportingNewElection(): bigint[] {
    return [...this.reporting].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  notification(sid: bigint, n: Notification): void {
    if (this.done || sid === this.myid || !this.verifier.votingMembers.has(sid)) return;
    const elsewhere =
      n.state === ServerState.LOOKING ||
      ((n.state === ServerState.FOLLOWING || n.state === ServerState.LEADING) && n.leader !== this.leader);
    if (elsewhere) this.reporting.add(sid);
    else this.reporting.delete(sid);
    if (elsewhere && hasVotingQuorum(this.verifier, this.reporting)) {
      this.end(`a quorum of voters report a new election: [${this.reportingNewElection().join(',')}]`);
    }
  }

  stop(): void {
    if (this.done) return;
    this.done = true;
    this.cnx.off('disconnected', this.onDown);
    this.cnx.off('connected', this.onUp);
    this.clock.clearTimeout(this.connectTimer);
  }

  private end(reason: string): void {
    if (this.done) return;
    this.stop();
    this.onEnd(reason);
  }
}
