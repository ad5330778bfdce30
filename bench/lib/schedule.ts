// A seeded fault schedule, the same for every system it is replayed against. Targets are roles
// (the current leader, the k-th follower) resolved when the step runs. Pure.

import { seededRandom } from '../../packages/testkit/dist/index.js';

export type FaultKind = 'kill-leader' | 'kill-follower' | 'kill-two' | 'pause-leader' | 'pause-follower' | 'isolate-leader' | 'partition-minority';

export interface FaultStep {
  index: number;
  kind: FaultKind;
  /** How long the fault holds before the heal (restart, SIGCONT, unblock). */
  holdMs: number;
  /** Picks among followers (or pairs of nodes), resolved at run time modulo the candidates. */
  pick: number;
}

const WEIGHTS: ReadonlyArray<readonly [FaultKind, number]> = [
  ['kill-leader', 3],
  ['kill-follower', 1],
  ['kill-two', 1],
  ['pause-leader', 2],
  ['pause-follower', 1],
  ['isolate-leader', 2],
  ['partition-minority', 2],
];

export function makeSchedule(seed: number, steps: number, minHoldMs = 300, maxHoldMs = 2000): FaultStep[] {
  const r = seededRandom(seed);
  const total = WEIGHTS.reduce((a, [, w]) => a + w, 0);
  const out: FaultStep[] = [];
  for (let i = 0; i < steps; i++) {
    let x = r() * total;
    let kind: FaultKind = 'kill-leader';
    for (const [k, w] of WEIGHTS) {
      if (x < w) {
        kind = k;
        break;
      }
      x -= w;
    }
    out.push({ index: i + 1, kind, holdMs: Math.round(minHoldMs + r() * (maxHoldMs - minHoldMs)), pick: Math.floor(r() * 1_000_000) });
  }
  return out;
}

/** The nodes a step hits and the groups of a partition, given the current leader. */
export function resolveStep(step: FaultStep, sids: readonly number[], leader: number): { targets: number[]; groups: number[][] | null } {
  const followers = sids.filter((s) => s !== leader);
  const f = (k: number): number => followers[(step.pick + k) % followers.length] as number;
  switch (step.kind) {
    case 'kill-leader':
    case 'pause-leader':
      return { targets: [leader], groups: null };
    case 'kill-follower':
    case 'pause-follower':
      return { targets: [f(0)], groups: null };
    case 'kill-two': {
      // the leader and one follower, or two followers: a quorum of 3 of 5 stays up either way
      const withLeader = step.pick % 2 === 0;
      return { targets: withLeader ? [leader, f(0)] : [f(0), f(1)], groups: null };
    }
    case 'isolate-leader':
      return { targets: [leader], groups: [[leader], followers] };
    case 'partition-minority': {
      const minority = [...new Set([step.pick % 3 === 0 ? leader : f(0), f(1)])];
      return { targets: minority, groups: [minority, sids.filter((s) => !minority.includes(s))] };
    }
  }
}
