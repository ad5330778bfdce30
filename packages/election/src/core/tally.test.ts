import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDynamicConfig, type QuorumVerifier } from '@zkvote/quorum';
import { ServerState } from '@zkvote/wire';
import { AgreeingVotes, tally, trackedVerifiers } from './tally.js';
import { makeVote } from './vote.js';
import type { Vote } from './types.js';

const { LOOKING, FOLLOWING, LEADING } = ServerState;

function ensemble(sids: number[], extra: string[] = [], version = 0n): QuorumVerifier {
  const lines = sids.map((s) => `server.${s}=127.0.0.1:${20000 + s}:${30000 + s}:participant`);
  return parseDynamicConfig([...lines, ...extra].join('\n'), { version }).verifier;
}

const SEVEN = [1, 2, 3, 4, 5, 6, 7];
const verifierSets: Record<string, QuorumVerifier[]> = {
  'majority of 7': [ensemble(SEVEN)],
  'hierarchical 3 groups': [
    ensemble(SEVEN, ['group.1=1:2:3', 'group.2=4:5', 'group.3=6:7', 'weight.1=3', 'weight.6=0']),
  ],
  'committed + newer last-seen': trackedVerifiers(ensemble([1, 2, 3, 4, 5]), ensemble([3, 4, 5, 6, 7], [], 0x200000000n)),
};

// A small pool so stored votes often equal the target, and targets often repeat.
const vote = fc
  .record({
    leader: fc.integer({ min: 6, max: 7 }),
    zxid: fc.constant(0),
    round: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(2) }),
    state: fc.constantFrom(LOOKING, LOOKING, LOOKING, FOLLOWING, LEADING),
  })
  .map((v): Vote => makeVote(BigInt(v.leader), BigInt(v.zxid), BigInt(v.round), 1n, v.state, v.state === LOOKING ? 0 : 2));

const step = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('store' as const), sid: fc.integer({ min: 1, max: 8 }), vote }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('tally' as const), target: vote.map((v) => makeVote(v.leader, v.zxid, v.electionEpoch, v.peerEpoch)) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const) }) },
);

describe('AgreeingVotes', () => {
  it.each(Object.entries(verifierSets))('finds a quorum, with the same voters, exactly when tally() over the whole map does (%s)', (_name, verifiers) => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const votes = new Map<bigint, Vote>();
        const agreeing = new AgreeingVotes();
        for (const s of steps) {
          if (s.op === 'store') {
            votes.set(BigInt(s.sid), s.vote);
            agreeing.stored(BigInt(s.sid), s.vote);
          } else if (s.op === 'clear') {
            votes.clear();
            agreeing.cleared();
          } else {
            const want = tally(verifiers, votes, s.target);
            const got = agreeing.tally(verifiers, votes, s.target);
            // Without a quorum nobody reads the voters, and the incremental count skips listing them.
            expect(want.hasAllQuorums ? got : got.hasAllQuorums).toEqual(want.hasAllQuorums ? want : false);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('finds the quorum the moment the deciding vote joins, after many votes that changed nothing', () => {
    const verifiers = verifierSets['majority of 7'] as QuorumVerifier[];
    const target = makeVote(7n, 0n, 1n, 1n);
    const votes = new Map<bigint, Vote>();
    const agreeing = new AgreeingVotes();
    const store = (sid: bigint, v: Vote): void => {
      votes.set(sid, v);
      agreeing.stored(sid, v);
    };
    for (const sid of [1n, 2n, 3n]) {
      store(sid, target);
      expect(agreeing.tally(verifiers, votes, target).hasAllQuorums).toBe(false);
    }
    store(4n, makeVote(6n, 0n, 1n, 1n));
    expect(agreeing.tally(verifiers, votes, target).hasAllQuorums).toBe(false);
    store(4n, target);
    expect(agreeing.tally(verifiers, votes, target)).toEqual({ hasAllQuorums: true, voters: [1n, 2n, 3n, 4n] });
  });
});
