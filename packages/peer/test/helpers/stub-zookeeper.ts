// A stand-in for a real ZooKeeper server at the election level only: the same FLE core and
// connection manager, no quorum port. After deciding it simply keeps its role (as a ZooKeeper
// server that is serving), and re-elects when told to or when its leader's connection drops.

import { QuorumCnxManager } from '@zkvote/cnxmanager';
import type { Decision } from '@zkvote/election';
import type { QuorumVerifier } from '@zkvote/quorum';
import { silentLogger, systemClock } from '../../src/clock.js';
import { ElectionRunner } from '../../src/election-runner.js';

export class StubZooKeeper {
  readonly cnx: QuorumCnxManager;
  private runner: ElectionRunner | null = null;
  decision: Decision | null = null;
  /** peerEpoch a ZooKeeper server would have after syncing with its leader. */
  epoch = 0n;

  constructor(
    readonly myid: bigint,
    private readonly verifier: QuorumVerifier,
  ) {
    const self = verifier.members.get(myid);
    const peers = new Map(
      [...verifier.members].filter(([sid]) => sid !== myid).map(([sid, s]) => [sid, { host: s.addresses[0]!.host, port: s.addresses[0]!.electionPort }]),
    );
    this.cnx = new QuorumCnxManager({
      myid,
      listen: { host: '127.0.0.1', port: self!.addresses[0]!.electionPort },
      peers,
      voters: new Set(verifier.votingMembers.keys()),
      recvCapacity: 0,
    });
    this.cnx.on('disconnected', (sid) => {
      if (this.decision !== null && sid === this.decision.vote.leader && sid !== this.myid) this.elect();
    });
  }

  get leader(): bigint | null {
    return this.decision?.vote.leader ?? null;
  }

  async start(): Promise<void> {
    await this.cnx.start();
    this.elect();
  }

  /** Starts a new election round (ZooKeeper going back to LOOKING). */
  elect(): void {
    this.decision = null;
    if (this.runner === null) {
      this.runner = new ElectionRunner(
        {
          myid: this.myid,
          verifier: this.verifier,
          learnerType: this.verifier.members.get(this.myid)!.type,
          minNotificationIntervalMs: 50,
          maxNotificationIntervalMs: 400,
          finalizeWaitMs: 50,
        },
        this.cnx,
        systemClock,
        silentLogger,
        {
          decided: (d) => {
            this.decision = d;
            // Zab then establishes the next epoch on leader and followers alike (updateElectionVote).
            this.epoch = d.vote.peerEpoch + 1n;
            this.runner?.core.updatePeerEpoch(this.epoch);
          },
          event: () => {},
          notification: () => {},
          restart: () => {},
        },
      );
    }
    this.runner.startLooking(0n, this.epoch);
  }

  async close(): Promise<void> {
    this.runner?.close();
    await this.cnx.halt();
  }
}
