// The connection manager's semantics in the simulated network, driven by a scripted core.

import { describe, expect, it } from 'vitest';
import type { Action } from '@zkvote/election';
import { probeCore, type ProbeLog } from './fakes.js';
import { run } from './helpers.js';

const note = (to: bigint, leader: bigint): Action => ({
  type: 'send',
  to,
  notification: { state: 0, leader, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n, version: 2, config: null },
});

describe('simulated network', () => {
  it('keeps one message per destination: the newest wins while no connection exists', () => {
    const log: ProbeLog = { inputs: [] };
    const core = probeCore(log, (me, input) => (me === 1n && input === 'start' ? [note(2n, 7n), note(2n, 8n), note(2n, 9n)] : []));
    // S2 starts later but never sends: connections open on demand, so S1's slot keeps waiting.
    const r = run({ servers: [{ sid: 1 }, { sid: 2 }], events: [{ at: 0, start: [1] }, { at: 100, start: [2] }], options: { until: 500 } }, { coreFactory: core });
    const toS2 = r.messages.filter((m) => m.from === 1n && m.to === 2n);
    expect(toS2.map((m) => `${m.vote.leader}:${m.fate}`)).toEqual(['7:superseded', '8:superseded', '9:pending']);
  });

  it('drains the slot when a connection comes up, then re-sends the last message on a new one', () => {
    const log: ProbeLog = { inputs: [] };
    const core = probeCore(log, (me, input) => {
      if (me === 1n && input === 'start') return [note(2n, 7n), note(2n, 8n)];
      if (me === 2n && input === 'start') return [note(1n, 2n)];
      if (me === 1n && input === 'down S2') return [{ type: 'setTimer', timer: 'notification', delayMs: 500 }];
      if (me === 1n && input.startsWith('timer')) return [{ type: 'connectAll' }];
      return [];
    });
    const r = run(
      {
        servers: [{ sid: 1 }, { sid: 2 }],
        events: [{ at: 0, start: [1] }, { at: 100, start: [2] }, { at: 1000, partition: [[1], [2]] }, { at: 1200, heal: true }],
        options: { until: 3000 },
      },
      { coreFactory: core },
    );
    const toS2 = r.messages.filter((m) => m.from === 1n && m.to === 2n);
    expect(toS2.map((m) => `${m.vote.leader}:${m.fate}${m.resend ? ':resend' : ''}`)).toEqual(['7:superseded', '8:delivered', '8:delivered:resend']);
    expect(log.inputs).toEqual(
      expect.arrayContaining(['S1 up S2', 'S2 up S1', 'S1 down S2', 'S2 down S1', 'S1 timer notification someEmpty', 'S2 recv S1 leader 8 r1']),
    );
  });

  it("reports ZooKeeper's haveDelivered(): false with no queues or only busy ones", () => {
    const log: ProbeLog = { inputs: [] };
    run(
      { servers: [{ sid: 1 }, { sid: 2 }, { sid: 3 }], events: [{ at: 0, start: [1] }], options: { until: 1000 } },
      {
        coreFactory: probeCore(log, (me, input) => {
          if (input === 'start') return [{ type: 'setTimer', timer: 'notification', delayMs: 100 }, note(me, me)];
          if (input === 'timer notification allBusy' && !log.inputs.includes('S1 sent')) {
            log.inputs.push('S1 sent');
            return [note(2n, 1n), { type: 'setTimer', timer: 'notification', delayMs: 100 }];
          }
          return [];
        }),
      },
    );
    // No queue at first (loopback makes none), then a queue to the down S2 that never drains.
    expect(log.inputs.filter((s) => s.startsWith('S1 timer'))).toEqual(['S1 timer notification allBusy', 'S1 timer notification allBusy']);
    expect(log.inputs).toContain('S1 recv S1 leader 1 r1');
  });

  it('delivers loopback at once and in order; other peers after the latency', () => {
    const log: ProbeLog = { inputs: [] };
    const r = run(
      { servers: [{ sid: 1 }, { sid: 2 }], events: [{ at: 0, start: [2] }, { at: 10, start: [1] }], options: { latencyMs: 5, until: 100 } },
      { coreFactory: probeCore(log, (me, input) => (input === 'start' ? [note(me, me), note(me === 1n ? 2n : 1n, me)] : [])) },
    );
    const loop = r.messages.find((m) => m.from === 1n && m.to === 1n);
    expect(loop).toMatchObject({ at: 10, deliveredAt: 10, fate: 'delivered' });
    const s1s2 = r.messages.find((m) => m.from === 1n && m.to === 2n);
    expect(s1s2).toMatchObject({ fate: 'delivered', deliveredAt: 20 }); // connect (5 ms) + latency (5 ms)
  });
});
