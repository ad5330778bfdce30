import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatJson, generateScenario, parseScenario, scenarioDocument, simulate } from '../src/index.js';

describe('properties over random campaign seeds', () => {
  it('generated scenarios round-trip through their documents, and runs are reproducible and well-formed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (seed) => {
        const scenario = generateScenario(seed);
        expect(parseScenario(JSON.parse(JSON.stringify(scenarioDocument(scenario))))).toEqual(scenario);
        const a = simulate(scenario, { seed });
        expect(formatJson(simulate(scenario, { seed }))).toBe(formatJson(a));
        const badTimes = a.messages.filter((m) => (m.fate === 'delivered' ? (m.deliveredAt ?? -1) < m.at : m.deliveredAt !== null));
        expect(badTimes).toEqual([]);
        let last = -1;
        for (const d of a.decisions) {
          expect(d.at).toBeGreaterThanOrEqual(last);
          last = d.at;
          expect(a.elections[d.election]?.sid).toBe(d.sid);
          if (d.endedAt !== null) expect(d.endedAt).toBeGreaterThanOrEqual(d.at);
        }
        expect(a.violations).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
