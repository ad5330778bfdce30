// The one error class of apps/server: why a zkvote-server could not start. Each message is the
// single line the bin prints before exiting with code 2, so it names the file, key or address.

export type ServerErrorCode =
  | 'USAGE' // bad command-line arguments
  | 'CONFIG' // zoo.cfg or the dynamic config file is invalid
  | 'CONFIG_UNREADABLE' // zoo.cfg (or a file it names) cannot be read
  | 'DATA_DIR' // dataDir missing, not a directory, or unreadable
  | 'MYID' // dataDir/myid missing or not a sid of the configuration
  | 'PORT_IN_USE' // an address we must listen on is taken
  | 'LISTEN' // another listen failure (permission, bad address)
  | 'PEER'; // the embedded peer refused to start

const BRAND = Symbol.for('@zkvote/server.ServerError');

export class ServerError extends Error {
  readonly code: ServerErrorCode;
  readonly [BRAND] = true;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerError';
    this.code = code;
  }

  /** Cross-realm check (works across duplicated package copies, unlike `instanceof`). */
  static isInstance(e: unknown): e is ServerError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
  }
}
