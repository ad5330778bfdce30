#!/usr/bin/env node
// The `zkvote` executable: wires process argv, stdio and SIGINT to main().
import { main } from './cli.js';

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
main(process.argv.slice(2), undefined, stop.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`zkvote: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
