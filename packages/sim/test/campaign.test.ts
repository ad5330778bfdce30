// The seeded fault campaign: thousands of random ensembles and fault schedules, zero
// violations. The soak script runs the same thing over more seeds.

import { describe, expect, it } from 'vitest';
import { campaignReplayCommand, generateScenario, runCampaign } from '../src/index.js';

describe('fault campaign', () => {
  it('runs 2000 seeds across 3, 5 and 7 voters with every fault and no violation', () => {
    const report = runCampaign({ seeds: { from: 1, to: 2000 }, ensembleSizes: [3, 5, 7] });
    const detail = report.failures
      .slice(0, 3)
      .map((f) => `${f.replay}\n${f.violations.map((v) => v.message).join('\n')}\n${f.timeline}`)
      .join('\n\n');
    expect(report.failures.length, detail).toBe(0);
    expect(report.runs).toBe(2000);
    expect(report.livenessChecked).toBeGreaterThan(1900);
  });

  it('keeps each fault family on its own as a seed family', () => {
    for (const mix of [['crash'], ['partition'], ['drop', 'duplicate'], ['delay', 'reorder']] as const) {
      const report = runCampaign({ seeds: { from: 5000, to: 5100 }, faultMix: mix, fastDecision: false });
      expect(report.failures.map((f) => f.replay)).toEqual([]);
    }
  });

  it('generates the same scenario for the same seed, and a replay command that says how', () => {
    expect(generateScenario(31)).toEqual(generateScenario(31));
    expect(campaignReplayCommand(31)).toBe('pnpm --filter @zkvote/sim replay -- --seed 31');
    expect(campaignReplayCommand(31, { ensembleSizes: [5], faultMix: ['crash'], fastDecision: true })).toBe(
      'pnpm --filter @zkvote/sim replay -- --seed 31 --sizes 5 --mix crash --fast-decision on',
    );
  });
});
