// The sim package's one error class: a bad scenario, bad shorthand flags or a misbehaving core.
// `path` points into the scenario document (`servers[2].sid`, `events[4].partition[1]`).

const BRAND = Symbol.for('@zkvote/sim/SimError');

export type SimErrorCode =
  | 'BAD_JSON'
  | 'BAD_SCENARIO'
  | 'BAD_SHORTHAND'
  | 'BAD_OPTION'
  | 'CORE_FAILED';

export class SimError extends Error {
  readonly code: SimErrorCode;
  /** Where in the scenario the problem is, e.g. `servers[2].sid`; empty when not applicable. */
  readonly path: string;
  readonly [BRAND] = true;

  constructor(code: SimErrorCode, message: string, path = '', options?: { cause?: unknown }) {
    super(path === '' ? message : `${path}: ${message}`, options);
    this.name = 'SimError';
    this.code = code;
    this.path = path;
  }

  /** Cross-realm check (works across duplicated module copies, unlike `instanceof`). */
  static isInstance(value: unknown): value is SimError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
