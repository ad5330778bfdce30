// Colours and live redraw only on a terminal: runs the bin inside a pseudo-terminal with
// util-linux `script` (skipped with the reason when `script` is not installed).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMsg, encodeFrame, ServerState } from '@zkvote/wire';
import { CLI_BIN, assertBuilt } from './run-cli.js';
import { startFakePeer, type FakePeer } from './fake-peer.js';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasScript) it.skip('pty tests: util-linux `script` is not installed', () => {});

/** Runs the CLI in a pty; resolves with everything the terminal showed. */
function inPty(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, CLI_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { env: { ...process.env, TERM: 'xterm', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(!hasScript)('on a terminal', () => {
  let peers: FakePeer[] = [];
  let dir: string;
  let cfg: string;
  beforeAll(async () => {
    assertBuilt();
    const frame = (state: ServerState): Uint8Array =>
      encodeFrame(buildMsg({ state, leader: 2n, zxid: 0x100000000n, electionEpoch: 1n, peerEpoch: 1n, config: 'x' }));
    peers = [await startFakePeer({ kind: 'answer', frames: [frame(ServerState.FOLLOWING)] }), await startFakePeer({ kind: 'answer', frames: [frame(ServerState.LEADING)] })];
    dir = mkdtempSync(join(tmpdir(), 'zkvote-cli-tty-'));
    cfg = join(dir, 'zoo.cfg');
    writeFileSync(cfg, ['tickTime=2000', 'initLimit=10', 'syncLimit=5', `dataDir=${dir}`, 'clientPort=2181', ...peers.map((p, i) => `server.${i + 1}=127.0.0.1:${21000 + i}:${p.port}`)].join('\n'));
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('status colours the states, NO_COLOR turns that off', async () => {
    const coloured = await inPty(['status', '--config', cfg], { NO_COLOR: '' });
    expect(coloured.code).toBe(0);
    expect(coloured.output).toContain('\u001b[32mLEADING\u001b[39m');
    expect(coloured.output).toContain('\u001b[36mFOLLOWING\u001b[39m');
    const plain = await inPty(['status', '--config', cfg], { NO_COLOR: '1' });
    expect(plain.output).not.toMatch(/\u001b\[[0-9;]*m/);
    expect(plain.output).toMatch(/2\s+LEADING\s+2/);
  });

  it('watch redraws the table in place and stops after --duration', async () => {
    const run = await inPty(['watch', '--config', cfg, '--interval', '100', '--duration', '700'], { NO_COLOR: '' });
    expect(run.code).toBe(0);
    const redraws = run.output.split('\u001b[H\u001b[2J').length - 1;
    expect(redraws).toBeGreaterThanOrEqual(1);
    expect(run.output).toContain('leader 2 decided');
  });

  it('--json stays plain JSON even on a terminal', async () => {
    const run = await inPty(['status', '--config', cfg, '--json'], { NO_COLOR: '' });
    expect(run.output).not.toMatch(/\u001b\[/);
    expect(JSON.parse(run.output.trim())).toMatchObject({ leader: 2, agreed: true, quorum: true });
  });
});
