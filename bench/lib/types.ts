// The raw records a bench run produces (also written to bench/results.json).

import type { MachineFacts } from './machine.js';
import type { FailoverTiming, Timing } from './measure.js';
import type { SimRow } from './simbench.js';

export type SystemId = 'fast' | 'strict' | 'zk';

export const SYSTEM_LABEL: Record<SystemId, string> = {
  fast: 'zkvote (fast decision)',
  strict: 'zkvote (strict ZooKeeper timing)',
  zk: 'ZooKeeper 3.8.0',
};

export interface RepRecord {
  system: SystemId;
  n: number;
  rep: number;
  block: 'core' | 'scale';
  cold: Timing | null;
  failover: FailoverTiming | null;
  /** RSS (bytes) of every node, sampled after the settle pause. */
  rss: number[];
  /** zkvote: message counters summed over all nodes at cold agreement, and over survivors during the failover. */
  coldMessages: Record<string, number> | null;
  failoverMessages: Record<string, number> | null;
  /** zkvote: bytes written on election connections (all nodes at cold agreement; survivors during the failover). */
  coldBytes: number | null;
  failoverBytes: number | null;
  error: string | null;
  /** Set when this repetition is the retry of a failed one: the first attempt's error. */
  retriedAfter?: string;
}

export interface BenchRun {
  machine: MachineFacts;
  options: { quick: boolean; reps: number; only: string[]; zkPollMs: number; zkvotePollMs: number; settleMs: number };
  startedAt: string;
  wallSeconds: number;
  loadAvgEnd: number | null;
  reps: RepRecord[];
  sim: SimRow[];
  simSkipped: string | null;
  wire: string | null;
  notes: string[];
}
