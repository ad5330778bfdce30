// A stand-in for a real ZooKeeper server at the election level only: the same FLE driver and
// connection manager, no quorum port. After deciding it simply keeps its role (as a ZooKeeper
// server that is serving), and re-elects when told to or when its leader's connection drops.

import { QuorumCnxManager } from '@zkvote/cnxmanager';
import { ElectionDriver, type Decision } from '@zkvote/election';
import type { QuorumVerifier } from '@zkvote/quorum';

export class StubZooKeeper {
  readonly cnx: QuorumCnxManager;
  private driver: ElectionDriver | null = null;
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
    if (this.driver === null) {
      const driver = new ElectionDriver({
        cnx: this.cnx,
        myid: this.myid,
        verifier: this.verifier,
        learnerType: this.verifier.members.get(this.myid)!.type,
        minNotificationIntervalMs: 50,
        maxNotificationIntervalMs: 400,
        finalizeWaitMs: 50,
      });
      driver.on('decided', (d) => {
        this.decision = d;
        // Zab then establishes the next epoch on leader and followers alike (updateElectionVote).
        this.epoch = d.vote.peerEpoch + 1n;
        driver.core.updatePeerEpoch(this.epoch);
      });
      this.driver = driver;
    }
    this.driver.lookForLeader({ lastZxid: 0n, currentEpoch: this.epoch }).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.driver?.close();
    await this.cnx.halt();
  }
}
