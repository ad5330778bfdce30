// Tiny flag parser and entry point shared by the replay and soak scripts (no dependency on
// commander here).

import { SimError } from '../errors.js';
import { ALL_MIX, type MixItem } from '../campaign.js';

export function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue;
    if (!arg.startsWith('--')) throw new SimError('BAD_OPTION', `expected a --flag, got ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) flags.set(arg.slice(2), 'true');
      else {
        flags.set(arg.slice(2), next);
        i++;
      }
    }
  }
  return flags;
}

export function intFlag(flags: Map<string, string>, name: string, fallback: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new SimError('BAD_OPTION', `expected an integer, got ${JSON.stringify(raw)}`, `--${name}`);
  return n;
}

export function sizesFlag(flags: Map<string, string>): number[] | undefined {
  const raw = flags.get('sizes');
  if (raw === undefined) return undefined;
  const sizes = raw.split(',').map(Number);
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new SimError('BAD_OPTION', `expected a list of ensemble sizes like 3,5,7, got ${JSON.stringify(raw)}`, '--sizes');
  }
  return sizes;
}

export function mixFlag(flags: Map<string, string>): MixItem[] | undefined {
  const raw = flags.get('mix');
  if (raw === undefined) return undefined;
  if (raw === 'none') return [];
  const items = raw.split(',');
  for (const item of items) {
    if (!(ALL_MIX as readonly string[]).includes(item)) {
      throw new SimError('BAD_OPTION', `expected items of ${ALL_MIX.join(', ')} (or none), got ${JSON.stringify(item)}`, '--mix');
    }
  }
  return items as MixItem[];
}

export function fastFlag(flags: Map<string, string>): boolean | undefined {
  const raw = flags.get('fast-decision');
  if (raw === undefined) return undefined;
  if (raw === 'on' || raw === 'true') return true;
  if (raw === 'off' || raw === 'false') return false;
  throw new SimError('BAD_OPTION', `expected on or off, got ${JSON.stringify(raw)}`, '--fast-decision');
}

/**
 * Runs a script's main(argv) as the process: its return value is the exit code, a SimError is
 * printed as `name: message` with exit code 2, and a closed stdout pipe (`| head`) is not an error.
 */
export function runScript(name: string, main: (argv: readonly string[]) => number): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    if (!SimError.isInstance(error)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exitCode = 2;
  }
}
