// runServer in-process with a fake peer: arguments, one-line startup failures (exit 2), the
// startup log line, and a graceful stop.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminCommand, fourLetterWord, freePorts, tempDir, type TempDir } from '@zkvote/testkit';
import { runServer, type RunIo } from '../src/run.js';
import type { RunningServer } from '../src/server.js';
import { FakePeer } from './fake-peer.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(c: Buffer, _e, done) {
        chunks.push(c.toString());
        done();
      },
    }),
    text: () => chunks.join(''),
  };
}

let dir: TempDir;
let ports: number[];
beforeEach(async () => {
  dir = await tempDir('zkvote-server-run-');
  ports = await freePorts(5);
});
afterEach(async () => {
  await dir.cleanup();
});

async function cfg(extra: string[] = [], myid: string | null = '1'): Promise<string> {
  const data = path.join(dir.path, 'data');
  await mkdir(data, { recursive: true });
  if (myid !== null) await writeFile(path.join(data, 'myid'), myid);
  else await rm(path.join(data, 'myid'), { force: true });
  const [election, quorum, client, admin] = ports as [number, number, number, number];
  const file = path.join(dir.path, 'zoo.cfg');
  await writeFile(
    file,
    [
      'tickTime=2000',
      'initLimit=10',
      'syncLimit=5',
      `dataDir=${data}`,
      `clientPort=${client}`,
      'clientPortAddress=127.0.0.1',
      '4lw.commands.whitelist=*',
      `admin.serverPort=${admin}`,
      `server.1=127.0.0.1:${quorum}:${election}`,
      'server.2=127.0.0.1:1:2',
      'server.3=127.0.0.1:3:4',
      ...extra,
      '',
    ].join('\n'),
  );
  return file;
}

async function run(argv: string[], extra: Partial<RunIo> = {}) {
  const out = capture();
  const err = capture();
  const code = await runServer(argv, { env: {}, stdout: out.stream, stderr: err.stream, peerFactory: async (c) => new FakePeer({ sid: c.myid }), ...extra });
  return { code, out: out.text(), err: err.text() };
}

describe('runServer', () => {
  it('prints help (every zkvote.* key, the env vars) and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const key of ['zkvote.peers', 'zkvote.fastDecision', 'zkvote.minNotificationInterval', 'zkvote.maxNotificationInterval', 'zkvote.logLevel', 'zkvote.metricsPort', 'metricsProvider.httpPort', '4lw.commands.whitelist', 'admin.serverAddress', 'ZKVOTE_LOG_LEVEL', '/commands/events']) {
      expect(r.out).toContain(key);
    }
  });

  it('fails with one line and exit 2 on usage and config errors, writing nothing', async () => {
    const usage = await run([]);
    expect(usage).toMatchObject({ code: 2, out: '' });
    expect(usage.err).toMatch(/^zkvote-server: expected exactly one argument, the path of zoo.cfg, got 0 \(see --help\)\n$/);
    expect((await run(['--bogus'])).code).toBe(2);
    const bad = await run([await cfg(['zkvote.minNotificationInterval=soon'])]);
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err.split('\n')).toHaveLength(2);
    expect(bad.err).toMatch(/zoo\.cfg:12: zkvote\.minNotificationInterval: expected an integer/);
    const noMyid = await run([await cfg([], null)], { signal: AbortSignal.abort() });
    expect(noMyid.code).toBe(2);
    expect(noMyid.err).toMatch(/myid file .*myid is missing/);
  });

  it('fails with exit 2 naming the address when a port is taken', async () => {
    const file = await cfg();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: ports[3] }, r));
    try {
      const r = await run([file]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(`zkvote-server: admin (admin.serverPort) address 127.0.0.1:${ports[3]} is already in use\n`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('starts, logs its addresses, serves admin and 4lw, and stops on abort with exit 0', async () => {
    const file = await cfg();
    const stop = new AbortController();
    let started: RunningServer | null = null;
    let peer: FakePeer | null = null;
    const out = capture();
    const done = runServer([file], {
      env: {},
      stdout: out.stream,
      stderr: out.stream,
      signal: stop.signal,
      peerFactory: async (c) => (peer = new FakePeer({ sid: c.myid })),
      onStarted: (s) => (started = s),
    });
    for (let i = 0; i < 200 && started === null; i++) await new Promise((r) => setImmediate(r));
    expect(started).not.toBeNull();
    peer!.decide('LEADING', 1n);
    expect(await adminCommand(ports[3]!, 'leader')).toMatchObject({ is_leader: true, leader_id: 1 });
    expect(await fourLetterWord(ports[2]!, 'srvr')).toMatch(/Mode: leader/);
    stop.abort();
    expect(await done).toBe(0);
    expect(peer!.closed).toBe(true);
    const lines = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.event === 'started')).toMatchObject({
      sid: 1,
      election: `127.0.0.1:${ports[0]}`,
      quorum: `127.0.0.1:${ports[1]}`,
      client: `127.0.0.1:${ports[2]}`,
      admin: `127.0.0.1:${ports[3]}`,
      metrics: null,
    });
    expect(lines.some((l) => /^LEADING - LEADER ELECTION TOOK - \d+ ms$/.test(String(l.msg)))).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'zkvote-server stopped' });
  });
});
