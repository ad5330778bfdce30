// Time and logging seams for the peer's timers: the connection manager's, so one injected clock
// (or pino adapter) serves every layer. The peer's logger may also make child loggers.

import { silentLogger as cnxSilentLogger, type Logger as CnxLogger } from '@zkvote/cnxmanager';

export { systemClock, type Clock, type TimerHandle } from '@zkvote/cnxmanager';

/** Minimal structured logger (message first, context second); pino fits through a two-line adapter. */
export interface Logger extends CnxLogger {
  child?(bindings: Record<string, unknown>): Logger;
}

export const silentLogger: Logger = cnxSilentLogger;

export function childLogger(logger: Logger, bindings: Record<string, unknown>): Logger {
  return logger.child ? logger.child(bindings) : logger;
}
