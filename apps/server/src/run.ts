// The zkvote-server command: arguments -> config -> running server -> wait for SIGTERM/SIGINT.
// Startup failures print exactly one line on stderr and return exit code 2.

import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { loadServerConfig } from './config.js';
import { ServerError } from './errors.js';
import { helpText } from './help.js';
import { SERVER_VERSION } from './info.js';
import type { PeerFactory, RunningServer } from './server.js';

export interface RunIo {
  env?: NodeJS.ProcessEnv;
  stdout?: Writable;
  stderr?: Writable;
  /** Stops the server when aborted; default: the process's SIGTERM and SIGINT. */
  signal?: AbortSignal;
  /** Called once the server is up (tests, embedding). */
  onStarted?: (server: RunningServer) => void;
  /** Replaces @zkvote/peer (tests). */
  peerFactory?: PeerFactory;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_CANNOT_START = 2;

/** Runs zkvote-server with `argv` (without node and script); resolves with the exit code. */
export async function runServer(argv: readonly string[], io: RunIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const fail = (message: string, code = EXIT_CANNOT_START): number => {
    stderr.write(`zkvote-server: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return code;
  };

  const parsed = parseCommandLine(argv);
  if (typeof parsed === 'string') return fail(`${parsed} (see --help)`);
  if (parsed.values.help) {
    stdout.write(helpText());
    return EXIT_OK;
  }
  if (parsed.values.version) {
    stdout.write(`zkvote-server ${SERVER_VERSION}\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) {
    return fail(`expected exactly one argument, the path of zoo.cfg, got ${parsed.positionals.length} (see --help)`);
  }

  // Listen for SIGTERM/SIGINT before anything starts: a signal that arrives during startup
  // (or right after the "started" line) must still mean a graceful close, not a kill.
  const stop = waitForStop(io.signal);
  let server: RunningServer;
  try {
    const config = loadServerConfig(parsed.positionals[0] as string, { env: io.env ?? process.env });
    // The server, pino and @zkvote/peer are loaded only now: --help, --version and usage errors
    // answer without them.
    const { startServer } = await import('./server.js');
    const peerFactory = io.peerFactory ?? (await import('./peer-source.js')).startZkvotePeer;
    server = await startServer(config, { peerFactory, stdout });
  } catch (e) {
    stop.cancel();
    if (ServerError.isInstance(e)) return fail(e.message);
    return fail(`unexpected failure while starting: ${(e as Error).stack ?? String(e)}`, EXIT_FAILURE);
  }
  io.onStarted?.(server);

  await stop.stopped;
  server.logger.info({ event: 'stopping' }, 'zkvote-server stopping (signal)');
  await server.close();
  return EXIT_OK;
}

const OPTIONS = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } } as const;

/** node:util parseArgs over our options; a string is the usage error. */
function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
  } catch (e) {
    return (e as Error).message;
  }
}

function waitForStop(signal: AbortSignal | undefined): { stopped: Promise<void>; cancel: () => void } {
  if (signal !== undefined) {
    return {
      stopped: signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
      cancel: () => undefined,
    };
  }
  let stop = (): void => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = (): void => {
      cancel();
      resolve();
    };
  });
  const cancel = (): void => {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return { stopped, cancel };
}
