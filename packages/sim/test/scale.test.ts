import { describe, expect, it } from 'vitest';
import { formatJson, parseScenario, SimError, simulate, type MessageRecord } from '../src/index.js';
import { finalRoles } from './helpers.js';

/** All of 1..n start together; the leader (sid n) crashes at 1000 ms. */
function ensemble(n: number, options: Record<string, unknown> = {}) {
  const sids = Array.from({ length: n }, (_, i) => i + 1);
  return parseScenario({
    servers: sids.map((sid) => ({ sid })),
    events: [
      { at: 0, start: sids },
      { at: 1000, crash: [n] },
    ],
    options: { latencyMs: 1, jitterMs: 1, detectionDelayMs: 20, ...options },
  });
}

describe('jitterMode', () => {
  it('defaults to whole milliseconds, and takes continuous', () => {
    expect(ensemble(3).options.jitterMode).toBe('whole-ms');
    expect(ensemble(3, { jitterMode: 'continuous' }).options.jitterMode).toBe('continuous');
  });

  it('refuses anything else, naming the option', () => {
    expect(() => ensemble(3, { jitterMode: 'fractional' })).toThrow(SimError);
    expect(() => ensemble(3, { jitterMode: 'fractional' })).toThrow(/options\.jitterMode.*'whole-ms' or 'continuous'/);
  });

  it('continuous jitter delivers at fractional times and still replays exactly from its seed', () => {
    const scenario = ensemble(7, { jitterMode: 'continuous' });
    const r = simulate(scenario, { seed: 3 });
    expect(r.violations).toEqual([]);
    expect(r.liveness.leader).toBe(6n);
    expect(r.messages.some((m) => m.deliveredAt !== null && !Number.isInteger(m.deliveredAt))).toBe(true);
    expect(formatJson(simulate(scenario, { seed: 3 }))).toBe(formatJson(r));
  });

  it('interleaved arrivals spare the broadcast storm of the same-millisecond order', () => {
    // Same-ms arrivals are handled in send order, so each peer steps through the candidates one
    // by one; random interleaving makes it jump to the best one after a few.
    const whole = simulate(ensemble(31), { seed: 1 });
    const continuous = simulate(ensemble(31, { jitterMode: 'continuous' }), { seed: 1 });
    expect(whole.violations).toEqual([]);
    expect(continuous.violations).toEqual([]);
    expect(continuous.stats.messages * 2).toBeLessThan(whole.stats.messages);
  });
});

describe('messageLog: false', () => {
  it('runs the same election, keeps the counts, and hands every record to onMessage', () => {
    const scenario = ensemble(9, { jitterMode: 'continuous' });
    const full = simulate(scenario, { seed: 5 });
    const seen: MessageRecord[] = [];
    const lean = simulate(scenario, { seed: 5, messageLog: false, onMessage: (m) => void seen.push(m) });
    expect(lean.messages).toEqual([]);
    expect(lean.messagesLogged).toBe(false);
    expect(full.messagesLogged).toBe(true);
    expect(lean.stats).toEqual(full.stats);
    expect(lean.decisions).toEqual(full.decisions);
    expect(finalRoles(lean)).toEqual(finalRoles(full));
    expect(seen.map((m) => m.id)).toEqual(full.messages.map((m) => m.id));
    expect(seen.filter((m) => m.from !== m.to)).toHaveLength(full.stats.messages);
  });

  it('still checks agreement and liveness, which need no message log', () => {
    const r = simulate(ensemble(5), { seed: 1, messageLog: false });
    expect(r.liveness.checked).toBe(true);
    expect(r.liveness.leader).toBe(4n);
    expect(r.violations).toEqual([]);
  });
});
