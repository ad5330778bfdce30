// Fast mode answers a same-round LOOKING voter whose vote is strictly worse than our proposal, but
// only when that voter showed it did not take our latest broadcast: since we last sent it, it
// answered FOLLOWING/LEADING or LOOKING in an older round (README "Fast decision"). A vote that
// merely crossed our broadcast, or one whose only problem is a silently lost message, gets no
// answer (the notification timeout covers it, as in ZooKeeper). Strict mode never answers
// (PROTOCOL.md 4.6(d)3). The answer is one extra message, never a different decision rule.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Net, type ServerSpec } from './harness.js';
import { runScript } from './script.js';

/** 3 is connected and the best, but its first votes are lost: 1 and 2 agree on 2 without it. */
const lateBest = (fast: 'on' | 'off'): string => `
  servers 1,2,3
  option fast=${fast}
  start 1,2,3
  drop 3->1; drop 3->2
  deliver all
`;

function replies(net: Net, sid: bigint): string[] {
  return net.node(sid).events.flatMap((e) => (e.kind === 'replied' ? [`${e.reason} ${e.to}`] : []));
}

function worseVoteReplies(net: Net): number {
  return [...net.nodes.values()].reduce((n, node) => n + node.events.filter((e) => e.kind === 'replied' && e.reason === 'worse-vote').length, 0);
}

describe('a same-round voter with a worse vote', () => {
  for (const fast of ['on', 'off'] as const) {
    it(`fast ${fast}: is not answered when our broadcast was silently lost (the timeout covers it, as in ZooKeeper)`, () => {
      const net = runScript(`
        ${lateBest(fast)}
        expect 1 LOOKING finalizing=yes proposal=2
        expect 2 LOOKING finalizing=yes proposal=2
        expect 3 LOOKING proposal=3
      `);
      expect(replies(net, 3n)).toEqual([]);
      expect(net.sent.filter((s) => s.from === 3n && s.to !== 3n)).toHaveLength(2); // the lost broadcast only
    });
  }

  it('fast on: a vote that merely crossed our broadcast is not answered (cold start, every order of one round)', () => {
    for (const order of ['1,2,3', '3,2,1', '2,3,1']) {
      const net = runScript(`
        servers 1,2,3
        start ${order}
        deliver all
        expect 3 LEADING round=1 fast at=0
        expect 1 FOLLOWING 3 fast; expect 2 FOLLOWING 3 fast
      `);
      expect(worseVoteReplies(net), `order ${order}`).toBe(0);
    }
  });

  it('fast on: is answered during finalizeWait too, which then ends as soon as the voter agrees', () => {
    const net = runScript(`
      servers 1,2,3,4,5
      start 1,2,3,4,5; deliver all
      expect 5 LEADING fast
      crash 5
      look 2,3,4; deliver all                 # 1 is still following: it answered 4 and dropped the vote
      expect 4 LOOKING finalizing=yes         # quorum {2,3,4}, but 1 is connected and silent
      look 1                                  # 1 enters round 2 voting for itself
      deliver all
      expect 4 LEADING round=2 fast at=0      # strict: at 400 (1's re-send re-arms the wait), 1 at 600
      expect 1 FOLLOWING 4 round=2 fast
    `);
    expect(net.node(4n).events.some((e) => e.kind === 'finalize-discarded' && e.sid === 1n)).toBe(true);
    expect(replies(net, 4n)).toContain('worse-vote 1');
  });

  it('is answered once per broadcast, only to a voter that answered FOLLOWING/LEADING or an older round since', () => {
    const net = runScript(`
      servers 1,2,3
      start 3                                 # 1 and 2 are down: 3 stays LOOKING in round 1
      inject 1->3 LOOKING leader=1 round=1    # worse, but 1 may simply not have read our vote yet
    `);
    expect(replies(net, 3n)).toEqual([]);
    runScript(`
      inject 1->3 FOLLOWING leader=2 round=1 epoch=0 # 1 answered instead of taking our vote
      inject 2->3 LOOKING leader=2 round=0    # 2 was in an older round (gets the ordinary stale-round answer)
      inject 1->3 LOOKING leader=1 round=1    # worse: answered
      expect sent 3->1 LOOKING leader=3 round=1
      inject 2->3 LOOKING leader=2 round=1    # worse: answered
      expect sent 3->2 LOOKING leader=3 round=1
      inject 1->3 LOOKING leader=1 round=1    # already answered since the broadcast: not again
    `, net);
    expect(replies(net, 3n)).toEqual(['stale-round 2', 'worse-vote 1', 'worse-vote 2']);
    runScript(`
      inject 1->3 FOLLOWING leader=2 round=1 epoch=0
      run 200                                 # 3's notification timeout re-broadcasts: evidence reset
      inject 1->3 LOOKING leader=1 round=1
    `, net);
    expect(net.node(3n).events.some((e) => e.kind === 'timeout' && e.resent)).toBe(true);
    expect(replies(net, 3n)).toEqual(['stale-round 2', 'worse-vote 1', 'worse-vote 2']);
  });

  it('is not answered when it equals our proposal, comes from ourselves, or carries zxid -1', () => {
    const net = runScript(`
      servers 1,2,3
      start 3
      inject 1->3 FOLLOWING leader=2 round=1 epoch=0; inject 2->3 FOLLOWING leader=1 round=1 epoch=0
      inject 3->3 FOLLOWING leader=1 round=1 epoch=0
      inject 2->3 LOOKING leader=3 round=1    # equal
      inject 3->3 LOOKING leader=1 round=1    # our own (stale) loopback
      inject 1->3 LOOKING leader=1 round=1 zxid=-1
    `);
    expect(replies(net, 3n)).toEqual([]);
    runScript(`
      inject 1->3 LOOKING leader=1 round=1    # worse, and 1 showed it missed our vote: answered
      expect sent 3->1 LOOKING leader=3 round=1
    `, net);
    expect(replies(net, 3n)).toEqual(['worse-vote 1']);
  });

  it('is not answered by a server whose own proposal has zero weight (no ping-pong with it)', () => {
    const net = runScript(`
      servers 1,2,3
      config group.1=1:2:3
      config weight.3=0
      start 3
      inject 1->3 FOLLOWING leader=2 round=1 epoch=0; inject 2->3 FOLLOWING leader=1 round=1 epoch=0
      inject 1->3 LOOKING leader=1 round=1    # 3's vote for itself never wins, so it is not "better"
      inject 2->3 LOOKING leader=2 round=1
    `);
    expect(replies(net, 3n)).toEqual([]);
  });

  it('answers always settle and elect the best server, whatever the delivery order and weights', () => {
    const server = fc.record({ zxid: fc.bigInt({ min: 0n, max: 2n }), epoch: fc.bigInt({ min: 0n, max: 1n }), zero: fc.boolean() });
    fc.assert(
      fc.property(fc.array(server, { minLength: 3, maxLength: 5 }), fc.array(fc.nat(), { minLength: 150, maxLength: 150 }), (servers, picks) => {
        const specs: ServerSpec[] = servers.map((s, i) => ({ sid: BigInt(i + 1), observer: false, zxid: (s.epoch << 32n) | s.zxid, epoch: s.epoch, layout: 'v2' }));
        const weighted = specs.filter((_, i) => servers[i]?.zero !== true);
        fc.pre(weighted.length * 2 > specs.length); // a quorum of weighted voters exists
        const zero = specs.filter((_, i) => servers[i]?.zero === true);
        const extraConfig = [`group.1=${specs.map((s) => s.sid).join(':')}`, ...zero.map((s) => `weight.${s.sid}=0`)];
        const net = new Net(specs, { fast: true, extraConfig });
        for (const s of specs) net.boot(s.sid);
        for (const p of picks) {
          if (net.queue.length === 0) break;
          const m = net.queue[p % net.queue.length];
          if (m !== undefined) net.deliverOne(m.from, m.to);
        }
        net.deliverAll(); // throws if the exchange never settles
        net.advance(5000, true);
        const order = (a: ServerSpec, b: ServerSpec): number =>
          a.epoch !== b.epoch ? Number(b.epoch - a.epoch) : a.zxid !== b.zxid ? Number(b.zxid - a.zxid) : Number(b.sid - a.sid);
        const best = [...weighted].sort(order)[0] as ServerSpec;
        for (const s of specs) expect(net.decision(s.sid)?.vote.leader, `server ${s.sid}`).toBe(best.sid);
      }),
      { numRuns: 300, seed: 0x0dd5 },
    );
  });
});
