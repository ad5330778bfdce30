// Each fault type leaves its mark on the run, and the election still converges once it stops.

import { describe, expect, it } from 'vitest';
import { finalRoles, run } from './helpers.js';

const five = [1, 2, 3, 4, 5].map((sid) => ({ sid }));
const startAll = { at: 0, start: [1, 2, 3, 4, 5] };
const quick = { maxNotificationIntervalMs: 800, detectionDelayMs: 300 };
const elected5 = ['S1:FOLLOWING S5', 'S2:FOLLOWING S5', 'S3:FOLLOWING S5', 'S4:FOLLOWING S5', 'S5:LEADING S5'];

describe('faults', () => {
  it('drop: messages are lost, timeouts resend, the election still ends', () => {
    const r = run({ servers: five, events: [{ at: 0, drop: 0.4 }, startAll, { at: 1500, drop: 0 }], options: quick }, { seed: 3 });
    expect(r.stats.dropped).toBeGreaterThan(0);
    expect(r.messages.some((m) => m.fate === 'dropped')).toBe(true);
    expect(r.faults[0]).toEqual({ at: 0, kind: 'drop', detail: 'rate 0.4' });
    // Lost votes may let a quorum settle on S4 before S5 is heard: any single leader will do.
    expect(r.liveness).toMatchObject({ checked: true, reason: 'all live peers follow one leader' });
    expect(finalRoles(r).filter((x) => x.endsWith(`S${r.liveness.leader}`))).toHaveLength(5);
    expect(r.violations).toEqual([]);
  });

  it('duplicate: extra copies are delivered and harmless', () => {
    const r = run({ servers: five, events: [{ at: 0, duplicate: 0.5 }, startAll, { at: 1000, duplicate: 0 }], options: quick }, { seed: 4 });
    const copies = r.messages.filter((m) => m.duplicate);
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.some((m) => m.fate === 'delivered')).toBe(true);
    expect(finalRoles(r)).toEqual(elected5);
    expect(r.violations).toEqual([]);
  });

  it('delay: slowed messages keep their connection order', () => {
    const r = run({ servers: five, events: [{ at: 0, delay: { rate: 0.5, ms: 120 } }, startAll, { at: 1500, delay: { rate: 0, ms: 0 } }], options: quick }, { seed: 5 });
    expect(r.messages.some((m) => m.delayedMs === 120)).toBe(true);
    for (const [from, to] of [[1n, 5n], [5n, 1n], [2n, 3n]] as const) {
      const times = r.messages.filter((m) => m.from === from && m.to === to && m.fate === 'delivered').map((m) => m.deliveredAt as number);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    expect(finalRoles(r)).toEqual(elected5);
    expect(r.violations).toEqual([]);
  });

  it('reorder: a later message can overtake an earlier one on the same connection', () => {
    const r = run({ servers: five, events: [{ at: 0, reorder: { rate: 0.6, ms: 150 } }, startAll, { at: 1500, reorder: { rate: 0, ms: 0 } }], options: quick }, { seed: 6 });
    const overtaken = r.messages.some((m) =>
      r.messages.some((n) => n.from === m.from && n.to === m.to && n.id > m.id && n.fate === 'delivered' && m.fate === 'delivered' && (n.deliveredAt as number) < (m.deliveredAt as number)),
    );
    expect(overtaken).toBe(true);
    expect(finalRoles(r)).toEqual(elected5);
    expect(r.violations).toEqual([]);
  });

  it('partition and heal: links break (in-flight messages lost) and come back on demand', () => {
    const r = run({ servers: five, events: [startAll, { at: 0, delay: { rate: 1, ms: 30 } }, { at: 10, partition: [[1, 2], [3, 4, 5]] }, { at: 2000, heal: true }, { at: 2000, delay: { rate: 0, ms: 0 } }], options: quick });
    expect(r.messages.some((m) => m.fate === 'lost')).toBe(true);
    expect(r.faults.map((f) => f.kind)).toEqual(['start', 'start', 'start', 'start', 'start', 'delay', 'partition', 'heal', 'delay']);
    expect(r.faults.find((f) => f.kind === 'partition')?.detail).toBe('{S1,S2} | {S3,S4,S5}');
    expect(finalRoles(r)).toEqual(elected5);
    expect(r.violations).toEqual([]);
  });

  it('crash and restart: round state is lost, persisted epochs are kept', () => {
    const r = run({ servers: five, events: [startAll, { at: 1000, crash: [1, 2] }, { at: 1500, restart: [1, 2] }], options: quick });
    expect(r.epochs[0]?.epoch).toBe(1n);
    const lives = r.elections.filter((e) => e.sid === 1n);
    expect(lives.map((e) => [e.life, e.currentEpoch])).toEqual([
      [1, 0n],
      [2, 1n],
    ]);
    const rejoin = r.decisions.filter((d) => d.sid === 1n).at(-1);
    expect(rejoin).toMatchObject({ leader: 5n, state: 'FOLLOWING', round: 1n });
    expect(r.decisions.find((d) => d.sid === 1n)?.endReason).toBe('crashed');
    expect(finalRoles(r)).toEqual(elected5);
    expect(r.violations).toEqual([]);
  });
});
