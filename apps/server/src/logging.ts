// Structured logs (pino, one JSON object per line on stdout): a line per state change and per
// vote change, and ZooKeeper's own "LEADING - LEADER ELECTION TOOK - N ms" line that tests,
// benchmarks and log-watching scripts wait for. Pipe through pino-pretty to read them.

import { pino, type DestinationStream, type Level, type Logger as PinoLogger } from 'pino';
import { formatZxid0x } from '@zkvote/wire';
import type { Elected, PeerMonitor, StateChange } from './monitor.js';
import type { PeerStatus, VoteView } from './status.js';

export type { PinoLogger };

export { LOG_LEVELS } from './levels.js';

export function createLogger(stream: DestinationStream, level: string, sid: bigint): PinoLogger {
  return pino(
    {
      level,
      base: { sid: jsonSafe(sid) },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

/** bigint -> number when exact, else its decimal text (pino cannot serialise bigint). */
export function jsonSafe(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

function sanitize(value: unknown, depth = 0): unknown {
  if (typeof value === 'bigint') return jsonSafe(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { message: value.message, code: (value as { code?: unknown }).code };
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), sanitize(v, depth + 1)]));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitize(v, depth + 1)]));
}

/**
 * The `(msg, context)` logger the zkvote packages take, writing through pino. Every line already
 * carries this server's `sid`, so a context `sid` (another peer) is written as `peerSid`.
 */
export interface PackageLogger {
  debug(msg: string, context?: Record<string, unknown>): void;
  info(msg: string, context?: Record<string, unknown>): void;
  warn(msg: string, context?: Record<string, unknown>): void;
  error(msg: string, context?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): PackageLogger;
}

export function packageLogger(logger: PinoLogger): PackageLogger {
  const at = (level: Level) => (msg: string, context?: Record<string, unknown>): void => {
    if (!logger.isLevelEnabled(level)) return;
    if (context === undefined) logger[level](msg);
    else {
      const { sid, ...rest } = context;
      logger[level](sanitize(sid === undefined ? rest : { peerSid: sid, ...rest }) as object, msg);
    }
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    // Every line already names this server (`sid`), so a `myid` binding would only repeat it.
    child: (bindings: Record<string, unknown>) => {
      const { myid: _same, ...rest } = bindings;
      return packageLogger(Object.keys(rest).length === 0 ? logger : logger.child(sanitize(rest) as Record<string, unknown>));
    },
  };
}

/** Logs the monitor's state, vote, election and epoch changes; returns a detach function. */
export function logPeerChanges(logger: PinoLogger, monitor: PeerMonitor): () => void {
  const onState = ({ from, to, status: s }: StateChange): void => {
    logger.info(
      {
        event: 'state',
        from,
        state: to,
        leader: s.leader === null ? null : jsonSafe(s.leader),
        round: jsonSafe(s.round),
        zxid: formatZxid0x(s.zxid),
        epoch: s.establishedEpoch === null ? null : jsonSafe(s.establishedEpoch),
      },
      `state ${from} -> ${to}`,
    );
  };
  const onVote = ({ vote, status: s }: { vote: VoteView; status: PeerStatus }): void => {
    logger.info(
      {
        event: 'vote',
        state: s.state,
        leader: jsonSafe(vote.leader),
        round: jsonSafe(vote.electionEpoch),
        zxid: formatZxid0x(vote.zxid),
        epoch: jsonSafe(vote.peerEpoch),
      },
      `vote leader=${vote.leader} zxid=${formatZxid0x(vote.zxid)} round=${vote.electionEpoch} epoch=${vote.peerEpoch}`,
    );
  };
  const onElected = (e: Elected): void => {
    logger.info(
      {
        event: 'elected',
        state: e.state,
        leader: e.leader === null ? null : jsonSafe(e.leader),
        round: jsonSafe(e.status.round),
        zxid: formatZxid0x(e.status.zxid),
        electionMs: e.electionMs,
      },
      `${e.state} - LEADER ELECTION TOOK - ${e.electionMs} ms`,
    );
  };
  const onEpoch = ({ epoch, status: s }: { epoch: bigint; status: PeerStatus }): void => {
    logger.info(
      { event: 'epoch', state: s.state, leader: s.leader === null ? null : jsonSafe(s.leader), epoch: jsonSafe(epoch) },
      `${s.state} - EPOCH ESTABLISHED - ${epoch}`,
    );
  };
  monitor.on('state', onState);
  monitor.on('vote', onVote);
  monitor.on('elected', onElected);
  monitor.on('epoch', onEpoch);
  return () => {
    monitor.off('state', onState);
    monitor.off('vote', onVote);
    monitor.off('elected', onElected);
    monitor.off('epoch', onEpoch);
  };
}
