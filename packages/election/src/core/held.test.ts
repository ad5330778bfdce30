import { describe, expect, it } from 'vitest';
import { ServerState } from '@zkvote/wire';
import { parseDynamicConfig } from '@zkvote/quorum';
import { FastLeaderElection } from './fle.js';
import type { Action, ElectionNotification, ElectionOptions } from './types.js';

// S1 follows S3 (round 1). S3 dies; S2 notices first and sends S1 its round-2 vote while S1
// still follows. What S1 does with that vote when it starts looking itself is the subject here.

const verifier = parseDynamicConfig(
  [1, 2, 3].map((s) => `server.${s}=127.0.0.1:${2000 + s}:${3000 + s}:participant`).join('\n'),
).verifier;

const note = (state: ServerState, leader: bigint, round: bigint): ElectionNotification => ({
  state, leader, zxid: 0n, electionEpoch: round, peerEpoch: 0n, version: 2, config: null,
});

/** Feeds S1's notifications to itself back in (the loopback the driver provides), boundedly. */
function loopback(core: FastLeaderElection, first: Action[], now: number): Action[] {
  const all = [...first];
  let queue = first;
  for (let i = 0; i < 10 && queue.length > 0; i++) {
    const next: Action[] = [];
    for (const a of queue) if (a.type === 'send' && a.to === 1n) next.push(...core.receive(1n, a.notification, now));
    all.push(...next);
    queue = next;
  }
  return all;
}

/** S1 decided FOLLOWING S3 in round 1, connected to both. */
function followerOfThree(options: Partial<ElectionOptions> = {}): FastLeaderElection {
  const s1 = new FastLeaderElection({ myid: 1n, verifier, ...options });
  s1.connectionUp(2n);
  s1.connectionUp(3n);
  loopback(s1, s1.startLooking({ lastZxid: 0n, currentEpoch: 0n, now: 0 }), 0);
  s1.receive(3n, note(ServerState.LEADING, 3n, 1n), 1);
  s1.receive(2n, note(ServerState.FOLLOWING, 3n, 1n), 1);
  expect(s1.state).toBe(ServerState.FOLLOWING);
  expect(s1.currentVote?.leader).toBe(3n);
  return s1;
}

/** S3 dies at 1000; S2's round-2 vote for itself reaches S1 at `voteAt`; S1 starts looking at `lookAt`. */
function failover(s1: FastLeaderElection, voteAt: number, lookAt: number, round = 2n): Action[] {
  s1.connectionDown(3n);
  const reply = s1.receive(2n, note(ServerState.LOOKING, 2n, round), voteAt);
  // ZooKeeper's answer to a LOOKING voter while decided: our current vote.
  expect(reply.filter((a) => a.type === 'send')).toMatchObject([{ to: 2n, notification: { state: ServerState.FOLLOWING, leader: 3n } }]);
  return loopback(s1, s1.startLooking({ lastZxid: 0n, currentEpoch: 0n, now: lookAt }), lookAt);
}

const events = (out: Action[], kind: string) => out.filter((a) => a.type === 'event' && a.event.kind === kind);

describe('votes heard while following (fast mode)', () => {
  it('join the next election if recent: S1 follows S2 at once, with no message from S2 after it started looking', () => {
    const s1 = followerOfThree();
    const out = failover(s1, 1001, 1005);
    expect(events(out, 'replayed')).toMatchObject([{ event: { sid: 2n, ageMs: 4, notification: { leader: 2n, electionEpoch: 2n } } }]);
    expect(s1.state).toBe(ServerState.FOLLOWING);
    expect(out.find((a) => a.type === 'decided')).toMatchObject({ vote: { leader: 2n, electionEpoch: 2n }, fast: true, voters: [1n, 2n] });
    // Its broadcast of the adopted vote is what lets S2 decide in turn.
    expect(out.some((a) => a.type === 'send' && a.to === 2n && a.notification.leader === 2n && a.notification.state === ServerState.LOOKING)).toBe(true);
  });

  it('are dropped once older than heldVoteWindowMs: S1 proposes itself and waits for S2', () => {
    const s1 = followerOfThree({ heldVoteWindowMs: 50 });
    const out = failover(s1, 1001, 1052);
    expect(events(out, 'replayed')).toEqual([]);
    expect(s1.state).toBe(ServerState.LOOKING);
    expect(s1.proposal?.leader).toBe(1n);
  });

  it('are not replayed for a voter whose connection dropped since (it may have died right after sending)', () => {
    const s1 = followerOfThree();
    s1.connectionDown(3n);
    s1.receive(2n, note(ServerState.LOOKING, 2n, 2n), 1001);
    s1.connectionDown(2n);
    const out = loopback(s1, s1.startLooking({ lastZxid: 0n, currentEpoch: 0n, now: 1005 }), 1005);
    expect(events(out, 'replayed')).toEqual([]);
    expect(s1.proposal?.leader).toBe(1n);
  });

  it('are not replayed when the clock went backwards', () => {
    const s1 = followerOfThree();
    const out = failover(s1, 1001, 990);
    expect(events(out, 'replayed')).toEqual([]);
    expect(s1.state).toBe(ServerState.LOOKING);
  });

  it('are replayed only once', () => {
    const s1 = followerOfThree();
    failover(s1, 1001, 1005);
    // S1 follows S2 now; S2 dies too soon after, and S1 looks again with nothing held.
    s1.connectionDown(2n);
    const again = loopback(s1, s1.startLooking({ lastZxid: 0n, currentEpoch: 0n, now: 1010 }), 1010);
    expect(events(again, 'replayed')).toEqual([]);
  });

  it('are not kept in strict mode, nor with a window of 0, nor without a clock', () => {
    for (const s1 of [followerOfThree({ fastDecision: false }), followerOfThree({ heldVoteWindowMs: 0 })]) {
      const out = failover(s1, 1001, 1005);
      expect(events(out, 'replayed')).toEqual([]);
      expect(s1.state).toBe(ServerState.LOOKING);
    }
    const s1 = followerOfThree();
    s1.connectionDown(3n);
    s1.receive(2n, note(ServerState.LOOKING, 2n, 2n));
    const out = loopback(s1, s1.startLooking({ lastZxid: 0n, currentEpoch: 0n, now: 1005 }), 1005);
    expect(events(out, 'replayed')).toEqual([]);
  });

  it('are not kept from a round no newer than the one we decided in', () => {
    const s1 = followerOfThree();
    const out = failover(s1, 1001, 1005, 1n);
    expect(events(out, 'replayed')).toEqual([]);
    expect(s1.state).toBe(ServerState.LOOKING);
  });

  it('rejects a negative window', () => {
    expect(() => new FastLeaderElection({ myid: 1n, verifier, heldVoteWindowMs: -1 })).toThrow(/heldVoteWindowMs/);
  });
});
