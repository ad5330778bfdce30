// finalizeWait as ZooKeeper runs it (discard and re-arm, resume on a better vote) and our fast
// decision: when it decides at once, when it falls back, and what it can miss.

import { describe, expect, it } from 'vitest';
import { runScript } from './script.js';

describe('finalizeWait (fast decision off)', () => {
  it('each non-better notification is discarded and re-arms the 200 ms wait', () => {
    const net = runScript(`
      servers 1,2,3
      option fast=off
      start 1,2,3; deliver all
      expect 3 LOOKING finalizing=yes
      tick 150
      inject 1->3 LOOKING leader=3 round=1        # equal, not better: thrown away
      tick 150
      expect 3 LOOKING finalizing=yes             # t=300: the wait restarted at 150
      inject 2->3 LOOKING leader=2 round=1        # worse: thrown away too
      tick 199
      expect 3 LOOKING
      tick 1
      expect 3 LEADING slow at=500
    `);
    const discarded = net.node(3n).events.flatMap((e) => (e.kind === 'finalize-discarded' ? [e.sid] : []));
    expect(discarded.slice(-2)).toEqual([1n, 2n]);
    // Discarded votes are never recorded: 2's switch to 3 reached 3 during the wait, so 3's
    // recvset still holds 2's first vote (for itself).
    expect(net.core(3n).snapshot().recvset.get(2n)?.leader).toBe(2n);
  });

  it('a better vote resumes the loop and is processed normally', () => {
    runScript(`
      servers 1,2,3
      option fast=off
      start 1,2; deliver all
      expect 2 LOOKING finalizing=yes; expect 1 LOOKING finalizing=yes
      tick 100
      start 3; deliver all                          # 3's vote reaches both inside their wait
      expect 2 LOOKING proposal=3
      tick 200
      expect 3 LEADING at=300
      expect 1 FOLLOWING 3; expect 2 FOLLOWING 3
    `);
  });

  it('a voter going away during the wait changes nothing', () => {
    runScript(`
      servers 1,2,3
      server 3 zxid=-1
      option fast=off
      start 1,2,3; deliver all
      expect 2 LOOKING finalizing=yes
      disconnect 2-3
      expect 2 LOOKING finalizing=yes
      tick 200
      expect 2 LEADING slow at=200
    `);
  });

  it('decides for the proposal with round = logicalclock', () => {
    runScript(`
      servers 1,2,3
      option fast=off
      start 1,2,3
      inject 1->3 LOOKING leader=3 round=4
      deliver all; run 200
      expect 3 LEADING round=4 clock=4
    `);
  });
});

describe('fast decision (on by default)', () => {
  it('decides with no finalize wait when every connected voter agrees', () => {
    const net = runScript(`
      servers 1,2,3,4,5
      start 1,2,3,4,5; deliver all
      expect 5 LEADING fast at=0
      expect 1 FOLLOWING 5 fast at=0
    `);
    expect(net.timeline.some((l) => l.includes('timer finalize'))).toBe(false);
  });

  it('a dead leader is not waited for: failover decides at once', () => {
    runScript(`
      servers 1,2,3,4,5
      server 5 zxid=0x100000009 epoch=1
      start 1,2,3,4,5; deliver all
      expect 5 LEADING fast
      crash 5
      look 1,2,3,4; deliver all
      expect 4 LEADING round=2 fast at=0
      expect 1 FOLLOWING 4 fast; expect 2 FOLLOWING 4 fast; expect 3 FOLLOWING 4 fast
    `);
  });

  it('falls back to finalizeWait while a connected voter has not voted yet, and its better vote wins', () => {
    runScript(`
      servers 1,2,3
      start 1,2,3
      drop 3->1; drop 3->2                # 3 is connected but its votes are late …
      deliver *->1; deliver *->2; deliver *->1; deliver *->2 # … and it has not read 1's and 2's yet
      expect 2 LOOKING finalizing=yes
      expect 1 LOOKING finalizing=yes
      tick 100
      inject 3->1 LOOKING leader=3 round=1 # better: resumes 1's loop
      inject 3->2 LOOKING leader=3 round=1
      deliver all
      expect 3 LEADING fast
      expect 1 FOLLOWING 3; expect 2 FOLLOWING 3
    `);
  });

  it('a connected voter that never agrees, and drops during the election, still costs finalizeWait', () => {
    runScript(`
      servers 1,2,3
      server 3 zxid=-1                    # 3 can never agree by LOOKING votes
      start 1,2,3
      deliver all
      expect 2 LOOKING finalizing=yes
      disconnect 2-3                      # a drop during the election may be a reconnect: not trusted
      expect 2 LOOKING finalizing=yes
      tick 200
      expect 2 LEADING slow at=200
    `);
  });

  it('a voter that never connected is waited for (finalizeWait), so its late, better vote wins as in ZooKeeper', () => {
    runScript(`
      servers 1,2,3
      server 3 zxid=0x5
      start 1,2
      deliver all
      expect 2 LOOKING finalizing=yes
      expect 1 LOOKING finalizing=yes
      tick 100
      start 3; deliver all
      run 400
      expect 3 LEADING
      expect 2 FOLLOWING 3; expect 1 FOLLOWING 3
    `);
  });

  it('what it can still miss: a voter lost before this election that comes back too late', () => {
    // 3 had crashed before the leader (5) did; it restarts with the best data just after the
    // survivors agree. ZooKeeper would have waited 200 ms and maybe elected it.
    runScript(`
      servers 1,2,3,4,5
      server 5 zxid=0x100000009 epoch=1
      start 1,2,3,4,5; deliver all
      expect 5 LEADING fast
      crash 3; crash 5
      look 1,2,4; deliver all
      expect 4 LEADING round=2 fast at=0
      expect 1 FOLLOWING 4 fast
    `);
  });

  it('with fast decision off, the same race waits and can elect the late, better voter', () => {
    runScript(`
      servers 1,2,3
      server 3 zxid=0x5
      option fast=off
      start 1,2
      deliver all
      tick 100
      start 3; deliver all
      run 400
      expect 3 LEADING
      expect 2 FOLLOWING 3
    `);
  });

  it('observers and non-voters do not hold fast decision back', () => {
    runScript(`
      servers 1,2,3
      server 4 observer
      start 4,1,2,3; deliver all
      expect 3 LEADING fast at=0
    `);
  });
});
