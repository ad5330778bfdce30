// The real bin as a child process: startup failures are one stderr line and exit code 2 with
// nothing written; SIGTERM closes gracefully with exit 0.

import { mkdir, readdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePorts, ManagedProcess, tempDir, type TempDir } from '@zkvote/testkit';
import { SERVER_BIN } from './harness.js';

let dir: TempDir;
let ports: number[];
const children: ManagedProcess[] = [];
beforeEach(async () => {
  dir = await tempDir('zkvote-server-proc-');
  ports = await freePorts(4);
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.stop()));
  await dir.cleanup();
});

async function writeCfg(opts: { extra?: string[]; myid?: boolean; dataDir?: string } = {}): Promise<{ file: string; data: string }> {
  const data = path.join(dir.path, 'data');
  await mkdir(data, { recursive: true });
  if (opts.myid !== false) await writeFile(path.join(data, 'myid'), '1\n');
  const [election, quorum, client, admin] = ports as [number, number, number, number];
  const file = path.join(dir.path, 'zoo.cfg');
  await writeFile(
    file,
    [
      'tickTime=500',
      'initLimit=10',
      'syncLimit=5',
      `dataDir=${opts.dataDir ?? data}`,
      `clientPort=${client}`,
      'clientPortAddress=127.0.0.1',
      `admin.serverPort=${admin}`,
      `server.1=127.0.0.1:${quorum}:${election}`,
      'server.2=127.0.0.1:1:2',
      'server.3=127.0.0.1:3:4',
      ...(opts.extra ?? []),
      '',
    ].join('\n'),
  );
  return { file, data };
}

function spawn(file: string): ManagedProcess {
  const p = new ManagedProcess({ name: 'zkvote-server', command: process.execPath, args: [SERVER_BIN, file], cwd: dir.path });
  children.push(p);
  return p;
}

async function expectOneLineFailure(file: string, pattern: RegExp, data: string | null): Promise<void> {
  const before = data === null ? [] : await readdir(data);
  const p = spawn(file);
  const status = await p.waitForExit(15_000);
  expect(status.code).toBe(2);
  const lines = p.lines();
  expect(lines.map((l) => `${l.stream}: ${l.text}`)).toHaveLength(1);
  expect(lines[0]!.stream).toBe('stderr');
  expect(lines[0]!.text).toMatch(pattern);
  if (data !== null) expect(await readdir(data)).toEqual(before);
}

describe('zkvote-server process', () => {
  it('a bad key value: one line naming file, line and key; exit 2; nothing written', async () => {
    const { file, data } = await writeCfg({ extra: ['zkvote.fastDecision=yes'] });
    await expectOneLineFailure(file, /^zkvote-server: .*zoo\.cfg:11: zkvote\.fastDecision: expected true or false, got "yes"$/, data);
    const bad = await writeCfg({ extra: ['syncLimit=five'] });
    await expectOneLineFailure(bad.file, /zoo\.cfg:11: syncLimit: expected a 32-bit integer, got "five"$/, bad.data);
  });

  it('a missing myid, an unreadable dataDir: one line naming the path; exit 2', async () => {
    const { file, data } = await writeCfg({ myid: false });
    await expectOneLineFailure(file, /^zkvote-server: myid file .*\/data\/myid is missing/, data);
    const notDir = path.join(dir.path, 'plain-file');
    await writeFile(notDir, 'x');
    const c = await writeCfg({ dataDir: notDir });
    await expectOneLineFailure(c.file, /^zkvote-server: dataDir .*plain-file \(.*zoo\.cfg:4\) is not a directory$/, null);
  });

  it('a port in use: one line naming the address; exit 2; nothing written', async () => {
    const { file, data } = await writeCfg();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: ports[0] }, r));
    try {
      await expectOneLineFailure(file, new RegExp(`^zkvote-server: election address 127\\.0\\.0\\.1:${ports[0]} is already in use$`), data);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('SIGTERM closes gracefully with exit 0', async () => {
    const { file } = await writeCfg();
    const p = spawn(file);
    await p.waitForLine(/"event":"started"/, 15_000);
    p.kill('SIGTERM');
    const status = await p.waitForExit(15_000);
    expect(status).toEqual({ code: 0, signal: null });
    expect(p.lines().at(-1)?.text).toMatch(/"msg":"zkvote-server stopped"/);
  });

  it('--help documents the keys and exits 0', async () => {
    const p = new ManagedProcess({ name: 'zkvote-server', command: process.execPath, args: [SERVER_BIN, '--help'] });
    children.push(p);
    expect((await p.waitForExit(15_000)).code).toBe(0);
    expect(p.output()).toContain('zkvote.peers');
  });
});
