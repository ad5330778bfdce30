// What happens after a decision, in the least detail that makes failover meaningful (the README
// states the model): a leader with a quorum of reachable followers establishes a new epoch and
// its followers synchronise; a leader that gathers no quorum within initLimit, or loses it for
// detectionDelay, steps down; a follower whose leader is dead, unreachable, not (or no longer)
// leading for detectionDelay goes back to LOOKING. Failure detection is sampled on a tick.

import type { QuorumVerifier } from '@zkvote/quorum';
import type { TimerName } from '@zkvote/election';
import { makeZxid } from '@zkvote/wire';
import type { ServerSpec } from './scenario.js';
import type { DecisionRecord, ElectionCore, EpochRecord, StateName } from './types.js';

/** One simulated server: process state, persisted state, and its place in the model. */
export interface Peer {
  spec: ServerSpec;
  voter: boolean;
  up: boolean;
  /** Bumped by every (re)start: timers and loopback messages of an older life are void. */
  life: number;
  core: ElectionCore | null;
  role: StateName | 'DOWN';
  leader: bigint | null;
  round: bigint | null;
  /** Persisted across crashes (the data directory). */
  lastZxid: bigint;
  currentEpoch: bigint;
  acceptedEpoch: bigint;
  /** Current election run (index into SimResult.elections). */
  election: number | null;
  decision: DecisionRecord | null;
  timers: Map<TimerName, number>;
  unhealthySince: number | null;
  /** Leaders: the epoch they established. Learners: the epoch they synchronised to. */
  epoch: bigint | null;
  /** Learners: the leader's decision they connected to; if that leadership ends, so does theirs. */
  session: DecisionRecord | null;
}

export function newPeer(spec: ServerSpec, voter: boolean): Peer {
  return {
    spec,
    voter,
    up: false,
    life: 0,
    core: null,
    role: 'DOWN',
    leader: null,
    round: null,
    lastZxid: spec.zxid,
    currentEpoch: spec.peerEpoch,
    acceptedEpoch: spec.peerEpoch,
    election: null,
    decision: null,
    timers: new Map(),
    unhealthySince: null,
    epoch: null,
    session: null,
  };
}

export interface RoleContext {
  now(): number;
  reachable(a: bigint, b: bigint): boolean;
  readonly peers: ReadonlyMap<bigint, Peer>;
  readonly verifier: QuorumVerifier;
  readonly epochs: EpochRecord[];
  readonly initLimitMs: number;
  readonly detectionDelayMs: number;
}

export interface SteppingDown {
  peer: Peer;
  reason: string;
}

export class RoleModel {
  constructor(private readonly ctx: RoleContext) {}

  /**
   * A leader with a quorum of reachable followers establishes epoch max(acceptedEpoch)+1; its
   * followers (and later joiners) synchronise: they adopt the epoch and the leader's zxid.
   */
  establish(): void {
    const { peers, verifier } = this.ctx;
    for (const l of peers.values()) {
      if (!l.up || l.role !== 'LEADING') continue;
      const learners = this.learnersOf(l);
      if (l.epoch === null) {
        const members = [l, ...learners.filter((f) => f.voter)];
        if (!verifier.containsQuorum(members.map((m) => m.spec.sid))) continue;
        const epoch = members.reduce((m, x) => (x.acceptedEpoch > m ? x.acceptedEpoch : m), l.acceptedEpoch) + 1n;
        l.epoch = epoch;
        l.acceptedEpoch = epoch;
        l.currentEpoch = epoch;
        // ZooKeeper cannot roll the 32-bit epoch of a zxid over; neither does the model.
        if (epoch <= 0x7fff_ffffn) l.lastZxid = makeZxid(epoch, 0n);
        l.core?.updatePeerEpoch?.(epoch);
        const sids = members.map((m) => m.spec.sid).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        this.ctx.epochs.push({ at: this.ctx.now(), leader: l.spec.sid, epoch, members: sids });
      }
      for (const f of learners) {
        if (f.epoch === l.epoch) continue;
        f.epoch = l.epoch;
        f.acceptedEpoch = l.acceptedEpoch;
        f.currentEpoch = l.currentEpoch;
        f.lastZxid = l.lastZxid;
        f.core?.updatePeerEpoch?.(l.currentEpoch);
      }
    }
  }

  /** One tick of failure detection: the peers that must go back to LOOKING now. */
  supervise(): SteppingDown[] {
    const now = this.ctx.now();
    this.establish();
    const back: SteppingDown[] = [];
    for (const p of this.ctx.peers.values()) {
      if (!p.up || p.role === 'LOOKING' || p.role === 'DOWN') continue;
      if (p.role === 'LEADING' && p.epoch === null) {
        if (now - (p.decision?.at ?? now) >= this.ctx.initLimitMs) back.push({ peer: p, reason: 'no quorum within initLimit' });
        continue;
      }
      if (this.healthy(p)) {
        p.unhealthySince = null;
        continue;
      }
      p.unhealthySince ??= now;
      if (now - p.unhealthySince >= this.ctx.detectionDelayMs) {
        back.push({ peer: p, reason: p.role === 'LEADING' ? 'lost its quorum' : 'lost its leader' });
      }
    }
    return back;
  }

  /**
   * Nothing left for the model to do: every live peer follows one established leader that
   * still has its quorum, and every learner is in that leader's current session.
   */
  settled(): boolean {
    const leader = agreedLeader(this.ctx.peers);
    const l = leader === null ? undefined : this.ctx.peers.get(leader);
    if (l === undefined || l.epoch === null || !this.healthy(l)) return false;
    for (const p of this.ctx.peers.values()) {
      if (p.up && p !== l && (p.epoch !== l.epoch || !this.healthy(p))) return false;
    }
    return true;
  }

  private learnersOf(l: Peer): Peer[] {
    const sid = l.spec.sid;
    return [...this.ctx.peers.values()].filter(
      (f) => f.up && f !== l && (f.role === 'FOLLOWING' || f.role === 'OBSERVING') && f.leader === sid && this.ctx.reachable(sid, f.spec.sid),
    );
  }

  private healthy(p: Peer): boolean {
    const sid = p.spec.sid;
    if (p.role === 'LEADING') {
      const followers = this.learnersOf(p).filter((f) => f.voter && f.role === 'FOLLOWING');
      return this.ctx.verifier.containsQuorum([sid, ...followers.map((f) => f.spec.sid)]);
    }
    const l = p.leader === null ? undefined : this.ctx.peers.get(p.leader);
    if (l === undefined || !l.up || l.role !== 'LEADING' || !this.ctx.reachable(sid, l.spec.sid)) return false;
    // A leader that stepped down and leads again is a new session: ZooKeeper's learner would
    // have lost its connection and gone LOOKING, so the old decision counts as broken.
    p.session ??= l.decision;
    return p.session === l.decision;
  }
}

/** The leader every live peer follows (and that itself leads), or null. */
export function agreedLeader(peers: ReadonlyMap<bigint, Peer>): bigint | null {
  let leader: bigint | null = null;
  let any = false;
  for (const p of peers.values()) {
    if (!p.up) continue;
    any = true;
    if (p.role === 'LOOKING' || p.leader === null) return null;
    if (leader === null) leader = p.leader;
    else if (leader !== p.leader) return null;
  }
  if (!any || leader === null) return null;
  const l = peers.get(leader);
  return l !== undefined && l.up && l.role === 'LEADING' ? leader : null;
}
