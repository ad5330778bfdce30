// `zkvote status --config` through the built bin against fake election-port peers: the JSON
// shape, per-row errors, the probe sid, the summary, and exit 1 when nobody answers.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMsg, encodeFrame, ServerState } from '@zkvote/wire';
import { onlyJson, runCli } from './run-cli.js';
import { closedPort, startFakePeer, type FakePeer } from './fake-peer.js';

let peers: FakePeer[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(peers.map((p) => p.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  peers = [];
  dirs = [];
});

const answer = async (state: ServerState, leader: bigint, extra: { zxid?: bigint; round?: bigint; peerEpoch?: bigint } = {}): Promise<FakePeer> => {
  const msg = buildMsg({ state, leader, zxid: extra.zxid ?? 0x100000000n, electionEpoch: extra.round ?? 1n, peerEpoch: extra.peerEpoch ?? 1n, config: 'x' });
  const p = await startFakePeer({ kind: 'answer', frames: [encodeFrame(msg)] });
  peers.push(p);
  return p;
};

function zooCfg(electionPorts: number[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'zkvote-cli-'));
  dirs.push(dir);
  const file = join(dir, 'zoo.cfg');
  const lines = ['tickTime=2000', 'initLimit=10', 'syncLimit=5', `dataDir=${dir}`, 'clientPort=2181'];
  electionPorts.forEach((p, i) => lines.push(`server.${i + 1}=127.0.0.1:${20000 + i}:${p}`));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('zkvote status --config', () => {
  it('prints the issue\'s JSON shape, one row per server, an unreachable server as a row error', async () => {
    const f1 = await answer(ServerState.FOLLOWING, 2n);
    const f2 = await answer(ServerState.LEADING, 2n, { round: 3n, peerEpoch: 2n });
    const down = await closedPort();
    const cfg = zooCfg([f1.port, f2.port, down]);
    const run = await runCli(['status', '--config', cfg, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = onlyJson(run);
    expect(Object.keys(doc)).toEqual(['servers', 'leader', 'agreed', 'quorum']);
    const servers = doc.servers as Array<Record<string, unknown>>;
    expect(servers.map((s) => Object.keys(s))).toEqual(
      Array(3).fill(['sid', 'state', 'leader', 'zxid', 'electionEpoch', 'peerEpoch', 'epoch', 'via', 'address', 'error']),
    );
    expect(servers[0]).toEqual({ sid: 1, state: 'FOLLOWING', leader: 2, zxid: '0x100000000', electionEpoch: 1, peerEpoch: 1, epoch: null, via: 'election', address: `127.0.0.1:${f1.port}`, error: null });
    expect(servers[1]).toMatchObject({ sid: 2, state: 'LEADING', leader: 2, electionEpoch: 3, peerEpoch: 2 });
    expect(servers[2]).toEqual({ sid: 3, state: null, leader: null, zxid: null, electionEpoch: null, peerEpoch: null, epoch: null, via: 'election', address: `127.0.0.1:${down}`, error: 'connection refused' });
    expect(doc).toMatchObject({ leader: 2, agreed: true, quorum: true });
    // The probe's sid is one more than the largest member, so no peer tries to connect back.
    expect(f1.received[0]?.handshake.sid).toBe(4n);
  });

  it('sids past 2^53 are strings; a LOOKING server means no agreement', async () => {
    const big = 2n ** 60n;
    const f1 = await answer(ServerState.LOOKING, big, { zxid: big });
    const f2 = await answer(ServerState.FOLLOWING, 1n);
    const cfg = zooCfg([f1.port, f2.port]);
    const doc = onlyJson(await runCli(['status', '-c', cfg, '--json']));
    const servers = doc.servers as Array<Record<string, unknown>>;
    expect(servers[0]).toMatchObject({ state: 'LOOKING', leader: big.toString(), zxid: '0x1000000000000000' });
    expect(doc).toMatchObject({ leader: 1, agreed: false, quorum: false });
  });

  it('a silent server times out per row (--timeout) without holding up the others', async () => {
    const f1 = await answer(ServerState.LEADING, 1n);
    const silent = await startFakePeer({ kind: 'silent' });
    peers.push(silent);
    const run = await runCli(['status', '-c', zooCfg([f1.port, silent.port]), '--timeout', '300', '--json']);
    const servers = onlyJson(run).servers as Array<Record<string, unknown>>;
    expect(servers[0]).toMatchObject({ state: 'LEADING', error: null });
    expect(servers[1]).toMatchObject({ state: null, error: 'expected a notification within 300 ms, got none' });
  });

  it('exits 1 when no server answers, still printing the rows', async () => {
    const cfg = zooCfg([await closedPort(), await closedPort()]);
    const json = await runCli(['status', '-c', cfg, '--json']);
    expect(json.code).toBe(1);
    expect(onlyJson(json)).toMatchObject({ leader: null, agreed: false, quorum: false });
    const table = await runCli(['status', '-c', cfg]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^sid\s+state\s+leader\s+zxid\s+round\s+peerEpoch\s+epoch\s+via\s+address\s+error$/m);
    expect(table.stdout).toContain('connection refused');
    expect(table.stderr).toContain('no server answered');
    const admin = await runCli(['status', '--admin', `127.0.0.1:${await closedPort()}`, '--json']);
    expect(admin.code).toBe(1);
    const fourLetter = await runCli(['status', '--4lw', `127.0.0.1:${await closedPort()}`]);
    expect(fourLetter.code).toBe(1);
  });

  it('the table has no ANSI codes when piped, even with NO_COLOR unset', async () => {
    const f1 = await answer(ServerState.LEADING, 1n);
    const run = await runCli(['status', '-c', zooCfg([f1.port])]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/\u001b\[/);
    expect(run.stdout).toContain('leader: 1; all 1 answering agree; supporters form a quorum; 1/1 answered');
  });
});
