// Review against ZooKeeper 3.8's FastLeaderElection: one test per rule that the rest of the suite
// let slip (each was checked by breaking the rule in the core and watching this file fail).

import { describe, expect, it } from 'vitest';
import { ServerState } from '@zkvote/wire';
import { parseDynamicConfig } from '@zkvote/quorum';
import { FastLeaderElection, type Action, type ElectionNotification } from '../src/index.js';

const lines = (sids: number[]) => sids.map((s) => `server.${s}=127.0.0.1:${2000 + s}:${3000 + s}:participant`).join('\n');
const verifier = parseDynamicConfig(lines([1, 2, 3])).verifier;
const utf8 = (s: string) => new TextEncoder().encode(s);

function note(state: ServerState, leader: bigint, round: bigint, extra: Partial<ElectionNotification> = {}): ElectionNotification {
  return { state, leader, zxid: 0n, electionEpoch: round, peerEpoch: 0n, version: 2, config: null, ...extra };
}
const sends = (out: Action[]) => out.flatMap((a) => (a.type === 'send' ? [a] : []));
const decided = (out: Action[]) => out.find((a) => a.type === 'decided');

/** A core for `myid` in {1,2,3} that has started round 1 (fast decision off: ZooKeeper timing). */
function core(myid: bigint, opts: { fast?: boolean } = {}): FastLeaderElection {
  const fle = new FastLeaderElection({ myid, verifier, fastDecision: opts.fast ?? false });
  fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
  return fle;
}

describe('receiver replies (PROTOCOL.md 4.5)', () => {
  it('a lower-round LOOKING voter gets an immediate reply with the live proposal and my logicalclock', () => {
    const fle = core(1n);
    fle.receive(3n, note(ServerState.LOOKING, 3n, 4n)); // round 4, proposal 3
    const out = fle.receive(2n, note(ServerState.LOOKING, 2n, 1n));
    expect(sends(out)).toEqual([
      { type: 'send', to: 2n, notification: expect.objectContaining({ state: ServerState.LOOKING, leader: 3n, electionEpoch: 4n }) },
    ]);
  });

  it('a non-voter is answered with currentVote, not the live proposal, even after the proposal moved', () => {
    const fle = new FastLeaderElection({ myid: 1n, verifier });
    fle.startLooking({ lastZxid: 5n, currentEpoch: 2n });
    fle.receive(3n, note(ServerState.LOOKING, 3n, 1n, { zxid: 9n, peerEpoch: 2n }));
    expect(fle.proposal?.leader).toBe(3n);
    const out = fle.receive(9n, note(ServerState.LOOKING, LONG_MIN_ID, 1n));
    expect(sends(out)[0]?.notification).toMatchObject({ state: ServerState.LOOKING, leader: 1n, zxid: 5n, peerEpoch: 2n, electionEpoch: 1n });
  });

  it('currentVote is not reset by a later lookForLeader: non-voters still hear the last decision', () => {
    const fle = core(3n);
    fle.receive(3n, note(ServerState.LOOKING, 3n, 1n));
    fle.receive(2n, note(ServerState.LOOKING, 3n, 1n));
    fle.timerFired('finalize', { someQueueEmpty: true });
    expect(fle.state).toBe(ServerState.LEADING);
    fle.startLooking({ lastZxid: 7n, currentEpoch: 1n });
    const out = fle.receive(9n, note(ServerState.LOOKING, LONG_MIN_ID, 0n));
    // (3, zxid 0, peerEpoch 0) from round 1, answered with logicalclock 2 and my state LOOKING.
    expect(sends(out)[0]?.notification).toMatchObject({ state: ServerState.LOOKING, leader: 3n, zxid: 0n, peerEpoch: 0n, electionEpoch: 2n });
  });
});

describe('FOLLOWING/LEADING notifications (PROTOCOL.md 4.6 f, checklist 11, 12)', () => {
  it('same round: stored with version 0, so 3.5+ reports match on leader id even with different peerEpochs', () => {
    const fle = core(3n);
    expect(decided(fle.receive(1n, note(ServerState.FOLLOWING, 2n, 1n, { peerEpoch: 0n })))).toBeUndefined();
    const out = fle.receive(2n, note(ServerState.LEADING, 2n, 1n, { peerEpoch: 1n }));
    expect(decided(out)).toMatchObject({ state: ServerState.FOLLOWING, path: 'recvset', vote: { leader: 2n, peerEpoch: 1n } });
  });

  it("the leader's own LOOKING vote is not its LEADING report (checkLeader)", () => {
    const fle = core(3n);
    fle.receive(2n, note(ServerState.LOOKING, 2n, 1n, { peerEpoch: 1n }));
    // 2's LOOKING vote equals the FOLLOWING target in full, so a quorum is there; checkLeader is not.
    const out = fle.receive(1n, note(ServerState.FOLLOWING, 2n, 1n, { peerEpoch: 1n }));
    expect(decided(out)).toBeUndefined();
    expect(fle.looking).toBe(true);
  });

  it('lower-round reports go to outofelection only, never to recvset', () => {
    const fle = core(3n);
    fle.receive(1n, note(ServerState.LOOKING, 1n, 5n)); // now round 5
    fle.receive(1n, note(ServerState.FOLLOWING, 2n, 1n, { peerEpoch: 0n }));
    const out = fle.receive(2n, note(ServerState.LEADING, 2n, 1n, { peerEpoch: 1n }));
    // Out of election 3.5+ votes must agree on peerEpoch too: no decision.
    expect(decided(out)).toBeUndefined();
    expect(fle.snapshot().recvset.get(2n)).toBeUndefined();
    expect(fle.snapshot().outofelection.get(2n)).toMatchObject({ state: ServerState.LEADING, version: 2 });
  });

  it('recvset and outofelection are local to one lookForLeader', () => {
    const fle = core(3n);
    fle.receive(1n, note(ServerState.FOLLOWING, 2n, 1n));
    expect(decided(fle.receive(2n, note(ServerState.LEADING, 2n, 1n)))).toBeDefined();
    fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    expect(fle.snapshot().recvset.size).toBe(0);
    expect(fle.snapshot().outofelection.size).toBe(0);
    // Alone, the leader's report in round 2 is not a quorum: 1's round-1 report must not count.
    expect(decided(fle.receive(2n, note(ServerState.LEADING, 2n, 2n)))).toBeUndefined();
  });
});

describe('notification timeout (PROTOCOL.md 4.6 b)', () => {
  it('starts again from minNotificationInterval at every lookForLeader', () => {
    const fle = core(1n);
    fle.timerFired('notification', { someQueueEmpty: true });
    fle.timerFired('notification', { someQueueEmpty: true });
    expect(fle.snapshot().notificationIntervalMs).toBe(800);
    fle.receive(1n, note(ServerState.LOOKING, 3n, 1n));
    fle.receive(3n, note(ServerState.LOOKING, 3n, 1n));
    fle.timerFired('finalize', { someQueueEmpty: true });
    expect(fle.state).toBe(ServerState.FOLLOWING);
    const out = fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    expect(out).toContainEqual({ type: 'setTimer', timer: 'notification', delayMs: 200 });
  });
});

describe('config gossip (PROTOCOL.md 3.6)', () => {
  it('an older-version config that differs never restarts the election', () => {
    const mine = parseDynamicConfig(lines([1, 2, 3]), { version: 0x200000000n }).verifier;
    const older = utf8(parseDynamicConfig(lines([1, 2, 4]), { version: 0x100000000n }).verifier.toString());
    const fle = new FastLeaderElection({ myid: 1n, verifier: mine });
    fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    const out = fle.receive(2n, note(ServerState.LOOKING, 2n, 1n, { config: older }));
    expect(out.some((a) => a.type === 'restart')).toBe(false);
    expect(fle.proposal?.leader).toBe(2n);
  });
});

const LONG_MIN_ID = -(2n ** 63n);
