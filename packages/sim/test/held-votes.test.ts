import { describe, expect, it } from 'vitest';
import { FastLeaderElection } from '@zkvote/election';
import { runCampaign } from '../src/index.js';

describe('votes heard while decided (the core\'s heldVoteWindowMs)', () => {
  const seeds = { from: 1, to: 400 };

  it('the campaign passes with the default window', () => {
    const r = runCampaign({ seeds, fastDecision: true });
    expect(r.failures.map((f) => f.seed)).toEqual([]);
  });

  it('a core that replays them at any age is caught: stale votes do not back a decision', () => {
    const r = runCampaign({ seeds, fastDecision: true, coreFactory: (o) => new FastLeaderElection({ ...o, heldVoteWindowMs: 1e9 }) });
    expect(r.failures.length).toBeGreaterThan(0);
    const invariants = new Set(r.failures.flatMap((f) => f.violations.map((v) => v.invariant)));
    expect([...invariants].some((i) => i === 'quorum-backing' || i === 'claimed-voters')).toBe(true);
  });
});
