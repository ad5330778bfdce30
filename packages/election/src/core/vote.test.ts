import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ServerState } from '@zkvote/wire';
import { isBetter, makeVote, votesEqual } from './vote.js';

const { LOOKING, FOLLOWING, LEADING } = ServerState;

describe('votesEqual (PROTOCOL.md 3.5)', () => {
  const base = { leader: 3n, zxid: 5n, electionEpoch: 2n, peerEpoch: 1n };
  const v = (o: Partial<typeof base> & { state?: ServerState; version?: number } = {}) => {
    const x = { ...base, ...o };
    return makeVote(x.leader, x.zxid, x.electionEpoch, x.peerEpoch, o.state ?? LOOKING, o.version ?? 0);
  };

  it.each([
    ['LOOKING: everything but version/state must match', v(), v({ state: FOLLOWING, version: 2 }), true],
    ['LOOKING: zxid differs', v(), v({ zxid: 6n, state: FOLLOWING }), false],
    ['LOOKING: round differs', v({ state: LEADING }), v({ electionEpoch: 3n }), false],
    ['LOOKING: peerEpoch differs', v(), v({ peerEpoch: 2n }), false],
    ['out of election, both v2: id + peerEpoch', v({ state: FOLLOWING, version: 2, zxid: 9n, electionEpoch: 9n }), v({ state: LEADING, version: 2 }), true],
    ['out of election, both v2: peerEpoch differs', v({ state: FOLLOWING, version: 2 }), v({ state: LEADING, version: 2, peerEpoch: 7n }), false],
    ['out of election, both v0: id + peerEpoch', v({ state: FOLLOWING }), v({ state: LEADING, peerEpoch: 7n }), false],
    ['out of election, one v0: id only', v({ state: FOLLOWING }), v({ state: LEADING, version: 2, peerEpoch: 7n, zxid: 1n }), true],
    ['out of election, one v0: other id', v({ state: FOLLOWING }), v({ state: LEADING, version: 2, leader: 4n }), false],
  ])('%s', (_name, a, b, want) => {
    expect(votesEqual(a, b)).toBe(want);
    expect(votesEqual(b, a)).toBe(want);
  });
});

describe('isBetter (PROTOCOL.md 4.3)', () => {
  const one = () => 1;
  it('orders by peerEpoch, then zxid, then sid, signed', () => {
    expect(isBetter(one, { leader: 1n, zxid: 0n, peerEpoch: 2n }, { leader: 9n, zxid: 99n, peerEpoch: 1n })).toBe(true);
    expect(isBetter(one, { leader: 1n, zxid: 6n, peerEpoch: 1n }, { leader: 9n, zxid: 5n, peerEpoch: 1n })).toBe(true);
    expect(isBetter(one, { leader: 9n, zxid: 5n, peerEpoch: 1n }, { leader: 1n, zxid: 5n, peerEpoch: 1n })).toBe(true);
    expect(isBetter(one, { leader: 1n, zxid: 5n, peerEpoch: 1n }, { leader: 1n, zxid: 5n, peerEpoch: 1n })).toBe(false);
    expect(isBetter(one, { leader: 1n, zxid: 0n, peerEpoch: 0n }, { leader: 2n, zxid: -1n, peerEpoch: 0n })).toBe(true);
  });

  it('never prefers a zero-weight candidate', () => {
    expect(isBetter((sid) => (sid === 9n ? 0 : 1), { leader: 9n, zxid: 99n, peerEpoch: 9n }, { leader: 1n, zxid: 0n, peerEpoch: 0n })).toBe(false);
  });

  it('matches a naive lexicographic comparison on random signed 64-bit values', () => {
    const long = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    const cand = fc.record({ leader: long, zxid: long, peerEpoch: long });
    fc.assert(
      fc.property(cand, cand, (a, b) => {
        const key = (c: typeof a) => [c.peerEpoch, c.zxid, c.leader];
        const ka = key(a);
        const kb = key(b);
        let naive = false;
        for (let i = 0; i < 3; i++) {
          if (ka[i] !== kb[i]) {
            naive = (ka[i] as bigint) > (kb[i] as bigint);
            break;
          }
        }
        expect(isBetter(() => 1, a, b)).toBe(naive);
      }),
      { numRuns: 500, seed: 0x5eed },
    );
  });
});
