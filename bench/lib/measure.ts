// The two timed events of the side-by-side benchmarks, measured the same way for both systems:
// cold start (spawn every process -> every node serves with one agreed leader) and failover
// (SIGKILL of the leader -> every survivor serves with one agreed new leader). Each poll round
// asks every node in parallel over a kept-alive admin connection; the result is the end of the
// first round that saw agreement (an upper bound), with the round's width as its resolution.
// A zkvote failover is timed from the survivors' event streams instead (see measureFailover).

import { agreedLeader } from './probe.js';
import { sleep, type Cluster } from './cluster.js';
import { EventTap } from './tap.js';

export interface Timing {
  /** kill/launch -> end of the poll round that first saw agreement (upper bound). */
  ms: number;
  /** Width of the uncertainty window: that round's end minus the previous round's start. */
  resolutionMs: number;
  leader: number;
  rounds: number;
  /** kill/launch -> arrival of the last node's "LEADER ELECTION TOOK" log line (null if absent). */
  logMs: number | null;
  /** The largest "LEADER ELECTION TOOK - N ms" value the nodes logged. */
  loggedTookMs: number | null;
  /** Cold start: launch -> the poll round in which the last node's admin API first answered. */
  allUpMs?: number | null;
}

export interface PollOptions {
  intervalMs: number;
  timeoutMs: number;
}

async function pollUntilAgreed(c: Cluster, sids: readonly number[], t0: number, opts: PollOptions, exclude: number | null): Promise<Omit<Timing, 'logMs' | 'loggedTookMs'>> {
  let prevStart = t0;
  const up = new Set<number>();
  let allUpMs: number | null = null;
  const deadline = t0 + opts.timeoutMs;
  for (let round = 1; round < 10_000_000; round++) {
    const start = performance.now();
    const obs = await c.observeAll(sids);
    const end = performance.now();
    for (const [s, o] of obs) if (o.up) up.add(s);
    if (allUpMs === null && up.size === sids.length) allUpMs = end - t0;
    const leader = agreedLeader(obs);
    if (leader !== null && leader !== exclude) {
      return { ms: end - t0, resolutionMs: end - Math.max(prevStart, t0), leader, rounds: round, allUpMs };
    }
    if (end > deadline) break;
    for (const s of sids) {
      if (!c.running(s)) throw new Error(`${c.label}: node ${s} exited during the measurement: ${c.proc(s)?.output(10) ?? ''}`);
    }
    prevStart = start;
    if (opts.intervalMs > 0) await sleep(opts.intervalMs);
  }
  const last = await c.observeAll(sids);
  throw new Error(`${c.label}: no agreement among ${sids.join(',')} within ${opts.timeoutMs} ms; last: ${JSON.stringify([...last])}`);
}

function logTimes(c: Cluster, sids: readonly number[], marks: ReadonlyMap<number, number>, t0: number, until: number): { logMs: number | null; loggedTookMs: number | null } {
  let logMs: number | null = 0;
  let took: number | null = 0;
  for (const s of sids) {
    const lines = c.electionLines(s, marks.get(s) ?? 0).filter((l) => l.at <= until + 5);
    const last = lines[lines.length - 1];
    if (last === undefined) {
      logMs = null;
      took = null;
      break;
    }
    logMs = Math.max(logMs ?? 0, last.at - t0);
    took = Math.max(took ?? 0, last.tookMs);
  }
  return { logMs, loggedTookMs: took };
}

export async function measureColdStart(c: Cluster, opts: PollOptions): Promise<Timing> {
  const marks = new Map(c.sids.map((s) => [s, 0]));
  const t0 = performance.now();
  c.startAll();
  const r = await pollUntilAgreed(c, c.sids, t0, opts, null);
  return { ...r, ...logTimes(c, c.sids, marks, t0, t0 + r.ms) };
}

export interface FailoverPhases {
  /** kill -> the last survivor reported LOOKING (failure detection). */
  detectMs: number | null;
  /** kill -> the last survivor decided (its election finished). */
  decidedMs: number | null;
  /** kill -> the last survivor established the new epoch with the leader. */
  establishedMs: number | null;
  /** The largest election duration a survivor reported in its `decided` event. */
  electionMs: number | null;
}

export interface FailoverTiming extends Timing {
  killed: number;
  /**
   * How `ms` was observed: 'events' (zkvote: arrival of the last survivor's decision on its event
   * stream, confirmed by one poll afterwards) or 'poll' (ZooKeeper, or zkvote when the streams
   * did not show agreement).
   */
  observedBy?: 'events' | 'poll';
  /** zkvote only: the phases from the survivors' event streams (push, no polling). */
  phases: FailoverPhases | null;
}

export async function measureFailover(c: Cluster, opts: PollOptions): Promise<FailoverTiming> {
  const all = c.sids.filter((s) => c.running(s));
  const old = agreedLeader(await c.observeAll(all));
  if (old === null) throw new Error(`${c.label}: no agreed leader before the failover`);
  const survivors = all.filter((s) => s !== old);
  const marks = new Map(survivors.map((s) => [s, c.proc(s)?.mark() ?? 0]));
  const tap = c.kind === 'zkvote' ? await EventTap.open(new Map(survivors.map((s) => [s, c.nodes.get(s)?.adminPort ?? 0]))) : null;
  try {
    const t0 = performance.now();
    c.killNow(old);
    let r: Omit<Timing, 'logMs' | 'loggedTookMs'> | null = null;
    let observedBy: FailoverTiming['observedBy'] = 'poll';
    if (tap !== null) {
      // No polling while the survivors elect: on 2 cores a poll every millisecond competes with
      // the election itself (it added 2-3 ms). The streams push each decision as it happens;
      // one poll afterwards confirms the survivors really serve that leader.
      const seen = await tap.waitUntil(() => tap.agreedAt(survivors, t0, old) !== null, opts.timeoutMs);
      const agreed = seen ? tap.agreedAt(survivors, t0, old) : null;
      if (agreed !== null && agreedLeader(await c.observeAll(survivors)) === agreed.leader) {
        r = { ms: agreed.at - t0, resolutionMs: 0, leader: agreed.leader, rounds: 0, allUpMs: null };
        observedBy = 'events';
      }
    }
    r ??= await pollUntilAgreed(c, survivors, t0, opts, old);
    let phases: FailoverPhases | null = null;
    if (tap !== null) {
      // The epoch is established shortly after the decision; give the events a moment.
      await tap.waitUntil(() => tap.phase('established', survivors, t0) !== null, 1000);
      const durations = tap.events.filter((e) => e.kind === 'decided' && e.at >= t0 && e.durationMs !== undefined).map((e) => e.durationMs as number);
      phases = {
        detectMs: tap.phase('looking', survivors, t0),
        decidedMs: tap.phase('decided', survivors, t0),
        establishedMs: tap.phase('established', survivors, t0),
        electionMs: durations.length ? Math.max(...durations) : null,
      };
    }
    return { ...r, killed: old, observedBy, phases, ...logTimes(c, survivors, marks, t0, t0 + r.ms) };
  } finally {
    tap?.close();
  }
}

/** RSS in bytes of every running node. */
export function rssAll(c: Cluster): number[] {
  return c.sids.map((s) => c.rss(s)).filter((x): x is number => x !== null);
}

/** Sum of zkvote's per-server message counters (numeric fields of `messages`) over `sids`. */
export async function messageCounters(c: Cluster, sids: readonly number[]): Promise<Record<string, number> | null> {
  if (c.kind !== 'zkvote') return null;
  const out: Record<string, number> = {};
  const bodies = await Promise.all(sids.map((s) => c.election(s)));
  for (const b of bodies) {
    const m = b?.messages;
    if (typeof m !== 'object' || m === null) return null;
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
      const n = Number(v);
      if (Number.isFinite(n)) out[k] = (out[k] ?? 0) + n;
    }
  }
  return out;
}

/** Counter deltas `after - before` (keys of `after`). */
export function counterDelta(before: Record<string, number> | null, after: Record<string, number> | null): Record<string, number> | null {
  if (before === null || after === null) return null;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) out[k] = v - (before[k] ?? 0);
  return out;
}

/** Bytes written on election connections by `sids` (zkvote's per-connection `bytesOut`), keyed per connection. */
export async function connectionBytes(c: Cluster, sids: readonly number[]): Promise<Map<string, number> | null> {
  if (c.kind !== 'zkvote') return null;
  const out = new Map<string, number>();
  const bodies = await Promise.all(sids.map(async (s) => [s, await c.election(s)] as const));
  for (const [s, b] of bodies) {
    const conns = b?.connections;
    if (!Array.isArray(conns)) return null;
    for (const x of conns as Record<string, unknown>[]) {
      const bytes = Number(x.bytesOut);
      if (!Number.isFinite(bytes)) continue;
      out.set(`${s}/${String(x.sid)}/${String(x.direction)}/${String(x.connectedAt)}`, bytes);
    }
  }
  return out;
}

/** Bytes sent between two readings (connections that appeared in between count from zero). */
export function bytesDelta(before: Map<string, number> | null, after: Map<string, number> | null): number | null {
  if (before === null || after === null) return null;
  let sum = 0;
  for (const [k, v] of after) sum += v - (before.get(k) ?? 0);
  return sum;
}
