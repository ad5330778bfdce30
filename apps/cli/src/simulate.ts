// `zkvote simulate`: a thin shell over @zkvote/sim. Reads a scenario file (or builds one from
// the --servers/--start shorthand), runs the real election core on the virtual network with a
// seed, and prints the run as text, JSON or a Mermaid sequence diagram.

import { readFileSync } from 'node:fs';
import {
  buildShorthandScenario,
  formatJson,
  formatMermaid,
  formatText,
  parseScenario,
  SimError,
  simulate as runSimulation,
  type Scenario,
  type SimResult,
} from '@zkvote/sim';
import { CliError } from './errors.js';

export type SimulateFormat = 'text' | 'json' | 'mermaid';
export const SIMULATE_FORMATS: readonly SimulateFormat[] = ['text', 'json', 'mermaid'];

export interface SimulateCommandOptions {
  /** Path of a scenario JSON file; exclusive with `servers`. */
  scenarioFile?: string;
  /** Shorthand: `1,3,5` (items sid[:zxid[:peerEpoch]]). */
  servers?: string;
  /** Shorthand: `1,5@0,3@50` (items sid[@ms]); default all at 0. */
  start?: string;
  seed?: number;
  format?: SimulateFormat;
}

function simError(e: unknown, where: string): never {
  if (SimError.isInstance(e)) {
    const code = e.code === 'CORE_FAILED' ? 'SIMULATION' : 'CONFIG';
    throw new CliError(code, `${where}: ${e.message}`);
  }
  throw e;
}

export function loadScenario(options: SimulateCommandOptions): Scenario {
  if (options.scenarioFile !== undefined && options.servers !== undefined) {
    throw new CliError('USAGE', 'expected either a scenario file or --servers, got both');
  }
  if (options.scenarioFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.scenarioFile, 'utf8');
    } catch (e) {
      throw new CliError('CONFIG', `expected a readable scenario file at ${options.scenarioFile}, got ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    try {
      return parseScenario(text);
    } catch (e) {
      simError(e, options.scenarioFile);
    }
  }
  if (options.servers === undefined) {
    if (options.start !== undefined) throw new CliError('USAGE', '--start: expected --servers too');
    throw new CliError('USAGE', 'expected a scenario file or --servers 1,3,5 [--start 1,5@0,3@50]');
  }
  try {
    return buildShorthandScenario({ servers: options.servers, ...(options.start === undefined ? {} : { start: options.start }) });
  } catch (e) {
    simError(e, 'shorthand');
  }
}

/** The zkvote command that reproduces a run (printed with invariant violations). */
export function replayCommand(options: SimulateCommandOptions, seed: number): string {
  const source =
    options.scenarioFile !== undefined
      ? JSON.stringify(options.scenarioFile)
      : `--servers ${options.servers ?? ''}${options.start === undefined ? '' : ` --start ${options.start}`}`;
  return `zkvote simulate ${source} --seed ${seed}`;
}

export function runScenario(scenario: Scenario, seed?: number, replay?: string): SimResult {
  try {
    return runSimulation(scenario, { ...(seed === undefined ? {} : { seed }), ...(replay === undefined ? {} : { replayCommand: replay }) });
  } catch (e) {
    simError(e, 'simulation');
  }
}

/** The whole command: scenario in, formatted run out (ends with a newline). */
export function simulateCommand(options: SimulateCommandOptions): string {
  const scenario = loadScenario(options);
  const seed = options.seed ?? scenario.options.seed;
  const result = runScenario(scenario, seed, replayCommand(options, seed));
  const format = options.format ?? 'text';
  const out = format === 'json' ? formatJson(result) : format === 'mermaid' ? formatMermaid(result) : formatText(result);
  return out.endsWith('\n') ? out : `${out}\n`;
}
