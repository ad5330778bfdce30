import { describe, expect, it } from 'vitest';
import { formatJson, generateScenario, simulate } from '../src/index.js';

describe('determinism', () => {
  it('one seed reproduces the same run, byte for byte', () => {
    for (const seed of [1, 99, 4242]) {
      const once = formatJson(simulate(generateScenario(seed), { seed }), { loopback: true });
      const twice = formatJson(simulate(generateScenario(seed), { seed }), { loopback: true });
      expect(twice).toBe(once);
    }
  });

  it('different seeds give different runs', () => {
    const runs = new Set([5, 6, 7, 8].map((seed) => formatJson(simulate(generateScenario(seed), { seed }))));
    expect(runs.size).toBe(4);
  });

  it('the network seed alone changes a fixed scenario with jitter', () => {
    const scenario = generateScenario(1);
    const jittery = { ...scenario, options: { ...scenario.options, jitterMs: 5 } };
    expect(formatJson(simulate(jittery, { seed: 1 }))).not.toBe(formatJson(simulate(jittery, { seed: 2 })));
  });
});
