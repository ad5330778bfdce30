// pino's level names as zoo.cfg (zkvote.logLevel) and ZKVOTE_LOG_LEVEL accept them; kept apart
// from logging.ts so reading a config (or printing --help) does not load pino.

export const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
