// The easy-to-get-wrong rules of PROTOCOL.md 4 and 7, one scenario each: rounds, lost messages
// and the doubling notification timeout, zero weights, observers, hierarchical and two-voter
// quorums, old message layouts, zxid -1, non-voter probes, unknown state codes.

import { describe, expect, it } from 'vitest';
import { ServerState } from '@zkvote/wire';
import { runScript } from './script.js';

describe('rounds', () => {
  it('a higher-round LOOKING vote is weighed against the initial vote and clears recvset', () => {
    const net = runScript(`
      servers 1,2,3
      server 3 zxid=0x9
      server 2 zxid=0x5
      start 1,3
      deliver 3->1
      expect 1 proposal=3 clock=1
      inject 2->1 LOOKING leader=2 zxid=0x5 round=2     # worse than 3, better than 1's own (1, 0)
      expect 1 LOOKING clock=2 proposal=2
    `);
    expect([...net.core(1n).snapshot().recvset.keys()]).toEqual([2n]);
    expect(net.lastSent(1n, 3n)).toMatchObject({ leader: 2n, electionEpoch: 2n });
  });

  it('a higher-round vote worse than the initial one falls back to the initial vote', () => {
    runScript(`
      servers 1,2,3
      server 1 zxid=0x7
      start 1
      inject 3->1 LOOKING leader=3 zxid=0x5 round=4
      expect 1 clock=4 proposal=1
    `);
  });

  it('a lower-round LOOKING vote is answered with the live proposal and otherwise ignored', () => {
    const net = runScript(`
      servers 1,2,3
      start 1
      inject 3->1 LOOKING leader=3 round=5
      expect 1 clock=5 proposal=3
      inject 2->1 LOOKING leader=2 round=1
      expect sent 1->2 LOOKING leader=3 round=5
      expect 1 proposal=3
    `);
    expect(net.core(1n).snapshot().recvset.has(2n)).toBe(false);
  });

  it('a decided server answers a LOOKING voter with its vote and its own round', () => {
    runScript(`
      servers 1,2,3
      start 1,2,3; deliver all
      sync 3 epoch=1
      inject 1->3 LOOKING leader=1 round=7
      expect sent 3->1 LEADING leader=3 round=1 epoch=1
    `);
  });
});

describe('lost messages and the notification timeout', () => {
  it('re-sends after 200 ms of silence, then doubles the wait up to the maximum', () => {
    const net = runScript(`
      servers 1,2,3
      start 1,2,3
      drop all
      tick 199
      expect queue=0
      tick 1                        # 200: every server re-sends its vote
      expect queue=9
      drop all
      tick 399; expect queue=0
      tick 1; expect queue=9        # 600: next wait was 400
      deliver all
      expect 3 LEADING at=600
    `);
    expect(net.core(1n).snapshot().notificationIntervalMs).toBe(800);
  });

  it('caps the doubling at maxNotificationInterval', () => {
    const net = runScript(`
      servers 1,2,3
      start 1
      run 200000
      expect 1 LOOKING
    `);
    const waits = net.node(1n).events.flatMap((e) => (e.kind === 'timeout' ? [e.nextIntervalMs] : []));
    expect(waits.slice(0, 10)).toEqual([400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000]);
  });

  it('asks for reconnection instead when every send queue is still busy', () => {
    const net = runScript(`
      servers 1,2,3
      start 1; deliver all
      busy 1
      tick 200
      expect queue=0
    `);
    expect(net.timeline).toContain('t=200 1 connectAll');
  });
});

describe('zero-weight servers (hierarchical weights)', () => {
  it('are never elected; they finish through FOLLOWING/LEADING answers', () => {
    const net = runScript(`
      servers 1,2,3
      config group.1=1:2:3
      config weight.3=0
      start 1,2,3
      deliver all
      expect 2 LOOKING finalizing=yes   # 3 is connected and disagrees: no fast decision
      tick 200
      expect 2 LEADING slow
      expect 1 FOLLOWING 2
      expect 3 LOOKING proposal=3       # a zero-weight server never switches away from itself...
      deliver all
      expect 3 FOLLOWING 2 path=recvset # ...its next re-send is answered by the decided servers
    `);
    expect(net.core(3n).state).toBe(ServerState.FOLLOWING);
  });
});

describe('observers', () => {
  it('propose nothing, are never counted, and end OBSERVING', () => {
    const net = runScript(`
      servers 1,2,3
      server 4 observer
      server 5 observer
      start 4,5,1,2,3
      deliver all
      run 2000
      expect 3 LEADING; expect 1 FOLLOWING 3; expect 2 FOLLOWING 3
      expect 4 OBSERVING 3; expect 5 OBSERVING 3
    `);
    const first = net.sent.find((s) => s.from === 4n);
    expect(first?.n).toMatchObject({ leader: -(2n ** 63n), zxid: -(2n ** 63n), peerEpoch: -(2n ** 63n) });
    expect(net.sent.some((s) => s.from === 4n && s.to === 4n)).toBe(false);
    for (const v of [1n, 2n, 3n]) {
      const snap = net.core(v).snapshot();
      expect([...snap.recvset.keys(), ...snap.outofelection.keys()]).not.toContain(4n);
    }
  });
});

describe('hierarchical quorums (PROTOCOL.md 5.4 example)', () => {
  const header = `
    servers 1,2,3,4,5,6,7,8,9,10,11
    config group.1=1:2:3
    config group.2=4:5:6
    config group.3=7:8:9
    config group.4=10:11
    config weight.6=2
    config weight.10=0
    config weight.11=0
  `;

  it('elects the highest sid with non-zero weight', () => {
    runScript(`
      ${header}
      start 1,2,3,4,5,6,7,8,9,10,11
      deliver all
      run 2000
      expect 9 LEADING
      expect 1 FOLLOWING 9; expect 6 FOLLOWING 9; expect 10 FOLLOWING 9; expect 11 FOLLOWING 9
    `);
  });

  it('{1,2,7,8} is a quorum (two groups)', () => {
    runScript(`${header}
      start 1,2,7,8; deliver all; run 200
      expect 8 LEADING; expect 1 FOLLOWING 8`);
  });

  it('{1,2,4,5,7} is not (only group 1 counts)', () => {
    runScript(`${header}
      start 1,2,4,5,7; deliver all; run 5000
      expect 7 LOOKING; expect 1 LOOKING`);
  });

  it('{4,6,8,9} is (weight 2 carries group 2)', () => {
    runScript(`${header}
      start 4,6,8,9; deliver all; run 200
      expect 9 LEADING; expect 6 FOLLOWING 9`);
  });
});

describe('two-voter ensembles', () => {
  it('need both voters', () => {
    runScript(`
      servers 1,2
      start 1; run 5000
      expect 1 LOOKING
      start 2; deliver all
      expect 2 LEADING; expect 1 FOLLOWING 2
      crash 2
      look 1; run 60000
      expect 1 LOOKING clock=2
    `);
  });
});

describe('mixed message versions', () => {
  it('28- and 40-byte peers still converge (LOOKING equality ignores version)', () => {
    runScript(`
      servers 1,2,3
      server 1 layout=legacy28 zxid=0x100000003 epoch=1
      server 2 layout=v0-40 zxid=0x100000003 epoch=1
      server 3 zxid=0x100000003 epoch=1
      start 3,1,2
      deliver all
      expect 3 LEADING fast
      expect 1 FOLLOWING 3; expect 2 FOLLOWING 3
    `);
  });

  it('a 28-byte sender is read with peerEpoch = zxid >> 32', () => {
    const net = runScript(`
      servers 1,2,3
      server 1 layout=legacy28 zxid=0x300000001 epoch=1
      start 2,1
      deliver 1->2
    `);
    // The wire cannot carry 1's real epoch (1): receivers derive 3, which makes 1 look better.
    expect(net.core(2n).proposal).toMatchObject({ leader: 1n, peerEpoch: 3n });
  });
});

describe('zxid -1 (autocreate off, empty data dir)', () => {
  it('a server with zxid -1 ignores LOOKING votes and is ignored, but follows the result', () => {
    const net = runScript(`
      servers 1,2,3
      server 3 zxid=-1
      start 1,2,3
      deliver all
      tick 200
      expect 2 LEADING slow; expect 1 FOLLOWING 2
      expect 3 LOOKING proposal=3
      deliver all
      expect 3 FOLLOWING 2
    `);
    const ignored = net.node(1n).events.filter((e) => e.kind === 'ignored' && e.reason === 'zxid-minus-one');
    expect(ignored.length).toBeGreaterThan(0);
  });

  it('two of three at -1 can never elect anyone', () => {
    runScript(`
      servers 1,2,3
      server 1 zxid=-1
      server 2 zxid=-1
      start 1,2,3; deliver all; run 10000
      expect 3 LOOKING; expect 1 LOOKING
    `);
  });
});

describe('non-voters and odd states', () => {
  it('a non-voter probe is answered with currentVote, logicalclock and my state', () => {
    const net = runScript(`
      servers 1,2,3
      server 1 zxid=0x100000002 epoch=1
      start 1
      inject 3->1 LOOKING leader=3 round=4
      inject 99->1 LOOKING leader=99 round=1
      expect sent 1->99 LOOKING leader=1 zxid=0x100000002 round=4 epoch=1
      inject 99->1 17 leader=99                    # unknown state code: still answered
      expect sent 1->99 LOOKING leader=1 round=4
    `);
    expect(net.core(1n).snapshot().recvset.has(99n)).toBe(false);
  });

  it('a decided server answers non-voters with its state and current round', () => {
    runScript(`
      servers 1,2,3
      start 1,2,3; deliver all
      inject 99->2 OBSERVING leader=3
      expect sent 2->99 FOLLOWING leader=3 round=1
    `);
  });

  it('drops unknown state codes from voters, ignores OBSERVING ones and votes for non-voters', () => {
    const net = runScript(`
      servers 1,2,3
      start 1
      inject 2->1 9 leader=2
      inject 2->1 OBSERVING leader=2
      inject 2->1 LOOKING leader=42
      expect 1 proposal=1
    `);
    const reasons = net.node(1n).events.flatMap((e) => (e.kind === 'ignored' ? [e.reason] : []));
    expect(reasons).toEqual(['unknown-state', 'observing', 'non-voter']);
  });

  it('a server that is decided ignores non-LOOKING notifications', () => {
    const net = runScript(`
      servers 1,2,3
      start 1,2,3; deliver all
      inject 1->2 FOLLOWING leader=1 round=9
      expect 2 FOLLOWING 3
    `);
    expect(net.node(2n).events.at(-1)).toMatchObject({ kind: 'ignored', reason: 'not-looking' });
  });
});

describe('joint quorums during a reconfiguration', () => {
  const header = `
    servers 1,2,3
    server 4 next
    server 5 next
    lastseen 1,2,3,4,5 version=0x100000000
  `;

  it('need a quorum of the committed AND of the newer last-seen configuration', () => {
    const net = runScript(`
      ${header}
      start 1,2; deliver all; run 2000
      expect 1 LOOKING; expect 2 LOOKING      # {1,2} is 2 of 3 but only 2 of 5
      start 4; deliver all; run 400           # 3 never connected: finalizeWait, not fast
      expect 2 LEADING; expect 1 FOLLOWING 2
      expect 4 FOLLOWING 2                     # 4 votes in the new config but proposed nobody (not a committed voter)
    `);
    expect(net.sent.find((s) => s.from === 4n)?.n.leader).toBe(-(2n ** 63n));
    expect(net.sent.some((s) => s.from === 1n && s.to === 5n)).toBe(true); // last-seen voters get notifications
  });

  it('a last-seen config that is not newer is not counted', () => {
    runScript(`
      servers 1,2,3
      server 4 next
      server 5 next
      lastseen 1,2,3,4,5 version=0
      start 1,2; deliver all; run 400
      expect 2 LEADING; expect 1 FOLLOWING 2
    `);
  });
});
