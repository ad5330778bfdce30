#!/usr/bin/env node
// zkvote-server <zoo.cfg>: see `zkvote-server --help`.

import { setFlagsFromString } from 'node:v8';
import { runServer } from './run.js';

// Keep V8's young generation at its initial size (two 1 MiB semi-spaces) instead of letting it
// grow to 2 x 16 MiB under bursts of admin-API polling: measured, a server polled 400 times a
// second grows from ~50 to ~74 MiB RSS by default. The cost is more, but small, scavenges.
// Only the command does this; embedding @zkvote/server leaves the host's V8 flags alone.
setFlagsFromString('--semi-space-growth-factor=1');

runServer(process.argv.slice(2)).then(
  (code) => {
    // Flush stdout/stderr, then leave even if a stray handle (a half-closed socket) lingers.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  },
  (e: unknown) => {
    process.stderr.write(`zkvote-server: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
