// Cold starts: every start order of three servers, some of five, with fast decision on and off.
// Whatever the order, the highest (peerEpoch, zxid, sid) leads and everyone else follows it.

import { describe, it } from 'vitest';
import { runScript } from './script.js';

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('cold start, 3 servers', () => {
  for (const order of permutations([1, 2, 3])) {
    it(`starts ${order.join(',')} together; fast decision elects 3 at once`, () => {
      runScript(`
        servers 1,2,3
        start ${order.join(',')}
        deliver all
        expect 3 LEADING round=1 fast at=0
        expect 1 FOLLOWING 3 fast at=0
        expect 2 FOLLOWING 3 fast at=0
        expect queue=0
      `);
    });

    it(`starts ${order.join(',')} one by one; ZooKeeper timing waits finalizeWait`, () => {
      runScript(`
        servers 1,2,3
        option fast=off
        start ${order[0]}; deliver all
        start ${order[1]}; deliver all
        start ${order[2]}; deliver all
        expect 3 LOOKING finalizing=yes
        tick 199
        expect 3 LOOKING
        tick 1
        expect 3 LEADING round=1 slow at=200
        expect 1 FOLLOWING 3 slow
        expect 2 FOLLOWING 3 slow
      `);
    });
  }
});

describe('cold start, 5 servers', () => {
  const orders = [
    [1, 2, 3, 4, 5],
    [5, 4, 3, 2, 1],
    [3, 5, 1, 4, 2],
    [2, 4, 1, 5, 3],
  ];
  for (const order of orders) {
    for (const fast of ['on', 'off']) {
      it(`starts ${order.join(',')} (fast ${fast}); the most up-to-date server leads`, () => {
        runScript(`
          servers 1,2,3,4,5
          server 2 zxid=0x100000009 epoch=1
          server 4 zxid=0x100000007 epoch=1
          option fast=${fast}
          start ${order.join(',')}
          deliver all
          run 1000
          expect 2 LEADING round=1 zxid=0x100000009 epoch=1
          expect 1 FOLLOWING 2; expect 3 FOLLOWING 2; expect 4 FOLLOWING 2; expect 5 FOLLOWING 2
        `);
      });
    }
  }

  it('a higher peerEpoch beats a higher zxid', () => {
    runScript(`
      servers 1,2,3,4,5
      server 1 zxid=0x200000001 epoch=2
      server 5 zxid=0x1000000ff epoch=1
      start 5,4,3,2,1
      deliver all
      run 1000
      expect 1 LEADING
      expect 5 FOLLOWING 1
    `);
  });
});
