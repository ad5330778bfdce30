import { describe, expect, it } from 'vitest';
import { QuorumMaj, VoteTracker } from '../src/index.js';
import { observer, participant, range, sids } from './helpers.js';

describe('QuorumMaj thresholds (PROTOCOL.md 5.3)', () => {
  const expected: [number, number][] = [[1, 1], [2, 2], [3, 2], [4, 3], [5, 3], [6, 4], [7, 4], [8, 5], [9, 5]];
  it.each(expected)('%i voters need %i', (n, need) => {
    const qv = new QuorumMaj(range(1, n).map((s) => participant(s)));
    expect(qv.containsQuorum(sids(...range(1, need)))).toBe(true);
    expect(qv.containsQuorum(sids(...range(1, need - 1)))).toBe(false);
  });

  it('observers are members but never voters, weight is 1 for any sid', () => {
    const qv = new QuorumMaj([participant(1), participant(2), participant(3), observer(4)]);
    expect([...qv.members.keys()]).toEqual(sids(1, 2, 3, 4));
    expect([...qv.votingMembers.keys()]).toEqual(sids(1, 2, 3));
    expect([...qv.observingMembers.keys()]).toEqual(sids(4));
    expect(qv.weight(99n)).toBe(1);
  });

  it('counts distinct sids only', () => {
    const qv = new QuorumMaj(range(1, 3).map((s) => participant(s)));
    expect(qv.containsQuorum([1n, 1n])).toBe(false);
  });

  it('equals: same version is equal, else compares members', () => {
    const a = new QuorumMaj([participant(1), participant(2)], 5n);
    expect(a.equals(new QuorumMaj([participant(7)], 5n))).toBe(true);
    expect(a.equals(new QuorumMaj([participant(2), participant(1)], 6n))).toBe(true);
    expect(a.equals(new QuorumMaj([participant(1), participant(2, 'x')], 6n))).toBe(false);
  });

  it('renders ascending server lines and a lowercase hex version last', () => {
    const qv = new QuorumMaj([participant(3), observer(1), participant(2)], 0x100000000n);
    expect(qv.toString()).toBe(
      'server.1=h1:2888:3888:observer\nserver.2=h2:2888:3888:participant\nserver.3=h3:2888:3888:participant\nversion=100000000',
    );
  });
});

describe('VoteTracker (PROTOCOL.md 5.5)', () => {
  it('counts an ack only where the sid votes', () => {
    const qv = new QuorumMaj([participant(1), participant(2), participant(3), observer(4)]);
    const t = new VoteTracker(qv);
    expect(t.addAck(4n)).toBe(false);
    expect(t.addAck(9n)).toBe(false);
    t.addAck(1n);
    expect(t.hasAllQuorums()).toBe(false);
    t.addAck(2n);
    expect(t.hasAllQuorums()).toBe(true);
    expect([...t.ackedBy(qv)]).toEqual(sids(1, 2));
  });

  it('a joint quorum needs every verifier', () => {
    const oldQv = new QuorumMaj(range(1, 3).map((s) => participant(s)), 1n);
    const newQv = new QuorumMaj(range(3, 5).map((s) => participant(s)), 2n);
    const t = new VoteTracker(oldQv, newQv);
    t.addAck(1n);
    t.addAck(2n);
    expect(t.hasAllQuorums()).toBe(false);
    t.addAck(3n);
    expect([...t.ackedBy(newQv)]).toEqual(sids(3));
    expect(t.hasAllQuorums()).toBe(false);
    t.addAck(4n);
    expect(t.hasAllQuorums()).toBe(true);
    expect(t.isVoter(5n)).toBe(true);
    expect(t.isVoter(6n)).toBe(false);
  });
});
