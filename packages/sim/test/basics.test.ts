import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue, Rng } from '../src/index.js';

describe('Rng', () => {
  it('is a pure function of its seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 50 }, () => a.nextU32());
    expect(Array.from({ length: 50 }, () => b.nextU32())).toEqual(xs);
    expect(new Rng(43).nextU32()).not.toBe(xs[0]);
  });

  it('forks independent, reproducible streams', () => {
    const x = new Rng(7).fork('network');
    const y = new Rng(7).fork('network');
    const z = new Rng(7).fork('scenario');
    const first = x.nextU32();
    expect(y.nextU32()).toBe(first);
    expect(z.nextU32()).not.toBe(first);
  });

  it('keeps int/range/sample within bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
        const r = new Rng(seed);
        const i = r.int(n);
        const f = r.float();
        const k = r.range(-3, 3);
        const s = r.sample([1, 2, 3, 4, 5], 3);
        return i >= 0 && i < n && f >= 0 && f < 1 && k >= -3 && k <= 3 && s.length === 3 && new Set(s).size === 3;
      }),
      { numRuns: 300 },
    );
  });
});

describe('EventQueue', () => {
  it('runs events by time, ties in scheduling order, and never goes back in time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue<number>();
        times.forEach((t, i) => q.schedule(t, i));
        const out: [number, number][] = [];
        for (let item = q.pop(); item !== null; item = q.pop()) out.push([item.at, item.event]);
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        return JSON.stringify(out) === JSON.stringify(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('clamps events scheduled in the past to now', () => {
    const q = new EventQueue<string>();
    q.schedule(10, 'a');
    q.pop();
    q.schedule(3, 'late');
    expect(q.pop()).toMatchObject({ at: 10, event: 'late' });
  });
});
