// Everything a bench run creates (temp dirs, servers, proxies) registers a cleanup here, so the
// run leaves nothing behind on success, failure or Ctrl-C. Child processes are also SIGKILLed
// by @zkvote/testkit's own exit hook.

import { rmSync } from 'node:fs';

const dirs = new Set<string>();
const closers = new Set<() => void>();
let installed = false;

function syncCleanup(): void {
  for (const c of closers) {
    try {
      c();
    } catch {
      // best effort while exiting
    }
  }
  closers.clear();
  if (process.env.ZKVOTE_KEEP_DIRS === '1') return;
  for (const d of dirs) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
  dirs.clear();
}

export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', syncCleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      process.stderr.write(`\n${sig}: stopping servers and removing temp dirs\n`);
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

export function trackDir(dir: string): () => void {
  dirs.add(dir);
  return () => {
    dirs.delete(dir);
    if (process.env.ZKVOTE_KEEP_DIRS !== '1') rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}

/** A synchronous closer run at exit if still registered; returns the unregister function. */
export function trackCloser(close: () => void): () => void {
  closers.add(close);
  return () => closers.delete(close);
}

/** Forget a tracked dir without removing it (kept for a post-mortem). */
export function untrackDir(dir: string): void {
  dirs.delete(dir);
}
