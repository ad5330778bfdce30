import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedProcess, TestkitError, tempDir, type TempDir } from '../src/index.js';

const CHILD = fileURLToPath(new URL('./fixtures/child.mjs', import.meta.url));
const started: ManagedProcess[] = [];
const dirs: TempDir[] = [];

function child(...args: string[]): ManagedProcess {
  const p = new ManagedProcess({ command: process.execPath, args: [CHILD, ...args], name: `child-${args[0]}` });
  started.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
  await Promise.all(dirs.splice(0).map((d) => d.cleanup()));
});

function procState(pid: number): string {
  // /proc/<pid>/stat: "pid (comm) S ..."; comm may hold spaces, so split after the last ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

// Bounded polling of another OS process's state, which nothing can push to us.
async function pollUntil(check: () => boolean, what: string, rounds = 500): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`expected ${what} within ${rounds * 10} ms`);
}

describe('ManagedProcess', () => {
  it('splits stdout and stderr into lines, across chunks and at exit', async () => {
    const p = child('lines');
    const status = await p.exited;
    expect(status).toEqual({ code: 0, signal: null });
    const texts = p.lines().map((l) => `${l.stream}:${l.text}`);
    expect(texts).toContain('stdout:hello one');
    expect(texts).toContain('stdout:hello two');
    expect(texts).toContain('stderr:err line');
    expect(texts).toContain('stdout:no newline at end');
    expect(p.lines().map((l) => l.seq)).toEqual([0, 1, 2, 3]);
  });

  it('waitForLine finds lines printed before the call, and honours since', async () => {
    const p = child('lines');
    await p.exited;
    const m = await p.waitForLine(/hello (\w+)/, 1_000);
    expect(m.match[1]).toBe('one');
    const later = await p.waitForLine(/hello (\w+)/, 1_000, { since: m.line.seq + 1 });
    expect(later.match[1]).toBe('two');
  });

  it('waitForLine rejects with PROCESS_EXITED when the process ends without a match', async () => {
    const p = child('exit', '3');
    const err = await p.waitForLine(/never printed/, 5_000).catch((e: unknown) => e);
    expect(TestkitError.isInstance(err) && err.code).toBe('PROCESS_EXITED');
    expect((await p.exited).code).toBe(3);
    expect(p.running).toBe(false);
  });

  it('waitForLine rejects with TIMEOUT and shows the last lines', async () => {
    const p = child('ticker');
    await p.waitForLine(/^ready$/, 5_000);
    const err = await p.waitForLine(/never printed/, 50).catch((e: unknown) => e);
    expect(TestkitError.isInstance(err) && err.code).toBe('TIMEOUT');
    expect(String((err as Error).message)).toContain('ready');
  });

  it('pause stops the process and resume lets it run again', async () => {
    const p = child('ticker');
    await p.waitForLine(/^ready$/, 5_000);
    const mark = p.mark();
    expect(p.pause()).toBe(true);
    await pollUntil(() => procState(p.pid) === 'T', 'state T after SIGSTOP');
    p.kill('SIGUSR2'); // stays pending while stopped
    expect(procState(p.pid)).toBe('T');
    expect(p.resume()).toBe(true);
    await p.waitForLine(/^tick 0$/, 5_000, { since: mark });
  });

  it('stop kills a paused process and reports the signal', async () => {
    const p = child('ticker');
    await p.waitForLine(/^ready$/, 5_000);
    p.pause();
    const status = await p.stop();
    expect(status.signal).toBe('SIGKILL');
    expect(p.kill()).toBe(false);
    expect(p.rssBytes()).toBeNull();
  });

  it('reads VmRSS', async () => {
    const p = child('alloc');
    await p.waitForLine(/^allocated$/, 5_000);
    expect(p.rssBytes()).toBeGreaterThan(32 * 1024 * 1024);
  });

  it('writes the raw output to the log file and keeps a bounded buffer', async () => {
    const dir = await tempDir('zkvote-testkit-');
    dirs.push(dir);
    const logFile = path.join(dir.path, 'child.log');
    const p = new ManagedProcess({ command: process.execPath, args: [CHILD, 'lines'], logFile, maxLines: 2 });
    started.push(p);
    await p.exited;
    expect(p.lines().map((l) => l.seq)).toEqual([2, 3]);
    expect(p.mark()).toBe(4);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('hello one\nhello two\n');
    expect(log).toContain('err line\n');
  });

  it('pipes stdin when asked and waits for the exit with a bound', async () => {
    const p = new ManagedProcess({ command: process.execPath, args: [CHILD, 'cat'], stdin: 'pipe' });
    started.push(p);
    p.stdin?.write('abc\n');
    await p.waitForLine(/^ABC$/, 5_000);
    const err = await p.waitForExit(20).catch((e: unknown) => e);
    expect(TestkitError.isInstance(err) && err.code).toBe('TIMEOUT');
    p.stdin?.end();
    expect(await p.waitForExit(5_000)).toEqual({ code: 0, signal: null });
    expect(child('lines').stdin).toBeNull();
  });

  it('reports a spawn failure through exited and waitForLine', async () => {
    const p = new ManagedProcess({ command: '/nonexistent/zkvote-binary' });
    started.push(p);
    expect(await p.exited).toEqual({ code: null, signal: null });
    const err = await p.waitForLine(/x/, 1_000).catch((e: unknown) => e);
    expect(TestkitError.isInstance(err) && err.code).toBe('PROCESS_EXITED');
  });
});

describe('straggler cleanup', () => {
  const PARENT = fileURLToPath(new URL('./fixtures/parent.ts', import.meta.url));

  function alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return procState(pid) !== 'Z'; // a dead child not yet reaped by its new parent
    } catch {
      return false;
    }
  }

  for (const how of ['exit', 'sigterm'] as const) {
    it(`kills live children when the parent ends by ${how}`, async () => {
      const parent = new ManagedProcess({ command: process.execPath, args: ['--import', 'tsx', PARENT, how] });
      started.push(parent);
      const { match } = await parent.waitForLine(/^child (\d+)$/, 15_000);
      const childPid = Number(match[1]);
      if (how === 'sigterm') parent.kill('SIGTERM');
      const status = await parent.exited;
      expect(how === 'exit' ? status.code : status.signal).toBe(how === 'exit' ? 0 : 'SIGTERM');
      await pollUntil(() => !alive(childPid), `child ${childPid} to be gone`);
    });
  }
});
