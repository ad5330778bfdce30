// zkvote side by side with real ZooKeeper 3.8 (testkit launches it): both sides must agree on
// the leader, ZooKeeper must keep serving, and ZooKeeper must parse our notifications cleanly.
// Skipped with a one-line reason without ZooKeeper; fails instead when ZKVOTE_REQUIRE_ZK=1.

import { afterEach, describe, expect, it } from 'vitest';
import { startZooKeeperEnsemble, zookeeperGate, type Ensemble } from '@zkvote/testkit';
import { startZkvoteEnsemble, type ZkvoteEnsemble } from './harness.js';

const zk = await zookeeperGate();
const TIMING = { tickTime: 1000, initLimit: 10, syncLimit: 5 };

let zkEns: Ensemble | null = null;
let ours: ZkvoteEnsemble | null = null;
afterEach(async () => {
  await Promise.all([zkEns?.stop(), ours?.stop()]);
  zkEns = null;
  ours = null;
});

/** Plans our nodes, starts ZooKeeper with them in its membership, then starts ours. */
async function mixed(o: { zkSids: number[]; ourSids: number[]; observers?: number[]; startOursAfterZkLeader?: boolean }) {
  const z = await startZkvoteEnsemble({
    sids: o.ourSids,
    observers: o.observers ?? [],
    start: [],
    ...TIMING,
    extraConfig: { 'zkvote.peers': o.ourSids.join(',') },
  });
  ours = z;
  const e = await startZooKeeperEnsemble({ sids: o.zkSids, extraServers: z.entries(), ...TIMING });
  zkEns = e;
  z.setExternalServers(e.serverLines());
  if (o.startOursAfterZkLeader === true) await e.waitForLeader(60_000);
  for (const sid of o.ourSids) await z.start(sid);
  return { z, e };
}

/** Lines of ZooKeeper's log that show trouble with `sid`'s messages (none expected). */
/**
 * ZooKeeper log lines with an error or exception about `sid`, except the connection-lifecycle
 * warnings ZooKeeper prints whenever an election connection closes under its send or receive
 * worker (the tie-break replaces connections between ZooKeeper servers too): those say a socket
 * went away, not that our bytes were misread.
 */
function troubleWith(e: Ensemble, zkSid: number, sid: number): string[] {
  const mentions = new RegExp(`(\\bid[ :=]?${sid}\\b|\\bsid[:=]${sid}\\b|server ${sid}\\b|n\\.sid:${sid}\\b)`);
  const lifecycle = /Exception when using channel|Connection broken for id|Interrupting SendWorker|Interrupted while waiting for message/;
  return (e.nodes.get(zkSid)?.process?.lines() ?? [])
    .map((l) => l.text)
    .filter((t) => /ERROR|Exception/.test(t) && mentions.test(t) && !lifecycle.test(t));
}

/** Field names, nested (map keys that are sids collapse to "<sid>"). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (v === null || typeof v !== 'object') return typeof v === 'number' ? 'number' : v === null ? 'null' : typeof v;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) return { '<sid>': shape(entries[0]![1]) };
  return Object.fromEntries(entries.map(([k, x]) => [k, k === 'error' ? 'error' : shape(x)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}

function notificationsFrom(e: Ensemble, zkSid: number, sid: number): string[] {
  return (e.nodes.get(zkSid)?.process?.lines() ?? []).map((l) => l.text).filter((t) => t.includes('Notification:') && t.includes(`n.sid:${sid},`));
}

describe.skipIf(!zk.ok)('mixed ensembles with ZooKeeper 3.8', () => {
  it('2 ZooKeeper + 1 zkvote agree on the leader, ZooKeeper serves and parses our notifications', async () => {
    const { z, e } = await mixed({ zkSids: [1, 2], ourSids: [3] });
    const zkLeader = await e.waitForLeader(60_000);
    const { leader } = await z.waitForLeader(30_000, { leader: zkLeader });
    expect(leader).toBe(zkLeader);
    expect(await z.admin(3, 'leader')).toMatchObject({ is_leader: false, leader_id: zkLeader, error: null });
    const modes = await e.modes();
    expect([...modes.values()].sort()).toEqual(['follower', 'leader']);
    expect(await e.admin(zkLeader, 'leader')).toMatchObject({ is_leader: true, leader_id: zkLeader });
    for (const sid of [1, 2]) {
      expect(notificationsFrom(e, sid, 3).length).toBeGreaterThan(0);
      expect(troubleWith(e, sid, 3)).toEqual([]);
    }
    // Our AdminServer-named commands carry the field names ZooKeeper's do.
    const zkFollower = [1, 2].find((s) => s !== zkLeader)!;
    for (const command of ['leader', 'voting_view', 'srvr', 'stat', 'zabstate', 'conf', 'ruok']) {
      const theirs = (await e.admin(zkFollower, command)) as Record<string, unknown>;
      const mine = (await z.admin(3, command)) as Record<string, unknown>;
      expect(shape(mine), command).toEqual(shape(theirs));
    }
  }, 120_000);

  it('4 ZooKeeper + 1 zkvote agree; after kill -9 of the ZooKeeper leader all survivors agree and ZooKeeper serves', async () => {
    const { z, e } = await mixed({ zkSids: [1, 2, 3, 4], ourSids: [5] });
    const first = await e.waitForLeader(60_000);
    await z.waitForLeader(30_000, { leader: first });
    await e.kill(first);
    const second = await e.waitForLeader(60_000);
    expect(second).not.toBe(first);
    await z.waitForLeader(30_000, { leader: second });
    expect(await e.fourLetter(second, 'srvr')).toMatch(/Mode: leader/);
    for (const sid of [1, 2, 3, 4].filter((s) => s !== first)) expect(troubleWith(e, sid, 5)).toEqual([]);
  }, 180_000);

  it('a zkvote observer in a 3-ZooKeeper ensemble reports OBSERVING the leader and follows a leader change', async () => {
    const { z, e } = await mixed({ zkSids: [1, 2, 3], ourSids: [4], observers: [4] });
    const first = await e.waitForLeader(60_000);
    const seen = await z.waitForElection(4, (v) => v.state === 'OBSERVING' && v.leader === first, 30_000);
    expect(seen.learner_type).toBe('observer');
    expect(await z.fourLetter(4, 'srvr')).toMatch(/Mode: observer/);
    await e.kill(first);
    const second = await e.waitForLeader(60_000);
    await z.waitForElection(4, (v) => v.state === 'OBSERVING' && v.leader === second, 30_000);
  }, 180_000);

  it('a zkvote peer started into an established ZooKeeper ensemble learns its leader', async () => {
    const { z, e } = await mixed({ zkSids: [1, 2, 3], ourSids: [4], startOursAfterZkLeader: true });
    const leader = await e.waitForLeader(10_000);
    const view = await z.waitForElection(4, (v) => v.state === 'FOLLOWING', 30_000);
    expect(view.leader).toBe(leader);
    expect((await e.modes()).get(leader)).toBe('leader');
    for (const sid of [1, 2, 3]) expect(troubleWith(e, sid, 4)).toEqual([]);
  }, 120_000);
});
