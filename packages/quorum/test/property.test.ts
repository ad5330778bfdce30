// The real verifiers checked against deliberately naive re-implementations written from
// PROTOCOL.md 5.3/5.4 in plain arithmetic (2*sum > total, no floors, no maps).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { faultTolerance, QuorumHierarchical, QuorumMaj, type QuorumServer } from '../src/index.js';

interface Plan {
  voters: number[];
  observers: number[];
  /** Each group: list of [sid, weight]. */
  groups: [number, number][][];
}

function naiveMajority(voters: number[], live: number[]): boolean {
  let count = 0;
  for (const v of voters) if (live.includes(v)) count++;
  return 2 * count > voters.length;
}

function naiveHierarchical(plan: Plan, live: number[]): boolean {
  if (live.length === 0) return false;
  let nonZero = 0;
  let counted = 0;
  for (const g of plan.groups) {
    let total = 0;
    let got = 0;
    for (const [sid, w] of g) {
      total += w;
      if (live.includes(sid)) got += w;
    }
    if (total > 0) nonZero++;
    if (total > 0 && 2 * got > total) counted++;
  }
  return 2 * counted > nonZero;
}

const server = (sid: number, type: 'participant' | 'observer'): QuorumServer => ({
  sid: BigInt(sid),
  addresses: [{ host: `h${sid}`, quorumPort: 2000 + sid, electionPort: 3000 + sid }],
  type,
  clientAddress: null,
});

const majorityPlan = fc
  .record({ voters: fc.integer({ min: 0, max: 12 }), observers: fc.integer({ min: 0, max: 3 }) })
  .map(({ voters, observers }) => ({
    voters: Array.from({ length: voters }, (_, i) => i + 1),
    observers: Array.from({ length: observers }, (_, i) => voters + i + 1),
  }));

// Voters (1..n) and a few extra non-server sids are dealt into groups, each with a weight.
const hierarchicalPlan: fc.Arbitrary<Plan> = fc
  .record({
    voters: fc.integer({ min: 1, max: 10 }),
    extras: fc.integer({ min: 0, max: 3 }),
    groupCount: fc.integer({ min: 1, max: 5 }),
    seedGroups: fc.array(fc.nat(), { minLength: 13, maxLength: 13 }),
    seedWeights: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 13, maxLength: 13 }),
  })
  .map(({ voters, extras, groupCount, seedGroups, seedWeights }) => {
    const groups: [number, number][][] = Array.from({ length: groupCount }, () => []);
    const all = Array.from({ length: voters + extras }, (_, i) => i + 1);
    for (const sid of all) groups[(seedGroups[sid - 1] as number) % groupCount]?.push([sid, seedWeights[sid - 1] as number]);
    return { voters: all.slice(0, voters), observers: all.slice(voters), groups: groups.filter((g) => g.length > 0) };
  });

function buildHierarchical(plan: Plan): QuorumHierarchical {
  return new QuorumHierarchical({
    // The extra sids become observers: group members that never vote.
    servers: [...plan.voters.map((s) => server(s, 'participant')), ...plan.observers.map((s) => server(s, 'observer'))],
    groups: plan.groups.map((g, i): [bigint, bigint[]] => [BigInt(i + 1), g.map(([s]) => BigInt(s))]),
    weights: plan.groups.flat().map(([s, w]): [bigint, number] => [BigInt(s), w]),
  });
}

const liveSet = fc.array(fc.integer({ min: 0, max: 16 }), { maxLength: 16 });

describe('verifiers agree with naive arithmetic', () => {
  it('QuorumMaj', () => {
    fc.assert(
      fc.property(majorityPlan, liveSet, (plan, live) => {
        const qv = new QuorumMaj([...plan.voters.map((s) => server(s, 'participant')), ...plan.observers.map((s) => server(s, 'observer'))]);
        const voting = live.filter((s) => plan.voters.includes(s));
        expect(qv.containsQuorum(voting.map(BigInt))).toBe(naiveMajority(plan.voters, voting));
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('QuorumHierarchical', () => {
    fc.assert(
      fc.property(hierarchicalPlan, liveSet, (plan, live) => {
        const qv = buildHierarchical(plan);
        expect(qv.containsQuorum(live.map(BigInt))).toBe(naiveHierarchical(plan, [...new Set(live)]));
      }),
      { numRuns: 3000, seed: 43 },
    );
  });
});

// Brute force over every failure set of the voters (small ensembles only).
function bruteTolerance(voters: number[], quorum: (live: number[]) => boolean): { k: number; sets: number[][] } {
  if (!quorum(voters)) return { k: -1, sets: [[]] };
  for (let size = 1; size <= voters.length; size++) {
    const sets: number[][] = [];
    for (let mask = 0; mask < 1 << voters.length; mask++) {
      const failed = voters.filter((_, i) => mask & (1 << i));
      if (failed.length === size && !quorum(voters.filter((v) => !failed.includes(v)))) sets.push(failed);
    }
    if (sets.length > 0) return { k: size - 1, sets };
  }
  return { k: voters.length, sets: [] };
}

const asKey = (sets: (number | bigint)[][]): string[] => sets.map((s) => s.map(Number).sort((a, b) => a - b).join(',')).sort();

describe('faultTolerance agrees with brute force', () => {
  it('majority', () => {
    for (let n = 1; n <= 9; n++) {
      const voters = Array.from({ length: n }, (_, i) => i + 1);
      const brute = bruteTolerance(voters, (live) => naiveMajority(voters, live));
      const f = faultTolerance(new QuorumMaj(voters.map((s) => server(s, 'participant'))), { maxSets: 1000 });
      expect(f.tolerates).toBe(brute.k);
      expect(asKey(f.minimalBreakingSets)).toEqual(asKey(brute.sets));
    }
  });

  it('hierarchical', () => {
    fc.assert(
      fc.property(hierarchicalPlan, (plan) => {
        const brute = bruteTolerance(plan.voters, (live) => naiveHierarchical(plan, live));
        const f = faultTolerance(buildHierarchical(plan), { maxSets: 1000 });
        expect(f.tolerates).toBe(brute.k);
        // Minimal sets never need a voter that carries no weight: compare the weighted ones.
        const weightless = new Set(plan.groups.flat().filter(([, w]) => w === 0).map(([s]) => s));
        const bruteWeighted = brute.sets.filter((s) => s.every((x) => !weightless.has(x)));
        if (brute.k >= 0) expect(asKey(f.minimalBreakingSets)).toEqual(asKey(bruteWeighted));
      }),
      { numRuns: 300, seed: 44 },
    );
  });
});
