// The one error class of @zkvote/peer: bad options, unreadable or corrupt dataDir files, bound
// ports. Each carries a machine-readable `code` and says what was expected and what came.

const BRAND = Symbol.for('@zkvote/peer/PeerError');

export type PeerErrorCode =
  | 'BAD_OPTIONS'
  | 'MYID_MISSING'
  | 'MYID_INVALID'
  | 'EPOCH_FILE_INVALID'
  | 'EPOCH_INCONSISTENT'
  | 'DATADIR_UNREADABLE'
  | 'DATADIR_WRITE_FAILED'
  | 'LISTEN_FAILED'
  | 'BAD_MESSAGE'
  | 'CLOSED';

export class PeerError extends Error {
  readonly code: PeerErrorCode;
  readonly [BRAND] = true;

  constructor(code: PeerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PeerError';
    this.code = code;
  }

  /** Works across realms and duplicated module copies, unlike `instanceof`. */
  static isInstance(value: unknown): value is PeerError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
