// `zkvote watch`: re-probes the ensemble on an interval (sooner when a zkvote event stream
// reports something) and turns the differences into an event log: who went LOOKING, vote
// changes, unreachable servers, leader lost, leader decided with the election's duration.

import { formatZxid0x } from '@zkvote/wire';
import { CliError, errorText } from './errors.js';
import { subscribeEvents, type StreamHandle } from './events.js';
import { jsonLine, jsonLong, toJsonValue, type JsonValue } from './json.js';
import type { Io, Paint } from './output.js';
import { parseAddresses, status, statusJson, summaryLine, formatStatus, type StatusOptions, type StatusReport } from './status.js';
import type { ServerRow } from './row.js';

export interface WatchOptions extends StatusOptions {
  intervalMs: number;
  json: boolean;
  /** Stop after this long (ms). */
  durationMs?: number;
  /** Stop once a leader other than the first one seen is agreed (exit 0); else exit 1 at the end. */
  untilLeaderChange?: boolean;
  signal?: AbortSignal;
  /** Milliseconds clock for durations and timestamps (default Date.now). */
  now?: () => number;
}

export interface WatchEvent {
  kind: string;
  time: string;
  [field: string]: JsonValue;
}

/** How long `--until-leader-change` keeps reading event streams after the decision. */
const STREAM_DRAIN_MS = 300;
const keyOf = (r: ServerRow): string => `${r.via} ${r.address}`;
const long = (v: bigint | null): JsonValue => (v === null ? null : jsonLong(v));

/** Differences between two reports, as events (pure: exported for tests). */
export function diffReports(prev: StatusReport, next: StatusReport): Array<Record<string, JsonValue>> {
  const out: Array<Record<string, JsonValue>> = [];
  const before = new Map(prev.servers.map((r) => [keyOf(r), r]));
  for (const r of next.servers) {
    const p = before.get(keyOf(r));
    const who = { sid: long(r.sid), address: r.address, via: r.via };
    if (p === undefined) continue;
    if (p.error === null && r.error !== null) out.push({ kind: 'unreachable', ...who, error: r.error });
    else if (p.error !== null && r.error === null) out.push({ kind: 'reachable', ...who, state: r.state });
    if (r.state !== null && p.state !== null && r.state !== p.state) {
      out.push({ kind: 'state', ...who, from: p.state, to: r.state, leader: long(r.leader), round: long(r.electionEpoch) });
    } else if (r.state !== null && p.state !== null && (r.leader !== p.leader || r.peerEpoch !== p.peerEpoch || r.electionEpoch !== p.electionEpoch)) {
      out.push({
        kind: 'vote',
        ...who,
        state: r.state,
        leader: long(r.leader),
        zxid: r.zxid === null ? null : formatZxid0x(r.zxid),
        round: long(r.electionEpoch),
        peerEpoch: long(r.peerEpoch),
      });
    }
  }
  return out;
}

function eventText(e: WatchEvent, paint: Paint): string {
  const t = e.time.slice(11, 23);
  const who = `S${String(e.sid ?? '?')}`;
  switch (e.kind) {
    case 'state':
      return `${t}  ${who} ${String(e.from)} -> ${e.to === 'LOOKING' ? paint('yellow', 'LOOKING') : String(e.to)} (leader ${String(e.leader)}, round ${String(e.round)})`;
    case 'vote':
      return `${t}  ${who} votes ${String(e.leader)} (zxid ${String(e.zxid)}, round ${String(e.round)}, peerEpoch ${String(e.peerEpoch)})`;
    case 'unreachable':
      return `${t}  ${who} ${paint('red', 'unreachable')}: ${String(e.error)}`;
    case 'reachable':
      return `${t}  ${who} answers again (${String(e.state)})`;
    case 'leader-lost':
      return `${t}  ${paint('yellow', `leader ${String(e.leader)} lost`)}: election under way`;
    case 'decision':
      return `${t}  ${paint('green', `leader ${String(e.leader)} decided`)}${e.electionMs === null ? '' : ` after ${String(e.electionMs)} ms`}${e.quorum === true ? ' with a quorum' : ''}`;
    case 'server': {
      const ev = e.event as Record<string, JsonValue>;
      const detail = Object.entries(ev)
        .filter(([k]) => !['kind', 'seq', 'time', 'myid', 'command', 'error'].includes(k))
        .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(' ');
      return `${t}  S${String(ev.myid ?? '?')} ${paint('dim', `[${String(ev.kind)}]`)} ${detail}`;
    }
    case 'stream':
      return `${t}  ${paint('dim', `event stream ${String(e.address)}: ${String(e.status)}`)}`;
    default:
      return `${t}  ${e.kind}`;
  }
}

/** Runs until the signal, the duration or the leader change; resolves to the exit code. */
export async function watch(options: WatchOptions, io: Io, paint: Paint): Promise<number> {
  const now = options.now ?? Date.now;
  const started = now();
  const tty = !options.json && io.stdout.isTTY === true;
  const log: string[] = [];
  let prev: StatusReport | null = null;
  let agreedLeader: bigint | null = null;
  let firstLeader: bigint | null | undefined;
  let lostAt: number | null = started;
  let changed = false;
  let wake: (() => void) | null = null;
  let stopped = false;
  const streams = new Map<string, StreamHandle | 'unsupported'>();

  const emit = (fields: Record<string, JsonValue>, at = now()): void => {
    const e = { ...fields, time: new Date(at).toISOString() } as WatchEvent;
    if (options.json) io.stdout.write(jsonLine(e));
    else {
      const line = eventText(e, paint);
      if (tty) log.push(line);
      else io.stdout.write(`${line}\n`);
    }
  };
  const stop = (): void => {
    stopped = true;
    wake?.();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  const deadline = options.durationMs === undefined ? null : setTimeout(stop, options.durationMs);

  const admin = (options.admin ?? []).flatMap((a) => parseAddresses('--admin', a));
  // Streams that have not yet delivered their opening snapshot (or ended): the first probe waits
  // for them, so nothing a server reports after the watch's first view can be missed.
  const opening = new Map<string, () => void>();
  const subscribe = (): void => {
    for (const { host, port } of admin) {
      const key = `${host}:${port}`;
      if (streams.has(key) || stopped) continue;
      const handle = subscribeEvents(host, port, {
        onEvent: (event) => {
          opening.get(key)?.();
          if (event.kind === 'heartbeat' || event.kind === 'snapshot') return;
          emit({ kind: 'server', address: key, event: toJsonValue(event) });
          wake?.();
        },
        onEnd: ({ unsupported }) => {
          opening.get(key)?.();
          // Retried on the next tick unless the server has no stream at all (ZooKeeper).
          if (unsupported) streams.set(key, 'unsupported');
          else streams.delete(key);
        },
      }, options.timeoutMs ?? 2000);
      streams.set(key, handle);
    }
  };

  try {
    const ready = admin.map(({ host, port }) => new Promise<void>((resolve) => opening.set(`${host}:${port}`, () => {
      opening.delete(`${host}:${port}`);
      resolve();
    })));
    subscribe();
    if (ready.length > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([Promise.all(ready), new Promise<void>((r) => (timer = setTimeout(r, options.timeoutMs ?? 2000)))]);
      clearTimeout(timer);
    }
    while (!stopped) {
      let report: StatusReport;
      try {
        report = await status(options);
      } catch (e) {
        if (CliError.isInstance(e) && (e.code === 'USAGE' || e.code === 'CONFIG')) throw e;
        emit({ kind: 'error', error: errorText(e) });
        report = prev ?? { servers: [], leader: null, agreed: false, quorum: false };
      }
      const at = now();
      if (prev === null) {
        if (options.json) emit({ kind: 'snapshot', status: statusJson(report) }, at);
        else if (!tty) io.stdout.write(formatStatus(report, paint));
      }
      else for (const e of diffReports(prev, report)) emit(e, at);
      // A leader whose own row is asked and does not answer LEADING is not decided, whatever
      // its followers still believe (they notice a dead leader only later).
      const leaderRow = report.servers.find((r) => r.sid !== null && r.sid === report.leader);
      const leaderUp = leaderRow === undefined || leaderRow.state === 'LEADING';
      const decided = report.agreed && report.quorum && leaderUp ? report.leader : null;
      if (firstLeader === undefined) firstLeader = decided;
      if (decided !== null && decided !== agreedLeader) {
        emit({ kind: 'decision', leader: jsonLong(decided), agreed: report.agreed, quorum: report.quorum, electionMs: lostAt === null || prev === null ? null : at - lostAt }, at);
        agreedLeader = decided;
        lostAt = null;
        if (options.untilLeaderChange === true && decided !== firstLeader) {
          changed = true;
          stopped = true;
        }
      } else if (decided === null && agreedLeader !== null) {
        emit({ kind: 'leader-lost', leader: jsonLong(agreedLeader), looking: report.servers.filter((r) => r.state === 'LOOKING').map((r) => long(r.sid)) }, at);
        agreedLeader = null;
        lostAt = at;
      }
      if (tty) {
        const table = formatStatus(report, paint);
        io.stdout.write(`\u001b[H\u001b[2J${table}\n${log.slice(-20).join('\n')}\n`);
      } else if (!options.json && prev !== null && diffReports(prev, report).some((e) => e.kind === 'state')) {
        io.stdout.write(`${summaryLine(report, paint)}\n`);
      }
      prev = report;
      if (stopped) break;
      subscribe();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, options.intervalMs);
        function done(): void {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });
    }
    if (changed && [...streams.values()].some((h) => h !== 'unsupported')) {
      // The probe may see the new leader before the servers' own events about it arrive on
      // their streams: let those in flight land (bounded) so the log tells the whole election.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STREAM_DRAIN_MS);
        options.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  } finally {
    if (deadline !== null) clearTimeout(deadline);
    options.signal?.removeEventListener('abort', stop);
    for (const s of streams.values()) if (s !== 'unsupported') s.close();
  }
  if (options.untilLeaderChange === true) return changed ? 0 : 1;
  return prev !== null && prev.servers.some((r) => r.state !== null) ? 0 : 1;
}
