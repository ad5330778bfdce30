// Review of fast decision: it may skip finalizeWait only for voters known to be gone, never for
// one whose connection is merely being replaced (the connection manager's tie-break churn when
// both sides dial at once), and never while a voter heard in this round still disagrees.

import { describe, expect, it } from 'vitest';
import { ServerState } from '@zkvote/wire';
import { parseDynamicConfig } from '@zkvote/quorum';
import { FastLeaderElection, type ElectionNotification } from '../src/index.js';
import { runScript } from './script.js';

const verifier = parseDynamicConfig(
  [1, 2, 3].map((s) => `server.${s}=127.0.0.1:${2000 + s}:${3000 + s}:participant`).join('\n'),
).verifier;
const looking = (leader: bigint, round = 1n): ElectionNotification => ({
  state: ServerState.LOOKING, leader, zxid: 0n, electionEpoch: round, peerEpoch: 0n, version: 2, config: null,
});

describe('fast decision under review', () => {
  it('cold-start churn: a connection replaced mid-election does not let a lower server win', () => {
    // 3 is the best server. Its connections to 1 and 2 are torn down and re-opened by the
    // tie-break before its votes get through; 1 and 2 already agree on 2. ZooKeeper waits 200 ms,
    // hears 3 and elects it; so must we.
    runScript(`
      servers 1,2,3
      start 1,2,3
      drop 3->*
      disconnect 1-3; disconnect 2-3
      deliver all
      expect 1 LOOKING finalizing=yes
      expect 2 LOOKING finalizing=yes
      connect 1-3; connect 2-3
      inject 3->1 LOOKING leader=3 round=1  # the vote the reconnect re-sends
      inject 3->2 LOOKING leader=3 round=1
      deliver all; run 400
      expect 3 LEADING
      expect 1 FOLLOWING 3; expect 2 FOLLOWING 3
    `);
  });

  it('failover where the dead leader drops only after the survivors started looking: still fast', () => {
    runScript(`
      servers 1,2,3,4,5
      server 5 zxid=0x100000009 epoch=1
      start 1,2,3,4,5; deliver all
      expect 5 LEADING fast
      look 1,2,3,4
      drop *->5
      deliver all
      expect 4 LOOKING finalizing=yes      # 5 is still connected and silent
      crash 5                              # the leader we followed goes away: trusted at once
      expect 4 LEADING round=2 fast
      run 2000                             # 5's old LEADING replies broke 1's wait, it finishes later
      expect 1 FOLLOWING 4; expect 2 FOLLOWING 4; expect 3 FOLLOWING 4
    `);
  });

  it('a voter heard in this round that still disagrees holds fast decision back, even if it is gone', () => {
    const fle = new FastLeaderElection({ myid: 2n, verifier });
    fle.connectionUp(3n);
    fle.connectionDown(3n); // lost before the election: may be skipped while silent
    fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    fle.receive(2n, looking(2n));
    fle.receive(3n, looking(1n)); // but 3 did speak, for someone else
    const out = fle.receive(1n, looking(2n));
    expect(out.some((a) => a.type === 'decided')).toBe(false);
    expect(fle.snapshot().finalizing).toBe(true);
  });

  it('a voter lost before the election and silent since is skipped', () => {
    const fle = new FastLeaderElection({ myid: 2n, verifier });
    fle.connectionUp(3n);
    fle.connectionDown(3n);
    fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    fle.receive(2n, looking(2n));
    const out = fle.receive(1n, looking(2n));
    expect(out.find((a) => a.type === 'decided')).toMatchObject({ fast: true, state: ServerState.LEADING });
  });

  it('a voter that comes back during the election must agree again', () => {
    const fle = new FastLeaderElection({ myid: 2n, verifier });
    fle.connectionUp(3n);
    fle.connectionDown(3n);
    fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    fle.connectionUp(3n);
    fle.receive(2n, looking(2n));
    expect(fle.receive(1n, looking(2n)).some((a) => a.type === 'decided')).toBe(false);
    expect(fle.receive(3n, looking(2n)).find((a) => a.type === 'decided')).toMatchObject({ fast: true });
  });

  it('a voter that comes back and drops again during the election is waited for (the new drop may be churn)', () => {
    const fle = new FastLeaderElection({ myid: 2n, verifier });
    fle.connectionUp(3n);
    fle.connectionDown(3n);
    fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    fle.connectionUp(3n);
    fle.connectionDown(3n);
    fle.receive(2n, looking(2n));
    expect(fle.receive(1n, looking(2n)).some((a) => a.type === 'decided')).toBe(false);
    expect(fle.timerFired('finalize', { someQueueEmpty: true }).find((a) => a.type === 'decided')).toMatchObject({ fast: false });
  });
});
