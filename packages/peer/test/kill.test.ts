// kill -9 at an arbitrary moment of a stream of atomic epoch writes never leaves a torn file.
// Runs the built dist/ in a child process (turbo builds before test); skipped without a build.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readLongFile } from '../src/persistence.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist', 'index.js');
const writer = path.join(here, 'fixtures', 'epoch-writer.mjs');
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe.skipIf(!existsSync(dist))('kill -9 during epoch writes (needs a build of @zkvote/peer)', () => {
  it('leaves the last completed value or the next one, never a torn file', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'zkvote-kill-'));
      dirs.push(dir);
      const child = spawn(process.execPath, [writer, dist, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      let lastDone = 0n;
      let buffered = '';
      // Kill after a varying number of completed writes, so the signal lands at different steps.
      const target = 20 + round * 37;
      let count = 0;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('writer produced too few writes in 10 s')), 10_000);
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) {
            lastDone = BigInt(line);
            count += 1;
          }
          if (count >= target && child.exitCode === null && !child.killed) {
            child.kill('SIGKILL');
            clearTimeout(timer);
            resolve();
          }
        });
      });
      await exited;
      const value = await readLongFile(dir, 'currentEpoch');
      expect(value).not.toBeNull();
      expect(value! % 1000003n).toBe(0n);
      // Output lags the file: the file holds what was printed last, or something written after it.
      expect(value! >= lastDone).toBe(true);
    }
  });
});
