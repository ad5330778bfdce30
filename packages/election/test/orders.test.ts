// Randomised delivery orders (seeded by fast-check): whatever order the messages of a cold start
// arrive in, every server decides, all for the same leader, and that leader is the best server.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ServerState } from '@zkvote/wire';
import { Net, type ServerSpec } from './harness.js';

function spec(sid: number, zxid: bigint, epoch: bigint): ServerSpec {
  return { sid: BigInt(sid), observer: false, zxid, epoch, layout: 'v2' };
}

describe('random delivery orders', () => {
  for (const fast of [true, false]) {
    it(`always converge on the best server (fast decision ${fast ? 'on' : 'off'})`, () => {
      const server = fc.record({ zxid: fc.bigInt({ min: 0n, max: 3n }), epoch: fc.bigInt({ min: 0n, max: 1n }) });
      fc.assert(
        fc.property(fc.array(server, { minLength: 3, maxLength: 5 }), fc.array(fc.nat(), { minLength: 200, maxLength: 200 }), (servers, picks) => {
          const specs = servers.map((s, i) => spec(i + 1, (s.epoch << 32n) | s.zxid, s.epoch));
          const net = new Net(specs, { fast });
          for (const s of specs) net.boot(s.sid);
          // Deliver in a random order, then let timers and the rest run to quiescence.
          for (const p of picks) {
            if (net.queue.length === 0) break;
            const m = net.queue[p % net.queue.length];
            if (m !== undefined) net.deliverOne(m.from, m.to);
          }
          net.deliverAll();
          net.advance(5000, true);
          const best = [...specs].sort((a, b) => (a.epoch !== b.epoch ? Number(b.epoch - a.epoch) : a.zxid !== b.zxid ? Number(b.zxid - a.zxid) : Number(b.sid - a.sid)))[0] as ServerSpec;
          for (const s of specs) {
            const d = net.decision(s.sid);
            expect(d, `server ${s.sid} decided`).toBeDefined();
            expect(d?.vote.leader).toBe(best.sid);
            expect(net.core(s.sid).state).toBe(s.sid === best.sid ? ServerState.LEADING : ServerState.FOLLOWING);
          }
        }),
        { numRuns: 300, seed: 0x5eed },
      );
    });
  }
});
