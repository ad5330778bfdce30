// The one error class of @zkvote/wire. Every rejection of bytes or values carries a
// machine-readable code and a message saying what was expected and what came.

export type WireErrorCode =
  | 'BAD_INPUT' // argument of the wrong JS type (e.g. not a Uint8Array / bigint)
  | 'OUT_OF_RANGE' // a value that does not fit its wire field (int32, int64, port…)
  | 'SHORT_NOTIFICATION' // payload shorter than 28 bytes
  | 'BAD_LAYOUT' // payload size matches no layout (29-39, or 41-43 with version >= 2)
  | 'BAD_CONFIG_LENGTH' // configLength < 0, > payload size, or too big to send
  | 'TRUNCATED_CONFIG' // configLength plausible but fewer bytes follow
  | 'BAD_PROTOCOL_VERSION' // handshake first long negative but neither V1 nor V2
  | 'BAD_ADDRESS_LENGTH' // handshake address length <= 0 or > 2048
  | 'BAD_ADDRESS' // address string or item badly formed
  | 'BAD_PORT' // port not numeric or outside 0..65535
  | 'FRAME_LENGTH'; // frame length <= 0 or above the maximum

const BRAND = Symbol.for('@zkvote/wire.WireError');

export class WireError extends Error {
  readonly code: WireErrorCode;
  readonly [BRAND] = true;

  constructor(code: WireErrorCode, message: string) {
    super(message);
    this.name = 'WireError';
    this.code = code;
  }

  /** Cross-realm check (works across duplicated package copies, unlike `instanceof`). */
  static isInstance(e: unknown): e is WireError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
  }
}
