// The one error class of @zkvote/cli. `USAGE` and `CONFIG` end the process with exit code 2
// (bad arguments), everything else with 1.

export type CliErrorCode =
  | 'USAGE' // a flag or argument that does not parse
  | 'CONFIG' // a zoo.cfg (or scenario) that cannot be read or is invalid
  | 'UNREACHABLE' // a query that reached no server at all
  | 'PROBE' // one server could not be asked (kept per row, never fatal on its own)
  | 'SIMULATION'; // the simulator rejected a scenario or failed

const BRAND = Symbol.for('@zkvote/cli.CliError');

export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly [BRAND] = true;

  constructor(code: CliErrorCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }

  /** Cross-realm check: works for errors from another copy of this package. */
  static isInstance(e: unknown): e is CliError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
  }

  /** The process exit code this error stands for. */
  get exitCode(): number {
    return this.code === 'USAGE' || this.code === 'CONFIG' ? 2 : 1;
  }
}

/** Text of any thrown value, for per-row error columns. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
