import { describe, expect, it } from 'vitest';
import { explainQuorum, faultTolerance, QuorumHierarchical, QuorumMaj } from '../src/index.js';
import { observer, participant, range, sids } from './helpers.js';

const maj = (n: number) => new QuorumMaj(range(1, n).map((s) => participant(s)));
const example = new QuorumHierarchical({
  servers: range(1, 11).map((s) => participant(s)),
  groups: [[1n, sids(1, 2, 3)], [2n, sids(4, 5, 6)], [3n, sids(7, 8, 9)], [4n, sids(10, 11)]],
  weights: [[6n, 2], [10n, 0], [11n, 0]],
});

describe('faultTolerance', () => {
  it.each([[1, 0], [2, 0], [3, 1], [4, 1], [5, 2], [6, 2], [7, 3], [9, 4]])('majority of %i tolerates %i', (n, k) => {
    expect(faultTolerance(maj(n)).tolerates).toBe(k);
  });

  it('lists the minimal breaking sets of a 3-ensemble', () => {
    expect(faultTolerance(maj(3))).toEqual({ tolerates: 1, minimalBreakingSets: [sids(1, 2), sids(1, 3), sids(2, 3)], complete: true });
  });

  it('the hierarchical example survives any 2 failures; 3 well-chosen ones break it', () => {
    const f = faultTolerance(example);
    expect(f.tolerates).toBe(2);
    expect(f.complete).toBe(true);
    expect(f.minimalBreakingSets).toEqual([sids(1, 2, 6), sids(1, 3, 6), sids(2, 3, 6), sids(6, 7, 8), sids(6, 7, 9), sids(6, 8, 9)]);
  });

  it('caps the listing and says so', () => {
    const f = faultTolerance(maj(20), { maxSets: 10 });
    expect(f.tolerates).toBe(9);
    expect(f.minimalBreakingSets).toHaveLength(10);
    expect(f.complete).toBe(false);
  });

  it('a configuration with no voters tolerates nothing', () => {
    expect(faultTolerance(new QuorumMaj([]))).toEqual({ tolerates: -1, minimalBreakingSets: [[]], complete: true });
  });
});

describe('explainQuorum', () => {
  it('majority: one pseudo-group, observers and strangers ignored', () => {
    const qv = new QuorumMaj([participant(1), participant(2), participant(3), observer(4)]);
    expect(explainQuorum(qv, sids(1, 4, 9))).toEqual({
      quorum: false,
      groups: [{ gid: 0n, members: sids(1, 2, 3), live: sids(1), liveWeight: 1, totalWeight: 3, needed: 2, counts: false, discarded: false }],
      counted: 0,
      needed: 1,
      ignored: sids(4, 9),
    });
  });

  it('hierarchical: per-group reasons', () => {
    const e = explainQuorum(example, sids(1, 2, 4, 5, 7, 12));
    expect(e.quorum).toBe(false);
    expect(e.counted).toBe(1);
    expect(e.needed).toBe(2);
    expect(e.ignored).toEqual(sids(12));
    expect(e.groups.map((g) => [g.gid, g.liveWeight, g.totalWeight, g.needed, g.counts, g.discarded])).toEqual([
      [1n, 2, 3, 2, true, false],
      [2n, 2, 4, 3, false, false],
      [3n, 1, 3, 2, false, false],
      [4n, 0, 0, 1, false, true],
    ]);
  });
});
