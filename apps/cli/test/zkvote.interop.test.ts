// The built CLI against real zkvote servers (apps/server's harness spawns `zkvote-server
// zoo.cfg` children): status through all three sources, and `watch` through a leader kill,
// where the admin event stream shows the LOOKING and the new decision.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZkvoteEnsemble, type ZkvoteEnsemble } from '../../server/test/harness.js';
import { assertBuilt, onlyJson, runCli, watchThroughKill } from './run-cli.js';

const SERVER_BIN = fileURLToPath(new URL('../../server/dist/bin.js', import.meta.url));
const serverBuilt = existsSync(SERVER_BIN);
if (!serverBuilt) it.skip(`zkvote server interop: ${SERVER_BIN} is not built (pnpm build at the root)`, () => {});

interface Row {
  sid: number | null;
  state: string | null;
  leader: number | null;
  epoch: number | null;
  via: string;
  error: string | null;
  [k: string]: unknown;
}

describe.skipIf(!serverBuilt)('zkvote against zkvote servers', () => {
  let ens: ZkvoteEnsemble;
  let leader: number;
  let admin: string;
  let fourLetter: string;

  beforeAll(async () => {
    assertBuilt();
    ens = await startZkvoteEnsemble({ size: 3 });
    leader = (await ens.waitForLeader(30_000)).leader;
    const nodes = [...ens.nodes.values()];
    admin = nodes.map((n) => `127.0.0.1:${n.adminPort}`).join(',');
    fourLetter = nodes.map((n) => `127.0.0.1:${n.clientPort}`).join(',');
  }, 60_000);
  afterAll(async () => {
    await ens?.stop();
  });

  it('election probe, admin API and 4lw agree; admin and 4lw show the established epoch', async () => {
    const cfg = (ens.nodes.get(1) as { configFile: string }).configFile;
    const sources: Array<[string, string[]]> = [
      ['election', ['--config', cfg]],
      ['admin', ['--admin', admin]],
      ['4lw', ['--4lw', fourLetter]],
    ];
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
        if (via === 'election') expect(r.epoch).toBeNull();
        else expect(r.epoch, via).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('watch --json with --admin streams the LOOKING and the new decision through a leader kill', async () => {
    const { code, events, output } = await watchThroughKill(['--admin', admin], 200, () => ens.kill(leader));
    expect(code, output).toBe(0);
    expect(events[0]).toMatchObject({ kind: 'snapshot', status: { leader, agreed: true } });
    // The survivors' own event streams report going LOOKING, however fast the election is.
    const server = events.filter((e) => e.kind === 'server').map((e) => e.event as Record<string, unknown>);
    expect(server).toContainEqual(expect.objectContaining({ kind: 'state', to: 'LOOKING' }));
    const elected = server.filter((e) => e.kind === 'elected');
    expect(elected.length).toBeGreaterThanOrEqual(1);
    for (const e of elected) expect(typeof e.electionMs).toBe('number');
    const decisions = events.filter((e) => e.kind === 'decision');
    expect(decisions[0]).toMatchObject({ leader });
    const last = decisions[decisions.length - 1] as Record<string, unknown>;
    expect(last.leader).not.toBe(leader);
    expect(elected.every((e) => e.leader === last.leader)).toBe(true);
  }, 90_000);
});
