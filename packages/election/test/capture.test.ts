// Replays the notifications captured from a real ZooKeeper 3.8.0 ensemble (cold start, failover,
// a third node joining, non-voter probes) through our cores, at the captured times, and checks
// that they decide what ZooKeeper decided and answer with byte-identical notifications.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildMsg, fromHex, parse, toHex, ServerState } from '@zkvote/wire';
import { parseNotificationConfig, type QuorumVerifier } from '@zkvote/quorum';
import { FastLeaderElection, type Action, type Decision, type ElectionNotification, type TimerName } from '../src/index.js';

interface Frame {
  scenario: string;
  kind: 'handshake' | 'notification';
  from_sid: number;
  to_sid: number;
  t_ms?: number;
  seq?: number;
  hex: string;
  source: string;
}

const frames = JSON.parse(readFileSync(new URL('./fixtures/zk-3.8.0-election-frames.json', import.meta.url), 'utf8')) as Frame[];
const notifications = (scenario: string): Frame[] => frames.filter((f) => f.scenario === scenario && f.kind === 'notification');
const payloadOf = (f: Frame): Uint8Array => fromHex(f.hex).subarray(4);

const configText = new TextDecoder().decode(parse(payloadOf(notifications('cold-start-3')[0] as Frame)).config ?? new Uint8Array());
const verifier: QuorumVerifier = (() => {
  const r = parseNotificationConfig(configText);
  if (!r.ok) throw r.error;
  return r.verifier;
})();

/** Cores that see exactly the captured traffic (plus their own loopback), on the captured clock. */
class Replay {
  now = 0;
  readonly cores = new Map<bigint, FastLeaderElection>();
  readonly timers = new Map<bigint, Map<TimerName, number>>();
  readonly decisions = new Map<bigint, Decision>();
  /** Non-loopback sends, newest last. */
  readonly sent: { from: bigint; to: bigint; n: ElectionNotification }[] = [];

  constructor(readonly fast: boolean) {}

  boot(sid: bigint): FastLeaderElection {
    const core = new FastLeaderElection({ myid: sid, verifier, fastDecision: this.fast });
    for (const [other, c] of this.cores) {
      c.connectionUp(sid);
      core.connectionUp(other);
    }
    this.cores.set(sid, core);
    this.timers.set(sid, new Map());
    return core;
  }

  look(sid: bigint, lastZxid: bigint, currentEpoch: bigint): void {
    this.apply(sid, this.core(sid).startLooking({ lastZxid, currentEpoch }));
  }

  core(sid: bigint): FastLeaderElection {
    const c = this.cores.get(sid);
    if (c === undefined) throw new Error(`no core ${sid}`);
    return c;
  }

  crash(sid: bigint): void {
    this.cores.delete(sid);
    this.timers.delete(sid);
    for (const other of this.cores.keys()) this.apply(other, this.core(other).connectionDown(sid));
  }

  /** Deliver one captured frame to its receiver at its capture time; returns the receiver's answers. */
  feed(f: Frame): ElectionNotification[] {
    this.advanceTo(f.t_ms ?? this.now);
    const to = BigInt(f.to_sid);
    const before = this.sent.length;
    const core = this.cores.get(to);
    if (core !== undefined) this.apply(to, core.receive(BigInt(f.from_sid), parse(payloadOf(f))));
    return this.sent.slice(before).filter((s) => s.from === to && s.to === BigInt(f.from_sid)).map((s) => s.n);
  }

  /** Let the given cores talk to each other until quiet (used to rebuild the state before a capture). */
  settle(sids: bigint[]): void {
    for (let i = 0; i < 10_000; i++) {
      const next = this.sent.findIndex((s) => sids.includes(s.from) && sids.includes(s.to));
      if (next < 0) return;
      const [s] = this.sent.splice(next, 1) as [{ from: bigint; to: bigint; n: ElectionNotification }];
      this.apply(s.to, this.core(s.to).receive(s.from, parse(buildMsg(s.n))));
    }
  }

  advanceTo(t: number): void {
    for (;;) {
      let next: { sid: bigint; timer: TimerName; due: number } | null = null;
      for (const [sid, ts] of this.timers) for (const [timer, due] of ts) if (due <= t && (next === null || due < next.due)) next = { sid, timer, due };
      if (next === null) break;
      this.now = next.due;
      this.timers.get(next.sid)?.delete(next.timer);
      this.apply(next.sid, this.core(next.sid).timerFired(next.timer, { someQueueEmpty: true }));
    }
    this.now = Math.max(this.now, t);
  }

  private apply(sid: bigint, actions: Action[]): void {
    const loopback: ElectionNotification[] = [];
    for (const a of actions) {
      if (a.type === 'send') {
        if (a.to === sid) loopback.push(a.notification);
        else this.sent.push({ from: sid, to: a.to, n: a.notification });
      } else if (a.type === 'setTimer') this.timers.get(sid)?.set(a.timer, this.now + a.delayMs);
      else if (a.type === 'cancelTimer') this.timers.get(sid)?.delete(a.timer);
      else if (a.type === 'decided') this.decisions.set(sid, a);
    }
    for (const n of loopback) if (this.cores.has(sid)) this.apply(sid, this.core(sid).receive(sid, n));
  }
}

const hexOf = (n: ElectionNotification): string => toHex(buildMsg(n));
const capturedHex = (f: Frame): string => toHex(payloadOf(f));

function expectDecision(r: Replay, sid: bigint, state: ServerState, leader: bigint, round: bigint): void {
  const d = r.decisions.get(sid);
  expect(d, `decision of ${sid}`).toBeDefined();
  expect({ sid, state: ServerState[d?.state ?? 0], leader: d?.vote.leader, round: d?.vote.electionEpoch }).toEqual({
    sid,
    state: ServerState[state],
    leader,
    round,
  });
}

/** 1, 2 and 3 elected 3 in round 1 and synchronised epoch 1 (the state before failover/probes). */
function ensembleLedBy3(r: Replay, lastZxid: bigint): void {
  for (const sid of [1n, 2n, 3n]) r.boot(sid);
  for (const sid of [1n, 2n, 3n]) r.look(sid, lastZxid, 0n);
  r.settle([1n, 2n, 3n]);
  r.advanceTo(r.now + 1000);
  for (const sid of [1n, 2n, 3n]) r.core(sid).updatePeerEpoch(1n);
  expectDecision(r, 3n, ServerState.LEADING, 3n, 1n);
  r.sent.length = 0;
}

describe.each([true, false])('ZooKeeper 3.8.0 captures replayed (fast decision %s)', (fast) => {
  it('cold start: 3 leads, 1 and 2 follow', () => {
    const r = new Replay(fast);
    for (const sid of [1n, 2n, 3n]) r.boot(sid);
    for (const sid of [1n, 2n, 3n]) r.look(sid, 0n, 0n);
    for (const f of notifications('cold-start-3')) r.feed(f);
    r.advanceTo(r.now + 1000);
    expectDecision(r, 3n, ServerState.LEADING, 3n, 1n);
    expectDecision(r, 1n, ServerState.FOLLOWING, 3n, 1n);
    expectDecision(r, 2n, ServerState.FOLLOWING, 3n, 1n);
  });

  // In failover-3, 1 still follows the dead leader when 2's first vote arrives (and answers it);
  // in failover-3-with-data it is already looking.
  for (const [scenario, zxid, oneLooksAt] of [
    ['failover-3', 0n, 3],
    ['failover-3-with-data', 0x100000006n, 1],
  ] as const) {
    it(`${scenario}: after 3 dies, 2 leads round 2 and 1 follows it`, () => {
      const r = new Replay(fast);
      ensembleLedBy3(r, zxid);
      r.crash(3n);
      r.now = 0;
      r.look(2n, zxid, 1n);
      expect(hexOf(r.sent.find((s) => s.to === 1n)?.n as ElectionNotification)).toBe(capturedHex(notifications(scenario)[0] as Frame));
      for (const f of notifications(scenario)) {
        if (f.seq === oneLooksAt) r.look(1n, zxid, 1n);
        const answers = r.feed(f);
        if (scenario === 'failover-3' && f.seq === 1) {
          // Still following 3: it answers with its vote, its own round 1 and the synced epoch.
          expect(answers.map(hexOf)).toEqual([capturedHex(notifications(scenario)[1] as Frame)]);
        }
      }
      r.advanceTo(r.now + 1000);
      expectDecision(r, 2n, ServerState.LEADING, 2n, 2n);
      expectDecision(r, 1n, ServerState.FOLLOWING, 2n, 2n);
    });
  }

  it('join: 3 starts late, hears leftovers then FOLLOWING/LEADING answers, and follows 2', () => {
    const r = new Replay(fast);
    for (const sid of [1n, 2n]) r.boot(sid);
    for (const sid of [1n, 2n]) r.look(sid, 0n, 0n);
    r.settle([1n, 2n]);
    r.advanceTo(r.now + 1000);
    for (const sid of [1n, 2n]) r.core(sid).updatePeerEpoch(1n);
    expectDecision(r, 2n, ServerState.LEADING, 2n, 1n);
    r.sent.length = 0;
    r.now = 0;
    r.boot(3n);
    r.look(3n, 0n, 0n);
    const frames = notifications('join-3rd-node');
    for (const f of frames) {
      const answers = r.feed(f);
      if (f.from_sid === 3) {
        // 1 (FOLLOWING) and 2 (LEADING) answer 3's LOOKING vote byte for byte like ZooKeeper.
        const reply = frames.find((g) => (g.seq ?? 0) > (f.seq ?? 0) && g.from_sid === f.to_sid && g.to_sid === 3);
        expect(answers.map(hexOf)).toEqual([capturedHex(reply as Frame)]);
      }
    }
    expectDecision(r, 3n, ServerState.FOLLOWING, 2n, 1n);
    expect(r.decisions.get(3n)?.path).toBe('recvset');
  });

  it('non-voter probes are answered with currentVote, logicalclock and state, byte for byte', () => {
    const r = new Replay(fast);
    ensembleLedBy3(r, 0n);
    const probe = notifications('non-voter-probe');
    for (const f of probe.filter((g) => g.from_sid === 99)) {
      const answers = r.feed(f);
      const reply = probe.find((g) => g.to_sid === 99 && g.from_sid === f.to_sid) as Frame;
      expect(answers.map(hexOf)).toEqual([capturedHex(reply)]);
    }
  });
});
