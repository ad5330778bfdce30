import { describe, expect, it } from 'vitest';
import { parseDynamicConfig, parseNotificationConfig, QuorumConfigError, QuorumHierarchical, QuorumMaj, VoteTracker } from '../src/index.js';
import { observer, participant, range, sids } from './helpers.js';

// PROTOCOL.md 5.4 worked example: three groups plus a zero-weight group.
const example = new QuorumHierarchical({
  servers: range(1, 11).map((s) => participant(s)),
  groups: [[1n, sids(1, 2, 3)], [2n, sids(4, 5, 6)], [3n, sids(7, 8, 9)], [4n, sids(10, 11)]],
  weights: [[6n, 2], [10n, 0], [11n, 0]],
});

describe('QuorumHierarchical worked example (PROTOCOL.md 5.4)', () => {
  it('derives group weights and numGroups', () => {
    expect([...example.groupWeights]).toEqual([[1n, 3], [2n, 4], [3n, 3], [4n, 0]]);
    expect(example.numGroups).toBe(3);
    expect(example.weight(1n)).toBe(1);
    expect(example.weight(6n)).toBe(2);
    expect(example.weight(10n)).toBe(0);
    expect(example.weight(99n)).toBe(0);
  });

  const rows: [number[], boolean][] = [
    [[1, 2, 7, 8], true],
    [[1, 2, 4, 5, 7], false],
    [[4, 6, 8, 9], true],
    [[1, 2, 3, 4, 5, 6], true],
    [[1, 4, 7, 10, 11], false],
    [[6, 7, 8, 10, 11, 12], false],
    [[], false],
  ];
  it.each(rows)('S=%j → quorum %s', (s, quorum) => {
    expect(example.containsQuorum(sids(...s))).toBe(quorum);
  });

  it('renders group and weight lines after the servers, version last', () => {
    const text = example.toString();
    expect(text.split('\n').slice(11)).toEqual([
      'group.1=1:2:3', 'group.2=4:5:6', 'group.3=7:8:9', 'group.4=10:11',
      ...range(1, 11).map((s) => `weight.${s}=${s === 6 ? 2 : s >= 10 ? 0 : 1}`),
      'version=0',
    ]);
    expect(text.endsWith('\n')).toBe(false);
  });

  it('parses back from its own text', () => {
    const again = parseNotificationConfig(example.toString());
    expect(again.ok && again.verifier.toString()).toBe(example.toString());
    expect(again.ok && again.verifier.kind).toBe('hierarchical');
    expect(parseDynamicConfig(example.toString().replace(/\nversion=0$/, '')).verifier.toString()).toBe(example.toString());
  });
});

describe('QuorumHierarchical rules', () => {
  it('lists group members ascending whatever the input order', () => {
    const qv = new QuorumHierarchical({ servers: [participant(1), participant(2), participant(3)], groups: [[1n, sids(3, 1, 2)]] });
    expect(qv.toString()).toContain('group.1=1:2:3');
  });

  it('a group with one voter: strictly more than half of its weight', () => {
    const qv = new QuorumHierarchical({ servers: [participant(1), participant(2)], groups: [[1n, sids(1, 2)]] });
    expect(qv.containsQuorum(sids(1))).toBe(false);
    expect(qv.containsQuorum(sids(1, 2))).toBe(true);
  });

  it('observers need explicit weights when listed in a group', () => {
    const make = (w: [bigint, number][]) =>
      new QuorumHierarchical({ servers: [participant(1), participant(2), observer(3)], groups: [[1n, sids(1, 2, 3)]], weights: w });
    expect(() => make([])).toThrow(expect.objectContaining({ code: 'MISSING_WEIGHT' }));
    expect(make([[3n, 0]]).toString()).toContain('weight.3=0');
  });

  it('rejects a server in two groups and a participant in none', () => {
    const twice = () => new QuorumHierarchical({ servers: [participant(1)], groups: [[1n, sids(1)], [2n, sids(1)]] });
    expect(twice).toThrow(expect.objectContaining({ code: 'SERVER_IN_MULTIPLE_GROUPS' }));
    const none = () => new QuorumHierarchical({ servers: [participant(1), participant(2)], groups: [[1n, sids(1)]] });
    expect(none).toThrow(QuorumConfigError);
    expect(none).toThrow(/participant 2/);
  });

  it('equals compares groups and weights unless versions match', () => {
    const a = new QuorumHierarchical({ servers: [participant(1), participant(2)], groups: [[1n, sids(1)], [2n, sids(2)]], version: 1n });
    const b = new QuorumHierarchical({ servers: [participant(1), participant(2)], groups: [[1n, sids(1, 2)]], version: 2n });
    const c = new QuorumHierarchical({ servers: [participant(1), participant(2)], groups: [[1n, sids(1, 2)]], version: 1n });
    expect(a.equals(b)).toBe(false);
    expect(a.equals(c)).toBe(true);
    expect(a.equals(new QuorumMaj([participant(1), participant(2)], 1n))).toBe(false);
  });

  it('the vote tracker counts hierarchical weights', () => {
    const t = new VoteTracker(example);
    for (const s of sids(1, 2, 10, 11, 12)) t.addAck(s);
    expect(t.hasAllQuorums()).toBe(false);
    t.addAck(4n);
    t.addAck(6n);
    expect(t.hasAllQuorums()).toBe(true);
  });
});
