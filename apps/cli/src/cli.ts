// The commander program behind the `zkvote` bin: parses flags, calls the command functions,
// prints tables (TTY) or one JSON document (--json), and maps failures to exit codes
// (2 bad arguments with usage on stderr, 1 nothing reachable or a failed run).

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliError, errorText } from './errors.js';
import { jsonLine } from './json.js';
import { painter, processIo, useColour, type Io } from './output.js';
import { formatQuorumCheck, formatTolerance, parseSids, quorumCheck, quorumCheckJson, quorumTolerance, toleranceJson } from './quorum.js';
import { SIMULATE_FORMATS, simulateCommand, type SimulateFormat } from './simulate.js';
import { formatStatus, reachedAny, status, statusJson, type StatusOptions } from './status.js';
import { watch, type WatchOptions } from './watch.js';

export const VERSION = '0.1.0';

function positiveInt(what: string) {
  return (value: string): number => {
    if (!/^[0-9]+$/.test(value.trim()) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(`expected ${what} (a positive integer), got ${JSON.stringify(value)}`);
    }
    return Number(value);
  };
}

function integer(value: string): number {
  if (!/^-?[0-9]+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`expected an integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function sidArg(value: string): bigint {
  if (!/^[0-9]+$/.test(value.trim())) throw new InvalidArgumentError(`expected a non-negative sid, got ${JSON.stringify(value)}`);
  return BigInt(value.trim());
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface SourceFlags {
  config?: string;
  admin?: string[];
  '4lw'?: string[];
  fourLetter?: string[];
  timeout: number;
  probeSid?: bigint;
  json?: boolean;
}

function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <zoo.cfg>', 'probe every server.N through its election port (the default source)')
    .option('--admin <host:port,...>', 'ask admin APIs (zkvote /commands/election, ZooKeeper AdminServer)', collect)
    .option('--4lw <host:port,...>', 'ask client ports with four-letter words (srvr, mntr, conf)', collect)
    .option('--timeout <ms>', 'per-server timeout', positiveInt('a timeout in ms'), 2000)
    .option('--probe-sid <sid>', 'sid the election probe uses (default: largest member + 1)', sidArg)
    .option('--json', 'print one JSON document');
}

function sourceOptions(flags: SourceFlags): StatusOptions {
  // commander names the --4lw value '4lw' (it cannot camel-case a leading digit).
  const fourLetter = flags.fourLetter ?? flags['4lw'];
  return {
    ...(flags.config === undefined ? {} : { config: flags.config }),
    ...(flags.admin === undefined ? {} : { admin: flags.admin }),
    ...(fourLetter === undefined ? {} : { fourLetter }),
    timeoutMs: flags.timeout,
    ...(flags.probeSid === undefined ? {} : { probeSid: flags.probeSid }),
  };
}

/** Runs the CLI; resolves to the process exit code. `signal` stops `watch` (SIGINT in the bin). */
export async function main(argv: readonly string[], io: Io = processIo(), signal?: AbortSignal): Promise<number> {
  const paint = painter(useColour(io.stdout, io.env));
  let exitCode = 0;
  let current: Command | null = null;
  const program = new Command('zkvote');
  program
    .description('Vote state of zkvote and ZooKeeper ensembles: status, watch, quorum arithmetic, simulated elections')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError(true)
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .hook('preAction', (_root, action) => {
      current = action;
    });

  addSourceOptions(program.command('status').description('one row per server: state, vote, round, epochs; a summary line')).action(
    async (flags: SourceFlags) => {
      const report = await status(sourceOptions(flags));
      io.stdout.write(flags.json === true ? jsonLine(statusJson(report)) : formatStatus(report, paint));
      if (!reachedAny(report)) {
        io.stderr.write('zkvote: no server answered\n');
        exitCode = 1;
      }
    },
  );

  addSourceOptions(program.command('watch').description('the status view, live, with an event log (NDJSON events with --json)'))
    .option('--interval <ms>', 're-probe interval', positiveInt('an interval in ms'), 1000)
    .option('--duration <ms>', 'stop after this long', positiveInt('a duration in ms'))
    .option('--until-leader-change', 'stop once a leader different from the first one is agreed')
    .action(async (flags: SourceFlags & { interval: number; duration?: number; untilLeaderChange?: boolean }) => {
      const options: WatchOptions = {
        ...sourceOptions(flags),
        intervalMs: flags.interval,
        json: flags.json === true,
        ...(flags.duration === undefined ? {} : { durationMs: flags.duration }),
        untilLeaderChange: flags.untilLeaderChange === true,
        ...(signal === undefined ? {} : { signal }),
      };
      exitCode = await watch(options, io, paint);
    });

  const quorum = program.command('quorum').description('quorum arithmetic of a zoo.cfg');
  quorum
    .command('check')
    .description('is this set of live servers a quorum? with per-group reasons')
    .requiredOption('-c, --config <zoo.cfg>', 'the ensemble')
    .requiredOption('--up <sids>', 'live sids, comma-separated (e.g. 1,2,5)')
    .option('--json', 'print one JSON document')
    .action((flags: { config: string; up: string; json?: boolean }) => {
      const result = quorumCheck({ config: flags.config, up: parseSids('--up', flags.up) });
      io.stdout.write(flags.json === true ? jsonLine(quorumCheckJson(result)) : formatQuorumCheck(result, paint));
    });
  quorum
    .command('tolerance')
    .description('how many (and which) failures the ensemble survives')
    .requiredOption('-c, --config <zoo.cfg>', 'the ensemble')
    .option('--json', 'print one JSON document')
    .action((flags: { config: string; json?: boolean }) => {
      const result = quorumTolerance(flags.config);
      io.stdout.write(flags.json === true ? jsonLine(toleranceJson(result)) : formatTolerance(result, paint));
    });

  program
    .command('simulate')
    .description('run the election core in the deterministic simulator')
    .argument('[scenario.json]', 'scenario file (see the README for the format)')
    .option('--seed <n>', 'RNG seed (default: the scenario\'s options.seed, else 1)', integer)
    .addOption(new Option('--format <format>', 'output format').choices([...SIMULATE_FORMATS]).default('text'))
    .option('--json', 'same as --format json')
    .option('--servers <list>', 'shorthand: sids, e.g. 1,3,5 (items sid[:zxid[:peerEpoch]])')
    .option('--start <list>', 'shorthand: start times, e.g. 1,5@0,3@50 (default: all at 0)')
    .action((file: string | undefined, flags: { seed?: number; format: SimulateFormat; json?: boolean; servers?: string; start?: string }) => {
      io.stdout.write(
        simulateCommand({
          ...(file === undefined ? {} : { scenarioFile: file }),
          ...(flags.servers === undefined ? {} : { servers: flags.servers }),
          ...(flags.start === undefined ? {} : { start: flags.start }),
          ...(flags.seed === undefined ? {} : { seed: flags.seed }),
          format: flags.json === true ? 'json' : flags.format,
        }),
      );
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      // commander.executeSubCommandAsync and friends never happen here: every command is in-process.
      return 2;
    }
    if (CliError.isInstance(e)) {
      io.stderr.write(`zkvote: ${e.message}\n`);
      if (e.code === 'USAGE') io.stderr.write((current as Command | null)?.helpInformation() ?? program.helpInformation());
      return e.exitCode;
    }
    io.stderr.write(`zkvote: ${errorText(e)}\n`);
    return 1;
  }
}
