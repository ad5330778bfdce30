import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { QuorumMaj, type QuorumServer } from '@zkvote/quorum';
import { freePorts } from '@zkvote/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startPeer, type Peer, type PeerElectionEvent } from '../src/index.js';
import { StubZooKeeper } from './helpers/stub-zookeeper.js';
import { until } from './helpers/wait.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function layout(voters: bigint[], observers: bigint[] = []): Promise<QuorumMaj> {
  const all = [...voters, ...observers];
  const ports = await freePorts(all.length * 2);
  const servers: QuorumServer[] = all.map((sid, i) => ({
    sid,
    addresses: [{ host: '127.0.0.1', quorumPort: ports[2 * i]!, electionPort: ports[2 * i + 1]! }],
    type: observers.includes(sid) ? 'observer' : 'participant',
    clientAddress: null,
  }));
  return new QuorumMaj(servers);
}

async function stub(sid: bigint, verifier: QuorumMaj): Promise<StubZooKeeper> {
  const zk = new StubZooKeeper(sid, verifier);
  cleanups.push(() => zk.close());
  await zk.start();
  return zk;
}

async function zkvote(sid: bigint, verifier: QuorumMaj, zkvotePeers: bigint[]): Promise<{ peer: Peer; events: PeerElectionEvent[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zkvote-mixed-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const peer = await startPeer({
    myid: sid,
    verifier,
    dataDir: dir,
    tickTime: 50,
    zkvotePeers: new Set(zkvotePeers),
    election: { minNotificationIntervalMs: 50, maxNotificationIntervalMs: 400, finalizeWaitMs: 50 },
  });
  const events: PeerElectionEvent[] = [];
  peer.on('electionEvent', (e) => events.push(e));
  cleanups.push(() => peer.close());
  return { peer, events };
}

describe('mixed ensembles (ZooKeeper stand-ins at the election level)', () => {
  it('2 ZooKeeper + 1 zkvote: the zkvote peer yields leadership, follows on election knowledge alone', async () => {
    const v = await layout([1n, 2n, 3n]);
    const { peer } = await zkvote(3n, v, [3n]);
    const zk1 = await stub(1n, v);
    const zk2 = await stub(2n, v);
    // Sid 3 would win on sid; proposing epoch -1 leaves leadership to ZooKeeper's sid 2.
    await until(() => peer.state === 'FOLLOWING' && zk1.leader === 2n && zk2.leader === 2n, 'agreement on 2', 10_000);
    expect(peer.leader).toBe(2n);
    expect(peer.epoch).toBeNull();
    await until(() => (peer.electionInfo().session as { lastConfirmed?: number | null }).lastConfirmed != null, 'leader confirmed');
    expect(peer.electionInfo().session).toMatchObject({ kind: 'passive', leader: 2n, reportingNewElection: [] });

    // The ZooKeeper leader dies: its election connection drops, the zkvote peer goes LOOKING.
    await zk2.close();
    await until(() => peer.state === 'LOOKING', 'LOOKING after the leader left', 10_000);
  });

  it('learns the leader of an established ensemble, and goes LOOKING when the ensemble re-elects', async () => {
    const v = await layout([1n, 2n, 3n]);
    const zk1 = await stub(1n, v);
    const zk2 = await stub(2n, v);
    await until(() => zk1.leader === 2n && zk2.leader === 2n, 'ZooKeeper pair elected 2', 10_000);
    const { peer, events } = await zkvote(3n, v, [3n]);
    await until(() => peer.state === 'FOLLOWING' && peer.leader === 2n, 'learned leader 2', 10_000);
    zk1.elect();
    zk2.elect();
    await until(() => events.some((e) => e.type === 'step-down'), 'step-down', 10_000);
    expect(events.find((e) => e.type === 'step-down')).toMatchObject({ role: 'follower', leader: 2n });
    await until(() => peer.state === 'FOLLOWING' && zk1.leader === 2n && zk2.leader === 2n, 'following 2 again', 10_000);
  });

  it('a zkvote observer reports OBSERVING with the right leader and follows a leader change', async () => {
    const v = await layout([1n, 2n, 3n], [4n]);
    // 3 and 2 first, so that 3 leads; 1 joins an established pair (no transient split).
    const zk3 = await stub(3n, v);
    const zk2 = await stub(2n, v);
    await until(() => zk3.leader === 3n && zk2.leader === 3n, '3 leads', 10_000);
    const zks = [await stub(1n, v), zk2, zk3];
    const agreed = (group: StubZooKeeper[]): bigint | null => {
      const leaders = new Set(group.map((z) => z.leader));
      const [leader] = leaders;
      return leaders.size === 1 && leader != null ? leader : null;
    };
    await until(() => agreed(zks) !== null, 'ZooKeeper agreed on a leader', 10_000);
    const first = agreed(zks) as bigint;
    const { peer } = await zkvote(4n, v, [4n]);
    await until(() => peer.state === 'OBSERVING' && peer.leader === first, `observing ${first}`, 10_000);
    expect(peer.epoch).toBeNull();
    const oldLeader = zks.find((z) => z.myid === first) as StubZooKeeper;
    await oldLeader.close();
    const survivors = zks.filter((z) => z !== oldLeader);
    await until(() => agreed(survivors) !== null, 'ZooKeeper re-elected', 10_000);
    const second = agreed(survivors) as bigint;
    expect(second).not.toBe(first);
    await until(() => peer.state === 'OBSERVING' && peer.leader === second, `observing ${second}`, 10_000);
  });
});
