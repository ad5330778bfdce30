// Against real ZooKeeper 3.8 JVMs (skipped with a one-line reason when ZooKeeper is missing,
// failing instead under ZKVOTE_REQUIRE_ZK=1): a zkvote participant in a 2 ZooKeeper + 1 zkvote
// ensemble yields leadership, follows ZooKeeper's leader while ZooKeeper serves, and leaves when
// that leader is killed; a zkvote observer follows a ZooKeeper leader change.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { QuorumMaj, type QuorumServer } from '@zkvote/quorum';
import { freePorts, startZooKeeperEnsemble, zookeeperGate, type Ensemble } from '@zkvote/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startPeer, type Peer } from '../src/index.js';
import { until } from './helpers/wait.js';

const zk = await zookeeperGate();
const TICK = 200;

let ensemble: Ensemble | undefined;
let peer: Peer | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await peer?.close();
  peer = undefined;
  await ensemble?.stop();
  ensemble = undefined;
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function withZkvote(
  zkSids: number[],
  zkvote: { sid: number; type: 'participant' | 'observer' },
  options: { afterLeader?: boolean } = {},
): Promise<Peer> {
  const [quorumPort, electionPort] = (await freePorts(2)) as [number, number];
  ensemble = await startZooKeeperEnsemble({
    sids: zkSids,
    extraServers: [{ sid: zkvote.sid, quorumPort, electionPort, type: zkvote.type }],
    tickTime: TICK,
    initLimit: 10,
    syncLimit: 5,
  });
  const servers: QuorumServer[] = [...ensemble.nodes.values()].map((n) => ({
    sid: BigInt(n.sid),
    addresses: [{ host: '127.0.0.1', quorumPort: n.quorumPort, electionPort: n.electionPort }],
    type: n.type,
    clientAddress: null,
  }));
  servers.push({ sid: BigInt(zkvote.sid), addresses: [{ host: '127.0.0.1', quorumPort, electionPort }], type: zkvote.type, clientAddress: null });
  if (options.afterLeader === true) await ensemble.waitForLeader(25_000);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'zkvote-interop-'));
  peer = await startPeer({
    myid: BigInt(zkvote.sid),
    verifier: new QuorumMaj(servers),
    dataDir,
    tickTime: TICK,
    zkvotePeers: new Set([BigInt(zkvote.sid)]),
  });
  return peer;
}

describe.skipIf(!zk.ok)('mixed ensembles with ZooKeeper 3.8', () => {
  it('2 ZooKeeper + 1 zkvote (largest sid): ZooKeeper leads and serves, zkvote follows on election knowledge', async () => {
    const p = await withZkvote([1, 2], { sid: 3, type: 'participant' });
    const zkLeader = await ensemble!.waitForLeader(25_000);
    expect([1, 2]).toContain(zkLeader);
    await until(() => p.state === 'FOLLOWING' && p.leader === BigInt(zkLeader), `zkvote following ${zkLeader}`, 15_000);
    expect(p.epoch).toBeNull();
    await until(() => (p.electionInfo().session as { lastConfirmed?: number | null }).lastConfirmed != null, 'leader confirmed by probe', 5_000);

    await ensemble!.kill(zkLeader);
    await until(() => p.state === 'LOOKING' || p.leader !== BigInt(zkLeader), 'zkvote left the dead leader', 10_000);
  }, 60_000);

  it('a zkvote participant started into an established ensemble learns its leader; ZooKeeper keeps serving', async () => {
    const p = await withZkvote([1, 2, 3], { sid: 4, type: 'participant' }, { afterLeader: true });
    const leader = await ensemble!.waitForLeader(5_000);
    await until(() => p.state === 'FOLLOWING' && p.leader === BigInt(leader), `zkvote following ${leader}`, 15_000);
    expect(await ensemble!.waitForLeader(5_000)).toBe(leader);
  }, 60_000);

  it('a zkvote observer of 3 ZooKeeper servers reports OBSERVING with the leader and follows a change', async () => {
    const p = await withZkvote([1, 2, 3], { sid: 4, type: 'observer' });
    const first = await ensemble!.waitForLeader(25_000);
    await until(() => p.state === 'OBSERVING' && p.leader === BigInt(first), `observing ${first}`, 15_000);
    await ensemble!.kill(first);
    const second = await ensemble!.waitForLeader(25_000, { among: [1, 2, 3].filter((s) => s !== first) });
    await until(() => p.state === 'OBSERVING' && p.leader === BigInt(second), `observing ${second}`, 15_000);
  }, 90_000);
});
