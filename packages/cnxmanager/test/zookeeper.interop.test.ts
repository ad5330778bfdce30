// Acceptance 5: against a real ZooKeeper 3.8 ensemble (testkit). A zkvote manager with a larger
// sid joins and trades notifications; one with a smaller sid is connected back to by ZooKeeper.
// Skips with a reason when ZooKeeper is absent; fails instead when ZKVOTE_REQUIRE_ZK=1.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMsg, parse, ServerState, type ParsedNotification } from '@zkvote/wire';
import { freePorts, startZooKeeperEnsemble, zookeeperGate, type Ensemble } from '@zkvote/testkit';
import { QuorumCnxManager } from '../src/index.js';
import { loopback, waitFor } from './helpers.js';

const zk = await zookeeperGate();

function looking(myid: bigint): Uint8Array {
  // 40-byte layout: no config text, so ZooKeeper has nothing to compare or adopt.
  return buildMsg({ state: ServerState.LOOKING, leader: myid, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n }, 'v0-40');
}

describe.skipIf(!zk.ok)('interop with ZooKeeper 3.8', () => {
  let ensemble: Ensemble;
  let leader: number;
  let ourPort: number;
  const managers: QuorumCnxManager[] = [];
  let zkPeers: Map<bigint, { host: string; port: number }>;

  beforeAll(async () => {
    const [quorumPort, electionPort] = (await freePorts(2)) as [number, number];
    ourPort = electionPort;
    ensemble = await startZooKeeperEnsemble({ size: 3, extraServers: [{ sid: 10, quorumPort, electionPort }] });
    leader = await ensemble.waitForLeader(40_000);
    zkPeers = new Map([...ensemble.nodes.values()].map((n) => [BigInt(n.sid), loopback(n.electionPort)]));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(managers.map((m) => m.halt()));
    await ensemble?.stop();
  });

  async function answers(m: QuorumCnxManager, from: bigint[]): Promise<Map<bigint, ParsedNotification>> {
    const got = new Map<bigint, ParsedNotification>();
    m.on('message', (sid, payload) => {
      const n = parse(payload);
      if (n.state !== ServerState.LOOKING) got.set(sid, n);
    });
    for (const sid of from) m.send(sid, looking(m.myid));
    await waitFor(() => from.every((sid) => got.has(sid)), `answers from ${from.join(',')}`, 20_000);
    return got;
  }

  function expectAnswers(got: Map<bigint, ParsedNotification>): void {
    for (const [sid, n] of got) {
      expect(n.state).toBe(Number(sid) === leader ? ServerState.LEADING : ServerState.FOLLOWING);
      expect(n.leader).toBe(BigInt(leader));
      expect(n.version).toBe(2);
      expect(new TextDecoder().decode(n.config ?? new Uint8Array())).toContain('server.10=');
    }
  }

  it('accepts a larger listed sid (server.10) that connects to it and answers its LOOKING', async () => {
    const m = new QuorumCnxManager({ myid: 10n, listen: loopback(ourPort), peers: zkPeers });
    managers.push(m);
    await m.start();
    const got = await answers(m, [1n, 2n, 3n]);
    expectAnswers(got);
    for (const sid of [1n, 2n, 3n]) {
      const row = m.peerTable().get(sid)!;
      expect(row.state).toBe('connected');
      expect(row.direction).toBe('outgoing');
    }
    expect(Object.values(m.stats().rejections).every((n) => n === 0)).toBe(true);
  }, 30_000);

  it('is accepted as an unlisted larger sid (treated as a non-voter by ZooKeeper)', async () => {
    const m = new QuorumCnxManager({ myid: 42n, listen: loopback(0), peers: zkPeers });
    managers.push(m);
    await m.start();
    expectAnswers(await answers(m, [1n, 2n, 3n]));
  }, 30_000);

  it('gets connected back by ZooKeeper when our sid is smaller (sid 0, unlisted)', async () => {
    const m = new QuorumCnxManager({ myid: 0n, listen: loopback(0), peers: zkPeers });
    managers.push(m);
    await m.start();
    const got = await answers(m, [1n, 2n, 3n]);
    expectAnswers(got);
    for (const sid of [1n, 2n, 3n]) {
      // We announced ourselves and hung up; ZooKeeper dialled the address in our handshake.
      expect(m.peerTable().get(sid)!.direction).toBe('incoming');
    }
  }, 30_000);
});
