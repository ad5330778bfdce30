// Leader crash and re-election, and a server joining an established ensemble through the
// FOLLOWING/LEADING answers of servers that are no longer looking (same round and later round).

import { describe, expect, it } from 'vitest';
import { runScript } from './script.js';

const elected3 = (header = ''): string => `
  servers 1,2,3
  ${header}
  start 1,2,3; deliver all; run 200
  expect 3 LEADING round=1
  sync 1,2,3 epoch=1
`;

describe('leader crash', () => {
  for (const fast of ['on', 'off']) {
    it(`survivors look again in round 2 and elect 2 (fast ${fast}); their crossed votes get no extra answer`, () => {
      const net = runScript(`
        ${elected3(`option fast=${fast}`)}
        crash 3
        look 1,2
        expect 1 clock=2; expect 2 clock=2
        deliver all
        ${fast === 'on' ? 'expect 2 LEADING round=2 fast' : 'run 200; expect 2 LEADING round=2 slow'}
        expect 1 FOLLOWING 2 round=2
      `);
      const answered = [1n, 2n].flatMap((sid) => net.node(sid).events.filter((e) => e.kind === 'replied' && e.reason === 'worse-vote'));
      expect(answered).toEqual([]);
    });
  }

  it('the survivor with the newer zxid wins', () => {
    runScript(`
      servers 1,2,3
      server 1 zxid=0x100000006 epoch=1
      server 2 zxid=0x100000004 epoch=1
      server 3 zxid=0x100000009 epoch=1
      start 1,2,3; deliver all; run 200
      expect 3 LEADING
      crash 3
      look 1,2; deliver all
      expect 1 LEADING round=2 zxid=0x100000006
      expect 2 FOLLOWING 1
    `);
  });

  it('a survivor that is still following answers, then looks in the later round (fast off: a worse same-round vote gets no answer)', () => {
    const net = runScript(`
      ${elected3('option fast=off')}
      crash 3
      look 2
      deliver 2->1                # 1 has not noticed yet: it answers FOLLOWING 3 of round 1
      expect sent 1->2 FOLLOWING leader=3 round=1 epoch=1
      look 1
      deliver all
      expect 2 LOOKING            # 2's vote was answered, not counted: 1 never saw it
      run 400                     # 2's notification timeout re-sends it (the captured failover-3 shows the same)
      expect 2 LOOKING            # t=600: 1's re-send at 400 restarted 2's poll, which re-sent at 600
      run 200
      expect 2 LEADING round=2 slow at=800 # … then finalizeWait
      expect 1 FOLLOWING 2 round=2
    `);
    expect(net.core(2n).snapshot().outofelection.get(1n)?.leader).toBe(3n);
    expect(net.node(2n).events.some((e) => e.kind === 'replied' && e.reason === 'worse-vote')).toBe(false);
  });

  it('fast on: the same failover converges at once: 1 answered FOLLOWING, so 2 answers its worse same-round vote', () => {
    const net = runScript(elected3());
    const [before1, before2] = [net.node(1n).events.length, net.node(2n).events.length];
    runScript(`
      crash 3
      look 2
      deliver 2->1                # 1 has not noticed yet: it answers FOLLOWING 3 of round 1
      expect sent 1->2 FOLLOWING leader=3 round=1 epoch=1
      look 1                      # 1 enters round 2 voting for itself, worse than 2's proposal
      deliver all                 # 2 reads the FOLLOWING answer (1 missed its vote), then 1's worse vote
      expect sent 2->1 LOOKING leader=2 round=2 epoch=1
      expect 2 LEADING round=2 fast at=200 # the instant both survivors look (strict: 800)
      expect 1 FOLLOWING 2 round=2 fast at=200
    `, net);
    const replies = net.node(2n).events.slice(before2).flatMap((e) => (e.kind === 'replied' ? [`${e.reason} ${e.to}`] : []));
    expect(replies).toEqual(['worse-vote 1']);
    const adopted = net.node(1n).events.slice(before1).find((e) => e.kind === 'proposal' && e.reason === 'better-vote');
    expect(adopted).toMatchObject({ from: 2n, vote: { leader: 2n, electionEpoch: 2n } });
  });

  it('a lone survivor of three never decides', () => {
    runScript(`
      ${elected3()}
      crash 2,3
      look 1
      run 60000
      expect 1 LOOKING clock=2
    `);
  });
});

describe('joining an established ensemble', () => {
  it("same round: the recvset path needs the leader's own LEADING answer (checkLeader)", () => {
    runScript(`
      servers 1,2,3
      start 1,2; deliver all; run 200
      expect 2 LEADING round=1
      sync 1,2 epoch=1
      start 3
      deliver 1->3                # leftovers and 1's FOLLOWING answer: not enough without the leader
      expect 3 LOOKING
      deliver all
      expect 3 FOLLOWING 2 round=1 path=recvset epoch=1
    `);
  });

  it('same round with a version-0 (40-byte) follower: stored version 0 vs target version 0 needs peerEpoch', () => {
    runScript(`
      servers 1,2,3
      server 1 layout=v0-40
      start 1,2; deliver all; run 200
      sync 1,2 epoch=1
      start 3; deliver all
      expect 3 FOLLOWING 2 round=1 epoch=1
    `);
  });

  it('later round: the outofelection path adopts the ensemble round', () => {
    runScript(`
      ${elected3()}
      crash 3
      look 1,2; deliver all; run 200
      expect 2 LEADING round=2
      sync 1,2 epoch=2
      drop *->3                   # forget the round-2 LOOKING leftovers waiting in 1's and 2's send slots
      start 3                     # fresh election object: round 1
      deliver all
      expect 3 FOLLOWING 2 round=2 path=outofelection epoch=2 clock=2
    `);
  });

  it('out of election, 3.5+ servers must agree on peerEpoch too', () => {
    // Follower 1 has synced epoch 2, the leader still reports 1: no match on (id, peerEpoch).
    runScript(`
      ${elected3()}
      crash 3
      look 1,2; deliver all; run 200
      sync 1 epoch=2
      sync 2 epoch=1
      drop *->3
      start 3
      deliver all
      expect 3 LOOKING
    `);
  });

  it('out of election, a version-0 follower matches the leader on id alone', () => {
    runScript(`
      servers 1,2,3
      server 1 layout=v0-40
      start 1,2,3; deliver all; run 200
      crash 3
      look 1,2; deliver all; run 200
      expect 2 LEADING round=2
      sync 1 epoch=1
      sync 2 epoch=2
      drop *->3
      start 3
      deliver all
      expect 3 FOLLOWING 2 path=outofelection epoch=2
    `);
  });

  it('an observer joins through the same answers and becomes OBSERVING', () => {
    const net = runScript(`
      servers 1,2,3
      server 4 observer
      start 1,2,3; deliver all; run 200
      sync 1,2,3 epoch=1
      start 4
      deliver all
      expect 4 OBSERVING 3 round=1
    `);
    expect([...net.core(3n).snapshot().recvset.keys()]).not.toContain(4n);
  });

  it('checkLeader for myself: followers of my current round make me lead again', () => {
    runScript(`
      servers 1,2,3
      start 3
      inject 1->3 FOLLOWING leader=3 round=1 epoch=1
      inject 2->3 FOLLOWING leader=3 round=1 epoch=1
      expect 3 LEADING round=1 path=recvset
    `);
  });

  it('checkLeader for myself: followers of another round never resurrect my leadership (ZOOKEEPER-1514)', () => {
    runScript(`
      servers 1,2,3
      start 3
      inject 1->3 FOLLOWING leader=3 round=2 epoch=1
      inject 2->3 FOLLOWING leader=3 round=2 epoch=1
      expect 3 LOOKING clock=1
    `);
  });

  it('checkLeader for someone else: a quorum of followers is not enough without the LEADING report', () => {
    runScript(`
      servers 1,2,3,4,5
      start 5
      inject 1->5 FOLLOWING leader=4 round=3 epoch=1
      inject 2->5 FOLLOWING leader=4 round=3 epoch=1
      inject 3->5 FOLLOWING leader=4 round=3 epoch=1
      expect 5 LOOKING
      inject 4->5 LEADING leader=4 round=3 epoch=1
      expect 5 FOLLOWING 4 round=3 path=outofelection clock=3
    `);
  });
});

