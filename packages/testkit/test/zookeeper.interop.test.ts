// Smoke test against real ZooKeeper 3.8: a 3-node ensemble elects, the AdminServer agrees, and
// kill -9 of the leader yields a new leader among the survivors.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { TestkitError, freePorts, startZooKeeperEnsemble, zookeeperGate, type Ensemble } from '../src/index.js';

const zk = await zookeeperGate();

describe.skipIf(!zk.ok)('ZooKeeper 3.8 ensemble (real JVMs)', () => {
  let ensemble: Ensemble | undefined;
  let mixed: Ensemble | undefined;
  afterAll(async () => {
    await ensemble?.stop();
    await mixed?.stop();
  });

  it('elects, reports the leader over srvr and admin, and fails over after kill -9', async () => {
    ensemble = await startZooKeeperEnsemble({ size: 3 });
    const leader = await ensemble.waitForLeader(25_000);
    const modes = await ensemble.modes();
    expect([...modes.values()].filter((m) => m === 'leader')).toHaveLength(1);
    expect([...modes.values()].filter((m) => m === 'follower')).toHaveLength(2);

    for (const sid of [1, 2, 3]) {
      const view = (await ensemble.admin(sid, 'leader')) as { leader_id: number; is_leader: boolean };
      expect(view.leader_id).toBe(leader);
      expect(view.is_leader).toBe(sid === leader);
      expect(ensemble.electionTook(sid)).toEqual(expect.any(Number));
    }
    expect(ensemble.serverLines()).toHaveLength(3);

    await ensemble.kill(leader);
    const survivors = [1, 2, 3].filter((s) => s !== leader);
    const next = await ensemble.waitForLeader(25_000);
    expect(survivors).toContain(next);
    expect(await ensemble.mode(leader)).toBeNull();
    const rss = ensemble.nodes.get(next)?.process?.rssBytes();
    expect(rss).toBeGreaterThan(0);
  }, 60_000);

  it('writes extra (non-ZooKeeper) members and observers into every zoo.cfg and starts nodes on demand', async () => {
    const [quorumPort, electionPort] = (await freePorts(2)) as [number, number];
    mixed = await startZooKeeperEnsemble({
      size: 3,
      observers: [3],
      extraServers: [{ sid: 4, quorumPort, electionPort }],
      start: [1, 3],
    });
    const lines = mixed.serverLines();
    expect(lines[2]).toMatch(/^server\.3=127\.0\.0\.1:\d+:\d+:observer$/);
    expect(lines[3]).toBe(`server.4=127.0.0.1:${quorumPort}:${electionPort}`);
    // Voters are 1, 2 and the absent 4: sid 1 alone (plus an observer) has no quorum.
    await mixed.waitForLog(1, /LOOKING/, 20_000);
    expect(await mixed.mode(1)).toBeNull();
    expect(await mixed.mode(2)).toBeNull();

    await mixed.start(2);
    const leader = await mixed.waitForLeader(25_000);
    expect([1, 2]).toContain(leader);
    expect((await mixed.modes()).get(3)).toBe('observer');
    expect(await mixed.fourLetter(leader, 'mntr')).toMatch(/zk_server_state\s+leader/);

    const follower = leader === 1 ? 2 : 1;
    await mixed.restart(follower);
    await mixed.waitFor((m) => m.get(follower) === 'follower' && m.get(leader) === 'leader', 25_000);
  }, 60_000);

  it('reports a JVM that dies on its own, and stop() leaves no process or dir behind', async () => {
    const bad = await startZooKeeperEnsemble({ size: 1, extraConfig: { initLimit: 'not-a-number' } });
    try {
      const err = await bad.waitFor(() => false, 25_000).catch((e: unknown) => e);
      expect(TestkitError.isInstance(err) && err.code).toBe('PROCESS_EXITED');
    } finally {
      await bad.stop();
    }
    expect(bad.nodes.get(1)?.process?.running).toBe(false);
    if (process.env.ZKVOTE_KEEP_DIRS !== '1') expect(existsSync(bad.dir)).toBe(false);
  }, 30_000);
});

if (!zk.ok) it.skip(`ZooKeeper interop: ${zk.reason}`, () => undefined);
