// Runs the built CLI (dist/bin.js) as a child process, as users and CI do.

import { spawn } from 'node:child_process';
import { ManagedProcess } from '@zkvote/testkit';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI_BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
export const example = (name: string): string => fileURLToPath(new URL(`../examples/${name}`, import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(CLI_BIN)) throw new Error(`expected the built CLI at ${CLI_BIN}; run pnpm --filter @zkvote/cli... build first`);
}

/** Runs `node dist/bin.js ...args`; kills it after timeoutMs (the result then has code null). */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliRun> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: { ...process.env, NO_COLOR: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses stdout that must be exactly one JSON document. */
export function onlyJson(run: CliRun): Record<string, unknown> {
  const text = run.stdout.trim();
  if (text === '' || text.includes('\n')) throw new Error(`expected one JSON line on stdout, got ${JSON.stringify(run.stdout)} (stderr ${run.stderr})`);
  return JSON.parse(text) as Record<string, unknown>;
}

export interface WatchedKill {
  code: number | null;
  /** The NDJSON events `watch --json` printed, in order. */
  events: Record<string, unknown>[];
  output: string;
}

/**
 * Runs `zkvote watch --json --until-leader-change ...source`, waits for its first decision,
 * calls `kill` (the leader's), and returns what it printed once it exits. The watcher is always
 * stopped.
 */
export async function watchThroughKill(source: readonly string[], intervalMs: number, kill: () => Promise<void>): Promise<WatchedKill> {
  assertBuilt();
  const watcher = new ManagedProcess({
    command: process.execPath,
    args: [CLI_BIN, 'watch', ...source, '--json', '--interval', String(intervalMs), '--timeout', '1000', '--until-leader-change', '--duration', '40000'],
    name: 'zkvote-watch',
  });
  try {
    await watcher.waitForLine(/"kind":"decision"/, 15_000);
    await kill();
    const exit = await watcher.waitForExit(40_000);
    const events = watcher
      .lines()
      .filter((l) => l.stream === 'stdout')
      .map((l) => JSON.parse(l.text) as Record<string, unknown>);
    return { code: exit.code, events, output: watcher.output() };
  } finally {
    await watcher.stop();
  }
}
