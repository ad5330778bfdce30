#!/usr/bin/env node
// zkvote-server <zoo.cfg>: see `zkvote-server --help`.

import { runServer } from './run.js';

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
