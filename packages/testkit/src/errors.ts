// The one error class of @zkvote/testkit. `code` is machine-readable; the message says what was
// expected and what happened instead.

const BRAND = Symbol.for('@zkvote/testkit/TestkitError');

export type TestkitErrorCode =
  | 'TIMEOUT'
  | 'ZK_UNAVAILABLE'
  | 'ZK_REQUIRED'
  | 'PROCESS_EXITED'
  | 'PROCESS_STATE'
  | 'BAD_OPTIONS'
  | 'PORTS'
  | 'IO';

export class TestkitError extends Error {
  readonly code: TestkitErrorCode;
  readonly [BRAND] = true;

  constructor(code: TestkitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TestkitError';
    this.code = code;
  }

  /** Cross-realm check: true for any TestkitError, even from another copy of this package. */
  static isInstance(e: unknown): e is TestkitError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
  }
}
