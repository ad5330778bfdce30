// The built CLI against a real ZooKeeper 3.8 ensemble (testkit): the election-port probe, the
// AdminServer and four-letter words must tell the same story, and `watch` must follow a
// leader kill. Skips with the reason when ZooKeeper is absent (fails under ZKVOTE_REQUIRE_ZK=1).

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZooKeeperEnsemble, zookeeperGate, type Ensemble } from '@zkvote/testkit';
import { assertBuilt, onlyJson, runCli, watchThroughKill } from './run-cli.js';

const zk = await zookeeperGate();
if (!zk.ok) it.skip(`ZooKeeper interop: ${zk.reason}`, () => {});

interface Row {
  sid: number | null;
  state: string | null;
  leader: number | null;
  via: string;
  error: string | null;
  [k: string]: unknown;
}

describe.skipIf(!zk.ok)('zkvote against ZooKeeper 3.8', () => {
  let ens: Ensemble;
  let leader: number;
  let cfg: string;
  let admin: string;
  let fourLetter: string;

  beforeAll(async () => {
    assertBuilt();
    ens = await startZooKeeperEnsemble({ size: 3 });
    leader = await ens.waitForLeader(30_000);
    // A follower still syncing answers srvr with "not currently serving": wait until all serve.
    await ens.waitFor((modes) => [...modes.values()].every((m) => m === 'leader' || m === 'follower'), 30_000);
    // Every node's zoo.cfg lists the whole ensemble; any one will do.
    cfg = join(ens.dir, '1', 'zoo.cfg');
    const nodes = [...ens.nodes.values()];
    admin = nodes.map((n) => `127.0.0.1:${n.adminPort}`).join(',');
    fourLetter = nodes.map((n) => `127.0.0.1:${n.clientPort}`).join(',');
  }, 60_000);
  afterAll(async () => {
    await ens?.stop();
  });

  it('election probe, AdminServer and 4lw agree: one leader, agreed, quorum', async () => {
    const sources: Array<[string, string[]]> = [
      ['election', ['--config', cfg]],
      ['admin', ['--admin', admin]],
      ['4lw', ['--4lw', fourLetter]],
    ];
    const byVia = new Map<string, Row[]>();
    for (const [via, flags] of sources) {
      // A generous per-server timeout: a cold JVM (first AdminServer request) on a busy 2-core box is slow.
      const run = await runCli(['status', ...flags, '--timeout', '10000', '--json'], { timeoutMs: 30_000 });
      expect(run.code, `${via}: ${run.stderr} ${run.stdout}`).toBe(0);
      const doc = onlyJson(run);
      expect(doc, via).toMatchObject({ leader, agreed: true, quorum: true });
      const rows = doc.servers as Row[];
      expect(rows.map((r) => r.sid), via).toEqual([1, 2, 3]);
      for (const r of rows) {
        expect(r, via).toMatchObject({ via, error: null, leader, state: r.sid === leader ? 'LEADING' : 'FOLLOWING' });
        expect(r.zxid, via).toMatch(/^0x[0-9a-f]+$/);
      }
      byVia.set(via, rows);
    }
    // Only the election port tells the round and peerEpoch; ZooKeeper answers non-voters with its logicalclock.
    for (const r of byVia.get('election') ?? []) {
      expect(typeof r.electionEpoch).toBe('number');
      expect(r.peerEpoch).toBeGreaterThanOrEqual(1);
      expect(r.epoch).toBeNull();
    }
    const table = await runCli(['status', '--config', cfg]);
    expect(table.stdout).toContain(`leader: ${leader}; all 3 answering agree; supporters form a quorum; 3/3 answered`);
  });

  it('probing does not disturb the ensemble (no election restarts, leader unchanged)', async () => {
    for (let i = 0; i < 3; i++) expect((await runCli(['status', '-c', cfg, '--json'])).code).toBe(0);
    expect(await ens.waitForLeader(5_000)).toBe(leader);
    expect(await ens.mode(leader)).toBe('leader');
  });

  it('watch --json follows a leader kill to the new decision', async () => {
    const { code, events, output } = await watchThroughKill(['--config', cfg], 100, () => ens.kill(leader));
    expect(code, output).toBe(0);
    expect(events[0]).toMatchObject({ kind: 'snapshot', status: { leader, agreed: true } });
    expect(events.every((e) => typeof e.time === 'string')).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'unreachable', sid: leader }));
    const decisions = events.filter((e) => e.kind === 'decision');
    expect(decisions[0]).toMatchObject({ leader });
    const last = decisions[decisions.length - 1] as Record<string, unknown>;
    expect(last.leader).not.toBe(leader);
    expect(typeof last.electionMs).toBe('number');
    expect(events.some((e) => e.kind === 'leader-lost')).toBe(true);
  }, 90_000);
});
