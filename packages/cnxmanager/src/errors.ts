// The one error class of @zkvote/cnxmanager. Network input never throws out of the manager;
// CnxError reports misuse of the API (bad options, use after halt) and labels the reasons
// a connection was closed in logs and stats.

const BRAND = Symbol.for('@zkvote/cnxmanager/CnxError');

export type CnxErrorCode =
  | 'BAD_OPTION' // an option is missing or out of range
  | 'NOT_STARTED' // an operation that needs a listener ran before start()
  | 'HALTED' // the manager was halted
  | 'ALREADY_STARTED' // start() was called twice
  | 'LISTEN_FAILED' // the election port could not be bound
  | 'BAD_PAYLOAD'; // send() got an empty or oversized payload

export class CnxError extends Error {
  readonly code: CnxErrorCode;
  readonly [BRAND] = true;

  constructor(code: CnxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CnxError';
    this.code = code;
  }

  /** True for a CnxError from any copy of this package (checks a brand, not the prototype). */
  static isInstance(value: unknown): value is CnxError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
}
