// Operator questions: why is (or isn't) this live set a quorum, and how many failures does a
// configuration survive? Both are answered for the voters, as the vote tracker counts them.

import { isHierarchical } from './hierarchical.js';
import type { QuorumVerifier } from './verifier.js';

export interface GroupExplanation {
  /** The group id; 0n for the single pseudo-group of a majority verifier. */
  gid: bigint;
  members: bigint[];
  live: bigint[];
  liveWeight: number;
  totalWeight: number;
  /** Weight the group needs to count: floor(totalWeight / 2) + 1. */
  needed: number;
  counts: boolean;
  /** A zero-weight group, left out of the group majority. */
  discarded: boolean;
}

export interface QuorumExplanation {
  quorum: boolean;
  groups: GroupExplanation[];
  /** Groups that count. */
  counted: number;
  /** Groups that must count: floor(non-zero groups / 2) + 1. */
  needed: number;
  /** Live sids that are not voters (observers, unknown sids): never counted. */
  ignored: bigint[];
}

const asc = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

export function explainQuorum(verifier: QuorumVerifier, liveSids: Iterable<bigint>): QuorumExplanation {
  const all = [...new Set(liveSids)].sort(asc);
  const live = all.filter((s) => verifier.votingMembers.has(s));
  const ignored = all.filter((s) => !verifier.votingMembers.has(s));
  const quorum = verifier.containsQuorum(live);
  if (!isHierarchical(verifier)) {
    const members = [...verifier.votingMembers.keys()];
    const needed = Math.floor(members.length / 2) + 1;
    const counts = live.length >= needed;
    const group = { gid: 0n, members, live, liveWeight: live.length, totalWeight: members.length, needed, counts, discarded: false };
    return { quorum, groups: [group], counted: counts ? 1 : 0, needed: 1, ignored };
  }
  const liveSet = new Set(live);
  const groups = [...verifier.groups].map(([gid, members]): GroupExplanation => {
    const inGroup = members.filter((s) => liveSet.has(s));
    const liveWeight = inGroup.reduce((sum, s) => sum + verifier.weight(s), 0);
    const totalWeight = verifier.groupWeights.get(gid) ?? 0;
    const needed = Math.floor(totalWeight / 2) + 1;
    return { gid, members: [...members], live: inGroup, liveWeight, totalWeight, needed, counts: liveWeight >= needed, discarded: totalWeight === 0 };
  });
  const inNoGroup = live.filter((s) => verifier.groupIdOf(s) === undefined);
  return {
    quorum,
    groups,
    counted: groups.filter((g) => g.counts).length,
    needed: Math.floor(verifier.numGroups / 2) + 1,
    ignored: [...ignored, ...inNoGroup].sort(asc),
  };
}

export interface FaultToleranceOptions {
  /** Most breaking sets to list (default 64). */
  maxSets?: number;
  /** Most candidate sets to test while listing them (default 200 000). */
  maxChecks?: number;
}

export interface FaultTolerance {
  /** Largest k such that any k voter failures leave a quorum; -1 when all voters together are none. */
  tolerates: number;
  /** Smallest failure sets (size tolerates + 1) that break the quorum, ascending; capped. */
  minimalBreakingSets: bigint[][];
  /** True when minimalBreakingSets lists every such set. */
  complete: boolean;
}

/**
 * `tolerates` is exact for any size (computed per group: break the cheapest groups by failing
 * their heaviest members first). The listed sets come from enumerating failure sets of that size
 * among the voters that carry weight, within `maxChecks` candidates (exhaustive up to ~20 voters).
 */
export function faultTolerance(verifier: QuorumVerifier, options: FaultToleranceOptions = {}): FaultTolerance {
  const maxSets = options.maxSets ?? 64;
  const maxChecks = options.maxChecks ?? 200_000;
  const voters = [...verifier.votingMembers.keys()].sort(asc);
  if (!verifier.containsQuorum(voters)) return { tolerates: -1, minimalBreakingSets: [[]], complete: true };
  const breakSize = minimalBreakSize(verifier, voters);
  // Failing a voter of weight 0 (or in no group) never changes the answer, so minimal sets avoid them.
  const candidates =
    isHierarchical(verifier)
      ? voters.filter((s) => verifier.weight(s) > 0 && verifier.groupIdOf(s) !== undefined)
      : voters;
  const sets: bigint[][] = [];
  let checks = 0;
  let complete = true;
  const pick: number[] = [];
  const walk = (start: number): boolean => {
    if (pick.length === breakSize) {
      if (++checks > maxChecks) return false;
      const failed = new Set(pick.map((i) => candidates[i] as bigint));
      if (!verifier.containsQuorum(voters.filter((s) => !failed.has(s)))) {
        if (sets.length === maxSets) return false;
        sets.push([...failed]);
      }
      return true;
    }
    for (let i = start; i <= candidates.length - (breakSize - pick.length); i++) {
      pick.push(i);
      const go = walk(i + 1);
      pick.pop();
      if (!go) return false;
    }
    return true;
  };
  if (!walk(0)) complete = false;
  return { tolerates: breakSize - 1, minimalBreakingSets: sets, complete };
}

function minimalBreakSize(verifier: QuorumVerifier, voters: bigint[]): number {
  if (!isHierarchical(verifier)) return voters.length - Math.floor(voters.length / 2);
  const all = explainQuorum(verifier, voters);
  // Cost of un-counting each counting group: fail its heaviest live members until it drops.
  const costs = all.groups
    .filter((g) => g.counts)
    .map((g) => {
      const weights = g.live.map((s) => verifier.weight(s)).sort((a, b) => b - a);
      let left = g.liveWeight;
      let cost = 0;
      for (const w of weights) {
        if (left < g.needed) break;
        left -= w;
        cost++;
      }
      return cost;
    })
    .sort((a, b) => a - b);
  const mustBreak = all.counted - (all.needed - 1);
  return costs.slice(0, mustBreak).reduce((a, b) => a + b, 0);
}
