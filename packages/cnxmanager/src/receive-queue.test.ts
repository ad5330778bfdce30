import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';
import { ReceiveQueue, type ReceivedMessage } from './receive-queue.js';

const msg = (n: number): ReceivedMessage => ({ sid: BigInt(n), payload: new Uint8Array([n & 0xff]), fromNonVoter: false });

describe('ReceiveQueue', () => {
  it('behaves like a naive drop-oldest list for any sequence of pushes and takes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.array(fc.boolean(), { maxLength: 400 }), (capacity, ops) => {
        const q = new ReceiveQueue(capacity, systemClock);
        const model: number[] = [];
        let drops = 0;
        let n = 0;
        for (const isPush of ops) {
          if (isPush) {
            q.push(msg(n));
            if (capacity === 0) drops++;
            else {
              if (model.length === capacity) {
                model.shift();
                drops++;
              }
              model.push(n);
            }
            n++;
          } else {
            expect(q.take()?.sid).toBe(model.length > 0 ? BigInt(model.shift()!) : undefined);
          }
          expect(q.size).toBe(model.length);
        }
        expect(q.dropped).toBe(drops);
      }),
      { numRuns: 300 },
    );
  });

  it('hands a message straight to a waiting poll and resolves null on close', async () => {
    const q = new ReceiveQueue(2, systemClock);
    const first = q.poll();
    q.push(msg(1));
    expect((await first)?.sid).toBe(1n);
    expect(q.size).toBe(0);
    const second = q.poll();
    q.close();
    expect(await second).toBeNull();
    expect(await q.poll()).toBeNull();
  });
});
