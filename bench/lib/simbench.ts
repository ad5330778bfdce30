// The simulator scale benchmark: @zkvote/sim runs cold start and leader failover for ensembles
// far larger than this machine can host as processes (N up to 1001), reporting the virtual
// election time, the wall time the simulation took, and messages/bytes per election. Two
// arrival orders: 'continuous' jitter (arrivals interleave at random, as on a network) for the
// whole range, and 'whole-ms' (same-millisecond arrivals in send order, FLE's worst case) up to
// N=101, where its N^3 notifications already reach a quarter of a million.

import { parseScenario, simulate } from '../../packages/sim/dist/index.js';

export type SimJitterMode = 'whole-ms' | 'continuous';

export interface SimRow {
  n: number;
  fastDecision: boolean;
  /** How arrivals are ordered (see @zkvote/sim's jitterMode); rows from before it existed are 'whole-ms'. */
  jitterMode?: SimJitterMode;
  /** Virtual ms from the simultaneous start to all peers agreeing. */
  coldVirtualMs: number | null;
  /** Virtual ms from the leader's crash to the survivors agreeing (includes detectionMs). */
  failoverVirtualMs: number | null;
  coldMessages: number;
  coldBytes: number;
  failoverMessages: number;
  failoverBytes: number;
  wallMs: number;
  violations: number;
  note: string;
}

export const SIM_LATENCY_MS = 1;
/** Largest N whose run keeps the message log (and so checks the delivery-backed invariants). */
export const FULL_LOG_MAX = 101;
export const SIM_DETECTION_MS = 20;
export const SIM_JITTER_MS = Number(process.env.ZKVOTE_SIM_JITTER ?? 1);

/** One scenario: all N start at 0; the leader (sid N, equal zxids) crashes at `crashAt`. */
export function simulateScale(n: number, fastDecision: boolean, seed = 1, jitterMode: SimJitterMode = 'whole-ms'): SimRow {
  const crashAt = 5_000;
  const servers = Array.from({ length: n }, (_, i) => ({ sid: i + 1 }));
  const scenario = parseScenario({
    servers,
    events: [
      { at: 0, start: servers.map((s) => s.sid) },
      { at: crashAt, crash: [n] },
    ],
    options: { fastDecision, latencyMs: SIM_LATENCY_MS, jitterMs: SIM_JITTER_MS, jitterMode, detectionDelayMs: SIM_DETECTION_MS, seed },
  });
  let coldMessages = 0;
  let coldBytes = 0;
  let failoverMessages = 0;
  let failoverBytes = 0;
  const count = (m: { at: number; bytes: number; duplicate: boolean; from: bigint; to: bigint }): void => {
    if (m.duplicate || m.from === m.to) return;
    if (m.at < crashAt) {
      coldMessages++;
      coldBytes += m.bytes;
    } else {
      failoverMessages++;
      failoverBytes += m.bytes;
    }
  };
  const t = performance.now();
  // Counted as they are made. Up to N=101 the log is kept too, so every invariant is checked;
  // past that it would not fit in memory (7.5 million records per election at N=1001).
  const r = simulate(scenario, { seed, messageLog: n <= FULL_LOG_MAX, onMessage: count, maxEvents: 500_000_000 });
  const wallMs = performance.now() - t;
  // Cold convergence: the first moment every peer holds a decision for the same leader.
  const coldDecisions = r.decisions.filter((d) => d.at < crashAt);
  const bySid = new Map<bigint, number>();
  for (const d of coldDecisions) if (!bySid.has(d.sid)) bySid.set(d.sid, d.at);
  const coldVirtualMs = bySid.size === n ? Math.max(...bySid.values()) : null;
  const failoverVirtualMs = r.liveness.convergedAt === null ? null : r.liveness.convergedAt - crashAt;
  const note = r.stats.truncated ? 'event cap hit' : r.liveness.checked ? '' : r.liveness.reason;
  return { n, fastDecision, jitterMode, coldVirtualMs, failoverVirtualMs, coldMessages, coldBytes, failoverMessages, failoverBytes, wallMs, violations: r.violations.length, note };
}
