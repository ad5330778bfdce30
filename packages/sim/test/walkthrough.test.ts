// Readable scenario scripts: start order, zxids, epochs, weights, faults -> expected decisions.
// Expected outcomes follow PROTOCOL.md 4.3 (peerEpoch, then zxid, then sid; zero weight never
// wins) and 4.10 (a late starter joins through FOLLOWING/LEADING replies).

import { describe, expect, it } from 'vitest';
import { finalRoles, firstDecision, run } from './helpers.js';

const fast = [true, false];

describe.each(fast)('classic walk-through of sids 1, 3, 5 (fastDecision %s)', (fastDecision) => {
  it('all three starting together elect 5', () => {
    const r = run({ servers: [{ sid: 1 }, { sid: 3 }, { sid: 5 }], events: [{ at: 0, start: [1, 3, 5] }], options: { fastDecision } });
    expect(finalRoles(r)).toEqual(['S1:FOLLOWING S5', 'S3:FOLLOWING S5', 'S5:LEADING S5']);
    expect(r.decisions.every((d) => d.round === 1n)).toBe(true);
    if (!fastDecision) expect(r.decisions.every((d) => d.at >= 200 && !d.fast)).toBe(true);
    expect(r.violations).toEqual([]);
    expect(r.liveness).toMatchObject({ checked: true, leader: 5n });
  });

  it('1 and 5 first elect 5; 3 starting at 50 ms follows 5', () => {
    const r = run({ servers: [{ sid: 1 }, { sid: 3 }, { sid: 5 }], events: [{ at: 0, start: [1, 5] }, { at: 50, start: [3] }], options: { fastDecision } });
    expect(finalRoles(r)).toEqual(['S1:FOLLOWING S5', 'S3:FOLLOWING S5', 'S5:LEADING S5']);
    const five = firstDecision(r, 5);
    const three = firstDecision(r, 3);
    expect(five).toMatchObject({ state: 'LEADING', leader: 5n, round: 1n });
    expect(three).toMatchObject({ state: 'FOLLOWING', leader: 5n, round: 1n });
    expect(three?.at).toBeGreaterThanOrEqual(50);
    if (fastDecision) {
      // 1 and 5 agree at ~3 ms, but 3 has never connected, so it is not known to be gone: 5 waits
      // (finalizeWait). 3 starts at 50 ms and adopts 5; its agreeing vote completes the rule
      // (every voter heard agrees, none unheard), so 5 decides at once, well before the 200 ms run out.
      expect(five?.at).toBeGreaterThanOrEqual(50);
      expect(five?.at).toBeLessThan(200);
      expect(five?.fast).toBe(true);
    } else {
      // Without fast decision, 3's (worse) vote arriving during finalizeWait restarts the 200 ms wait.
      expect(five?.at).toBeGreaterThanOrEqual(200);
      expect(five?.at).toBeLessThan(500);
      expect(five?.fast).toBe(false);
    }
    expect(r.violations).toEqual([]);
  });

  it('3 starting long after 1 and 5 settled still follows 5', () => {
    const r = run({ servers: [{ sid: 1 }, { sid: 3 }, { sid: 5 }], events: [{ at: 0, start: [1, 5] }, { at: 2000, start: [3] }], options: { fastDecision } });
    expect(finalRoles(r)).toEqual(['S1:FOLLOWING S5', 'S3:FOLLOWING S5', 'S5:LEADING S5']);
    expect(r.epochs[0]).toMatchObject({ leader: 5n, epoch: 1n, members: [1n, 5n] });
    expect(r.violations).toEqual([]);
  });
});

describe('the total order', () => {
  it('the highest zxid wins over a higher sid', () => {
    const r = run({ servers: [{ sid: 1, zxid: '0x100000009' }, { sid: 2, zxid: '0x100000001' }, { sid: 3, zxid: '0x100000001' }], events: [{ at: 0, start: [1, 2, 3] }] });
    expect(finalRoles(r)).toEqual(['S1:LEADING S1', 'S2:FOLLOWING S1', 'S3:FOLLOWING S1']);
  });

  it('peerEpoch dominates the zxid', () => {
    const r = run({
      servers: [{ sid: 1, zxid: '0x100000009', peerEpoch: 1 }, { sid: 2, zxid: '0x100000001', peerEpoch: 2 }, { sid: 3, zxid: '0x100000001', peerEpoch: 1 }],
      events: [{ at: 0, start: [1, 2, 3] }],
    });
    expect(finalRoles(r)).toEqual(['S1:FOLLOWING S2', 'S2:LEADING S2', 'S3:FOLLOWING S2']);
  });
});

describe('failover', () => {
  it('a crashed leader is replaced in a higher round with a new epoch; it rejoins as a follower', () => {
    const r = run({
      servers: [{ sid: 1 }, { sid: 2 }, { sid: 3 }],
      events: [{ at: 0, start: [1, 2, 3] }, { at: 1000, crash: 3 }, { at: 5000, restart: 3 }],
      options: { detectionDelayMs: 500, maxNotificationIntervalMs: 1600 },
    });
    const after = r.decisions.filter((d) => d.at > 1000 && d.at < 5000);
    expect(after.map((d) => `S${d.sid} ${d.state} S${d.leader} r${d.round}`).sort()).toEqual(['S1 FOLLOWING S2 r2', 'S2 LEADING S2 r2']);
    expect(after.every((d) => d.at >= 1500)).toBe(true); // not before the detection delay
    expect(r.epochs.map((e) => [e.leader, e.epoch])).toEqual([
      [3n, 1n],
      [2n, 2n],
    ]);
    // 3 restarts with its persisted epoch 1 (round state lost: round 1 again) and follows 2.
    const rejoin = r.elections.filter((e) => e.sid === 3n).at(-1);
    expect(rejoin).toMatchObject({ startedAt: 5000, currentEpoch: 1n, lastZxid: 0x100000000n, life: 2 });
    expect(finalRoles(r)).toEqual(['S1:FOLLOWING S2', 'S2:LEADING S2', 'S3:FOLLOWING S2']);
    expect(r.violations).toEqual([]);
  });

  it('a partition leaves the majority side electing, the minority looking; heal reunites them', () => {
    const r = run({
      servers: [1, 2, 3, 4, 5].map((sid) => ({ sid })),
      events: [{ at: 0, start: [1, 2, 3, 4, 5] }, { at: 1000, partition: [[4, 5], [1, 2, 3]] }, { at: 6000, heal: true }],
      options: { detectionDelayMs: 400, maxNotificationIntervalMs: 1600 },
    });
    const during = r.decisions.filter((d) => d.at > 1000 && d.at < 6000);
    expect(new Set(during.map((d) => d.leader))).toEqual(new Set([3n]));
    expect(during.some((d) => d.sid === 4n || d.sid === 5n)).toBe(false);
    expect(finalRoles(r)).toEqual(['S1:FOLLOWING S3', 'S2:FOLLOWING S3', 'S3:LEADING S3', 'S4:FOLLOWING S3', 'S5:FOLLOWING S3']);
    expect(r.violations).toEqual([]);
  });

  it('a two-voter ensemble needs both voters: losing one leaves no leader', () => {
    const r = run({ servers: [{ sid: 1 }, { sid: 2 }], events: [{ at: 0, start: [1, 2] }, { at: 1000, crash: 1 }], options: { detectionDelayMs: 300, maxNotificationIntervalMs: 800 } });
    expect(firstDecision(r, 2)).toMatchObject({ state: 'LEADING', leader: 2n });
    expect(finalRoles(r)).toEqual(['S1:DOWN', 'S2:LOOKING']);
    expect(r.liveness).toMatchObject({ checked: false, reason: 'no quorum of voters is up' });
    expect(r.violations).toEqual([]);
  });
});

describe('ensembles', () => {
  it('observers end OBSERVING the leader and are never counted as voters', () => {
    const r = run({ servers: [{ sid: 1 }, { sid: 2 }, { sid: 3 }, { sid: 9, type: 'observer', zxid: '0x900000000' }], events: [{ at: 0, start: [1, 2, 3, 9] }] });
    expect(finalRoles(r)).toEqual(['S1:FOLLOWING S3', 'S2:FOLLOWING S3', 'S3:LEADING S3', 'S9:OBSERVING S3']);
    expect(r.decisions.every((d) => !d.voters.includes(9n))).toBe(true);
    expect(r.violations).toEqual([]);
  });

  it('a zero-weight server is never elected (hierarchical quorum)', () => {
    const r = run({ servers: [{ sid: 1, weight: 1 }, { sid: 2, weight: 1 }, { sid: 3, weight: 0 }], events: [{ at: 0, start: [1, 2, 3] }] });
    expect(finalRoles(r)).toEqual(['S1:FOLLOWING S2', 'S2:LEADING S2', 'S3:FOLLOWING S2']);
    expect(r.violations).toEqual([]);
  });

  it('hierarchical groups: a quorum needs a majority of groups', () => {
    const doc = {
      servers: [
        { sid: 1, group: 1 },
        { sid: 2, group: 1 },
        { sid: 3, group: 2 },
        { sid: 4, group: 2 },
        { sid: 5, group: 3 },
        { sid: 6, group: 3 },
      ],
      events: [{ at: 0, start: [1, 2, 3, 4] }, { at: 0, partition: [[1, 2, 5, 6], [3, 4]] }],
      options: { until: 3000 },
    };
    // Groups 1 and 2 are both needed from {1,2,3,4}, but the partition splits them: no decision.
    const r = run(doc);
    expect(r.decisions).toEqual([]);
    const healed = run({ ...doc, events: [...doc.events, { at: 1000, heal: true }], options: { until: 9000 } });
    expect(firstDecision(healed, 4)).toMatchObject({ state: 'LEADING' });
    expect(healed.violations).toEqual([]);
  });

  it('mixed message formats: 28-byte, 40-byte and 3.5+ peers elect together', () => {
    const r = run({
      servers: [{ sid: 1, zxid: '0x100000001', version: 0 }, { sid: 2, zxid: '0x100000001', version: 1 }, { sid: 3, zxid: '0x100000001' }],
      events: [{ at: 0, start: [1, 2, 3] }],
    });
    expect(finalRoles(r)).toEqual(['S1:FOLLOWING S3', 'S2:FOLLOWING S3', 'S3:LEADING S3']);
    const sizes = new Map(r.messages.map((m) => [m.from, m.bytes]));
    expect(sizes.get(1n)).toBe(28);
    expect(sizes.get(2n)).toBe(40);
    expect(sizes.get(3n)).toBeGreaterThan(44);
    expect(r.violations).toEqual([]);
  });
});

describe('example scenario files', () => {
  it.each(['walkthrough', 'together', 'failover', 'partition', 'faults'])('examples/%s.json runs clean and settles early', async (name) => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL(`../examples/${name}.json`, import.meta.url), 'utf8');
    const r = run(JSON.parse(text) as unknown);
    expect(r.violations).toEqual([]);
    expect(r.liveness.checked).toBe(true);
    expect(r.endedAt).toBeLessThan(r.liveness.deadline);
  });
});
