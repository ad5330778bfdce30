// Temporary directories for process logs and ZooKeeper data, removed on cleanup unless
// ZKVOTE_KEEP_DIRS=1 asks to keep them for a post-mortem.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempDir {
  readonly path: string;
  /** Removes the directory tree (kept, and its path printed, when ZKVOTE_KEEP_DIRS=1). */
  cleanup(): Promise<void>;
}

export function keepDirs(): boolean {
  return process.env.ZKVOTE_KEEP_DIRS === '1';
}

export async function tempDir(prefix = 'zkvote-'): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  let done = false;
  return {
    path: dir,
    async cleanup() {
      if (done) return;
      done = true;
      if (keepDirs()) {
        console.warn(`[zkvote testkit] kept ${dir} (ZKVOTE_KEEP_DIRS=1)`);
        return;
      }
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
