// The checker must be able to fail: broken cores and doctored runs are caught, with the seed,
// the replay command and enough text to understand the failure.

import { describe, expect, it } from 'vitest';
import { checkInvariants, failureTimeline, parseScenario, runCampaign, scenarioVerifier, simulate } from '../src/index.js';
import { lowestWinsCore, mutedCore, toyCore, usurperCore } from './fakes.js';

const three = { servers: [{ sid: 1 }, { sid: 2 }, { sid: 3 }], events: [{ at: 0, start: [1, 2, 3] }], options: { maxNotificationIntervalMs: 800 } };

describe('invariant checker', () => {
  it('accepts an honest toy core', () => {
    const r = simulate(parseScenario(three), { coreFactory: toyCore });
    expect(r.decisions.length).toBe(3);
    expect(r.violations).toEqual([]);
  });

  it('catches a core that decides without a quorum and lies about its voters', () => {
    const r = simulate(parseScenario(three), { coreFactory: usurperCore, seed: 77 });
    const kinds = new Set(r.violations.map((v) => v.invariant));
    // Each usurper gives up after initLimit and usurps again: the split never ends (liveness).
    expect(kinds).toEqual(new Set(['quorum-backing', 'claimed-voters', 'liveness']));
    const v = r.violations.find((x) => x.invariant === 'quorum-backing');
    expect(v?.message).toBe(
      'S1 decided LEADING S1 in round 1 at 0 ms, but the votes (leader 1, zxid 0x0, peerEpoch 0, round 1) it got came from none and the following/leading reports for S1 from none: not a quorum',
    );
    expect(v).toMatchObject({ seed: 77, replay: 'pnpm --filter @zkvote/sim replay -- --seed 77' });
  });

  it('catches a core that honestly elects a leader without the highest (peerEpoch, zxid)', () => {
    const doc = { ...three, servers: [{ sid: 1, zxid: '0x100000001' }, { sid: 2, zxid: '0x100000007' }, { sid: 3, zxid: '0x100000007' }] };
    const r = simulate(parseScenario(doc), { coreFactory: lowestWinsCore });
    expect(r.violations.map((v) => v.invariant)).toContain('highest-vote');
    expect(r.violations.every((v) => v.invariant === 'highest-vote')).toBe(true);
    expect(r.violations[0]?.message).toContain('lower than voters it counted');
  });

  it('catches a core that never decides (liveness)', () => {
    const r = simulate(parseScenario(three), { coreFactory: mutedCore });
    expect(r.violations.map((v) => v.invariant)).toEqual(['liveness']);
    expect(r.violations[0]?.message).toMatch(/did not follow one leader: S1 LOOKING, S2 LOOKING, S3 LOOKING$/);
  });

  it('flags a same-round split that outlives the bound, and tolerates a transient one', () => {
    const scenario = parseScenario({ ...three, options: { ...three.options, until: 20_000 } });
    const r = simulate(scenario);
    const verifier = scenarioVerifier(scenario);
    const leader = r.decisions.find((d) => d.state === 'LEADING');
    expect(leader).toBeDefined();
    const rogue = { ...leader!, sid: 1n, leader: 1n, at: 10, endedAt: null, voters: [] };
    const lasting = checkInvariants({ ...r, decisions: [...r.decisions, rogue] }, verifier, 'replay');
    expect(lasting.map((v) => v.invariant)).toContain('agreement');
    const brief = checkInvariants({ ...r, decisions: [...r.decisions, { ...rogue, endedAt: 300 }] }, verifier, 'replay');
    expect(brief.map((v) => v.invariant)).not.toContain('agreement');
  });

  it('reports campaign failures with a replay command and a readable timeline', () => {
    const report = runCampaign({ seeds: { from: 10, to: 12 }, ensembleSizes: [3], faultMix: ['drop'], coreFactory: usurperCore });
    expect(report.failures.map((f) => f.seed)).toEqual([10, 11, 12]);
    const f = report.failures[0]!;
    expect(f.replay).toBe('pnpm --filter @zkvote/sim replay -- --seed 10 --sizes 3 --mix drop');
    expect(f.timeline).toMatch(/^seed 10 \|/);
    expect(f.timeline).toContain('decided LEADING');
    expect(f.timeline).toContain('Replay: pnpm --filter @zkvote/sim replay -- --seed 10 --sizes 3 --mix drop');
    expect(failureTimeline(simulate(parseScenario(three), { coreFactory: usurperCore }))).toContain('[quorum-backing]');
  });
});

describe('findings kept as regression scenarios', () => {
  it('28-byte voters behind a leader whose epoch was updated can livelock a joining peer', async () => {
    // S1 and S2 speak the 28-byte format, so their FOLLOWING replies carry a peerEpoch derived
    // from the vote's zxid (2) while the leader S3 reports its updated epoch (3). S4 reaches a
    // LOOKING quorum that counts S1's stale-epoch report, enters finalizeWait, discards S2's
    // report, resumes on S3's better-epoch LEADING reply, misses the quorum, and starts over.
    const { readFile } = await import('node:fs/promises');
    const doc: unknown = JSON.parse(await readFile(new URL('../examples/legacy28-livelock.json', import.meta.url), 'utf8'));
    const r = simulate(parseScenario(doc));
    expect(r.violations.map((v) => v.invariant)).toEqual(['liveness']);
    expect(r.peers.find((p) => p.sid === 4n)?.state).toBe('LOOKING');
  });
});
