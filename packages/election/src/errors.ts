// The package's one error class: misuse of the core or driver (never network input, which is
// dropped and counted instead).

const BRAND = Symbol.for('@zkvote/election/ElectionError');

export type ElectionErrorCode = 'ALREADY_LOOKING' | 'STOPPED' | 'CLOSED' | 'RESTART' | 'BAD_OPTION';

export class ElectionError extends Error {
  readonly code: ElectionErrorCode;
  readonly [BRAND] = true;

  constructor(code: ElectionErrorCode, message: string) {
    super(message);
    this.name = 'ElectionError';
    this.code = code;
  }

  /** Cross-realm check (a second copy of this package still recognises the error). */
  static isInstance(e: unknown): e is ElectionError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
  }
}
