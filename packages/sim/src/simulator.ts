// The simulation loop: peers running the real election core over the simulated network, the
// scenario's timed events, and the post-decision model (epoch establishment, failure detection,
// back to LOOKING) that makes failover scenarios meaningful. One (scenario, seed) pair always
// produces the same SimResult.

import { FastLeaderElection, type Action, type ElectionNotification, type TimerName } from '@zkvote/election';
import { parseDynamicConfig, QuorumConfigError, type QuorumVerifier } from '@zkvote/quorum';
import { tryParse } from '@zkvote/wire';
import { SimError } from './errors.js';
import { checkInvariants } from './invariants.js';
import { initLimitMs, livenessBoundMs, tickMs } from './bounds.js';
import { encode, layoutFor, SimNetwork, type Delivery, type Outgoing } from './network.js';
import { agreedLeader, newPeer, RoleModel, type Peer } from './roles.js';
import { Rng } from './rng.js';
import { scenarioConfigText, type Scenario, type SimEvent } from './scenario.js';
import { EventQueue } from './scheduler.js';
import type {
  CoreFactory,
  DecisionRecord,
  ElectionCore,
  ElectionRun,
  EpochRecord,
  FaultRecord,
  LivenessReport,
  MessageRecord,
  PeerSummary,
  SimResult,
  StateName,
} from './types.js';

export interface SimulateOptions {
  /** Overrides the scenario's options.seed. */
  seed?: number;
  /** Builds each peer's election core; default: @zkvote/election's FastLeaderElection. */
  coreFactory?: CoreFactory;
  /** Livelock guard: stop after this many events (default 2,000,000). */
  maxEvents?: number;
  /** The command printed with violations; default replays `--seed <n>` (add `--scenario <file>`). */
  replayCommand?: string;
  /**
   * Keep every MessageRecord in SimResult.messages (default true). Ensembles of hundreds of
   * peers make tens of millions of messages: pass false (and count what you need in onMessage)
   * to run them in bounded memory; the delivery-backed invariants are then not checked.
   */
  messageLog?: boolean;
  /** Sees each message record as it is made, before its fate is known. */
  onMessage?: (record: MessageRecord) => void;
}

type Ev =
  | { k: 'scenario'; e: SimEvent }
  | { k: 'deliver'; d: Delivery }
  | { k: 'connect'; a: bigint; b: bigint; conn: number }
  | { k: 'drain'; from: bigint; to: bigint; conn: number }
  | { k: 'timer'; sid: bigint; life: number; timer: TimerName; gen: number }
  | { k: 'tick' }
  | { k: 'liveness' };

const STATE_NAMES: readonly StateName[] = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'];

/** Builds the QuorumVerifier the scenario's ensemble uses (majority or hierarchical). */
export function scenarioVerifier(scenario: Pick<Scenario, 'servers'>): QuorumVerifier {
  try {
    return parseDynamicConfig(scenarioConfigText(scenario), { version: 0n }).verifier;
  } catch (error) {
    if (QuorumConfigError.isInstance(error)) {
      throw new SimError('BAD_SCENARIO', `expected a valid ensemble, got: ${error.message}`, 'servers', { cause: error });
    }
    throw error;
  }
}

export function defaultReplayCommand(seed: number, scenarioFile?: string): string {
  const file = scenarioFile === undefined ? '' : ` --scenario ${scenarioFile}`;
  return `pnpm --filter @zkvote/sim replay -- --seed ${seed}${file}`;
}

/** Runs a scenario to completion and checks every invariant over the run. */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimResult {
  return new Simulation(scenario, options).run();
}

class Simulation {
  private readonly q = new EventQueue<Ev>();
  private readonly seed: number;
  private readonly opts: Scenario['options'];
  private readonly verifier: QuorumVerifier;
  private readonly net: SimNetwork;
  private readonly peers = new Map<bigint, Peer>();
  private readonly factory: CoreFactory;
  private readonly decisions: DecisionRecord[] = [];
  private readonly elections: ElectionRun[] = [];
  private readonly epochs: EpochRecord[] = [];
  private readonly faults: FaultRecord[] = [];
  private readonly tick: number;
  private readonly roles: RoleModel;
  private readonly bound: number;
  private readonly quietFrom: number;
  private readonly until: number;
  private tickArmed = false;
  private convergedAt: number | null = null;
  private events = 0;
  private deliveries = 0;
  /** Scheduled events other than ticks and the liveness check. */
  private pending = 0;
  /**
   * Every peer shares one copy of the ensemble's config text, and decoded notifications carrying
   * the same text get that copy, so the cores' "is this config mine?" check is an identity test.
   */
  private readonly configBytes: Uint8Array;
  /** A broadcast's payload is one buffer for all receivers: decode it once. */
  private readonly decoded = new WeakMap<Uint8Array, ElectionNotification | null>();

  constructor(
    private readonly scenario: Scenario,
    private readonly options: SimulateOptions,
  ) {
    this.opts = scenario.options;
    this.seed = options.seed ?? this.opts.seed;
    this.verifier = scenarioVerifier(scenario);
    this.factory = options.coreFactory ?? ((o) => new FastLeaderElection(o));
    const rng = new Rng(this.seed);
    this.net = new SimNetwork(
      {
        now: () => this.q.now(),
        isUp: (sid) => this.peers.get(sid)?.up === true,
        scheduleDelivery: (at, d) => this.schedule(at, { k: 'deliver', d }),
        scheduleConnect: (at, a, b, conn) => this.schedule(at, { k: 'connect', a, b, conn }),
        scheduleDrain: (at, from, to, conn) => this.schedule(at, { k: 'drain', from, to, conn }),
        connectionChanged: (a, b, up) => this.connectionChanged(a, b, up),
      },
      rng.fork('network'),
      this.opts.latencyMs,
      this.opts.jitterMs,
      this.opts.jitterMode === 'continuous',
      options.messageLog ?? true,
      options.onMessage ?? null,
    );
    this.configBytes = new TextEncoder().encode(this.verifier.toString());
    for (const spec of scenario.servers) {
      this.peers.set(spec.sid, newPeer(spec, this.verifier.votingMembers.has(spec.sid)));
    }
    this.tick = tickMs(this.opts);
    this.roles = new RoleModel({
      now: () => this.q.now(),
      reachable: (a, b) => this.net.reachable(a, b),
      peers: this.peers,
      verifier: this.verifier,
      epochs: this.epochs,
      initLimitMs: initLimitMs(this.opts),
      detectionDelayMs: this.opts.detectionDelayMs,
    });
    this.bound = livenessBoundMs(scenario);
    this.quietFrom = scenario.events.reduce((m, e) => Math.max(m, e.at), 0);
    this.until = this.opts.until ?? this.quietFrom + this.bound + 1000;
  }

  run(): SimResult {
    for (const e of this.scenario.events) this.schedule(e.at, { k: 'scenario', e });
    const deadline = this.quietFrom + this.bound;
    if (deadline <= this.until) this.schedule(deadline, { k: 'liveness' });
    // Without an explicit `until`, a settled run (faults over, one established leader followed
    // by every live peer, nothing but failure-detection ticks left) stops early: nothing can change.
    const stopWhenSettled = this.opts.until === null;
    const maxEvents = this.options.maxEvents ?? 2_000_000;
    let truncated = false;
    let liveness: LivenessReport | null = null;
    for (;;) {
      const next = this.q.peekTime();
      if (next === null || next > this.until) break;
      if (this.events >= maxEvents) {
        truncated = true;
        break;
      }
      const item = this.q.pop();
      if (item === null) break;
      this.events++;
      const ev = item.event;
      if (ev.k !== 'tick' && ev.k !== 'liveness') this.pending--;
      if (ev.k === 'liveness') liveness = this.livenessReport(deadline);
      else this.handle(ev);
      if (stopWhenSettled && liveness === null && this.pending === 0 && this.q.now() >= this.quietFrom && this.roles.settled()) {
        liveness = this.livenessReport(deadline);
        break;
      }
    }
    this.net.flushPending();
    liveness ??= this.uncheckedLiveness(deadline, truncated ? 'the run hit the event cap' : 'the run ends before the liveness deadline');
    const result: SimResult = {
      seed: this.seed,
      scenario: this.scenario,
      until: this.until,
      endedAt: this.q.now(),
      messages: this.net.messages,
      messagesLogged: this.options.messageLog ?? true,
      decisions: this.decisions,
      elections: this.elections,
      epochs: this.epochs,
      faults: this.faults,
      violations: [],
      liveness,
      peers: [...this.peers.values()].map((p) => this.summary(p)),
      stats: this.stats(truncated),
    };
    result.violations = checkInvariants(result, this.verifier, this.options.replayCommand ?? defaultReplayCommand(this.seed));
    return result;
  }

  private schedule(at: number, ev: Ev): void {
    if (ev.k !== 'tick' && ev.k !== 'liveness') this.pending++;
    this.q.schedule(at, ev);
  }

  private handle(ev: Exclude<Ev, { k: 'liveness' }>): void {
    switch (ev.k) {
      case 'scenario':
        return this.scenarioEvent(ev.e);
      case 'deliver':
        return this.deliver(ev.d);
      case 'connect':
        return this.net.connected(ev.a, ev.b, ev.conn);
      case 'drain':
        return this.net.drainLater(ev.from, ev.to, ev.conn);
      case 'timer': {
        const p = this.peers.get(ev.sid);
        if (p === undefined || !p.up || p.life !== ev.life || p.core === null || p.timers.get(ev.timer) !== ev.gen) return;
        p.timers.delete(ev.timer);
        return this.apply(p, p.core.timerFired(ev.timer, { someQueueEmpty: this.net.someQueueEmpty(p.spec.sid) }));
      }
      case 'tick':
        this.tickArmed = false;
        return this.supervise();
    }
  }

  // --- scenario events and faults -----------------------------------------------------------

  private scenarioEvent(e: SimEvent): void {
    const now = this.q.now();
    const note = (kind: FaultRecord['kind'], detail: string): void => void this.faults.push({ at: now, kind, detail });
    switch (e.kind) {
      case 'start':
      case 'restart':
        for (const sid of e.sids) {
          const p = this.peer(sid);
          if (p.up) continue;
          note(p.life === 0 ? 'start' : 'restart', `S${sid}`);
          this.boot(p);
        }
        break;
      case 'crash':
        for (const sid of e.sids) {
          const p = this.peer(sid);
          if (!p.up) continue;
          note('crash', `S${sid}`);
          this.crash(p);
        }
        break;
      case 'partition':
        note('partition', e.groups.map((g) => `{${g.map((s) => `S${s}`).join(',')}}`).join(' | '));
        this.net.setPartition(e.groups);
        break;
      case 'heal':
        note('heal', 'all links restored');
        this.net.setPartition(null);
        break;
      case 'drop':
        note('drop', `rate ${e.rate}`);
        this.net.faults.drop = e.rate;
        break;
      case 'duplicate':
        note('duplicate', `rate ${e.rate}`);
        this.net.faults.duplicate = e.rate;
        break;
      case 'delay':
        note('delay', `rate ${e.rate}, +${e.ms} ms`);
        this.net.faults.delay = { rate: e.rate, ms: e.ms };
        break;
      case 'reorder':
        note('reorder', `rate ${e.rate}, up to +${e.ms} ms`);
        this.net.faults.reorder = { rate: e.rate, ms: e.ms };
        break;
    }
    this.noteConvergence();
    this.armTick();
  }

  private peer(sid: bigint): Peer {
    const p = this.peers.get(sid);
    if (p === undefined) throw new SimError('BAD_SCENARIO', `expected a known sid, got ${sid}`);
    return p;
  }

  /** Process start: a new election object (logicalclock 0) over the persisted epochs and zxid. */
  private boot(p: Peer): void {
    p.up = true;
    p.life++;
    p.timers.clear();
    p.role = 'LOOKING';
    p.leader = null;
    p.round = null;
    p.epoch = null;
    p.session = null;
    p.unhealthySince = null;
    p.core = this.newCore(p);
    this.lookForLeader(p);
  }

  private newCore(p: Peer): ElectionCore {
    const o = this.opts;
    return this.factory({
      myid: p.spec.sid,
      verifier: this.verifier,
      learnerType: p.spec.type,
      minNotificationIntervalMs: o.minNotificationIntervalMs,
      maxNotificationIntervalMs: o.maxNotificationIntervalMs,
      finalizeWaitMs: o.finalizeWaitMs,
      fastDecision: o.fastDecision,
      configBytes: this.configBytes,
    });
  }

  private crash(p: Peer): void {
    p.core?.stop();
    p.core = null;
    p.up = false;
    p.timers.clear();
    this.endDecision(p, 'crashed');
    p.role = 'DOWN';
    p.leader = null;
    p.round = null;
    p.epoch = null;
    p.session = null;
    p.election = null;
    this.net.forget(p.spec.sid);
  }

  private lookForLeader(p: Peer): void {
    const core = p.core;
    if (core === null) return;
    const run: ElectionRun = {
      id: this.elections.length,
      sid: p.spec.sid,
      startedAt: this.q.now(),
      lastZxid: p.lastZxid,
      currentEpoch: p.currentEpoch,
      life: p.life,
    };
    this.elections.push(run);
    p.election = run.id;
    p.role = 'LOOKING';
    this.apply(p, this.call(p, () => core.startLooking({ lastZxid: p.lastZxid, currentEpoch: p.currentEpoch, now: this.q.now() })));
  }

  // --- the core's inputs and actions --------------------------------------------------------

  private deliver(d: Delivery): void {
    const { record } = d;
    if (!this.net.carries(d)) return this.net.settle(record, 'lost');
    const p = this.peers.get(record.to);
    if (p === undefined || p.core === null) return this.net.settle(record, 'lost');
    const notification = this.decode(d.payload);
    if (notification === null) return this.net.settle(record, 'malformed');
    this.net.settle(record, 'delivered');
    record.deliveredAt = this.q.now();
    record.toElection = p.election;
    record.deliverySeq = ++this.deliveries;
    const core = p.core;
    this.apply(p, this.call(p, () => core.receive(record.from, notification, this.q.now())));
  }

  private decode(payload: Uint8Array): ElectionNotification | null {
    const known = this.decoded.get(payload);
    if (known !== undefined) return known;
    const parsed = tryParse(payload);
    let n: ElectionNotification | null = null;
    if (parsed.ok) {
      n = parsed.value;
      if (n.config !== null && sameBytes(n.config, this.configBytes)) n = { ...n, config: this.configBytes };
    }
    this.decoded.set(payload, n);
    return n;
  }

  private connectionChanged(a: bigint, b: bigint, up: boolean): void {
    for (const [me, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const p = this.peers.get(me);
      const core = p?.core;
      if (p === undefined || !p.up || core === null || core === undefined) continue;
      this.apply(p, this.call(p, () => (up ? core.connectionUp(other) : core.connectionDown(other))));
    }
  }

  private call(p: Peer, step: () => Action[]): Action[] {
    try {
      return step();
    } catch (error) {
      const msg = error instanceof Error ? error.message : String(error);
      throw new SimError('CORE_FAILED', `expected the election core of S${p.spec.sid} to accept its input at ${this.q.now()} ms, got: ${msg}`, '', { cause: error });
    }
  }

  private apply(p: Peer, actions: Action[]): void {
    const sid = p.spec.sid;
    const now = this.q.now();
    // A broadcast is N sends of one notification: encode it once, share one Outgoing.
    let last: Outgoing | null = null;
    for (const a of actions) {
      switch (a.type) {
        case 'send': {
          if (last === null || last.fromElection !== p.election || !sameNotification(last.notification, a.notification)) {
            const layout = layoutFor(p.spec.version);
            last = { payload: encode(a.notification, layout), notification: a.notification, layout, emittedAt: now, fromElection: p.election };
          }
          this.net.send(sid, a.to, last);
          break;
        }
        case 'setTimer': {
          const gen = (p.timers.get(a.timer) ?? 0) + 1;
          p.timers.set(a.timer, gen);
          this.schedule(now + a.delayMs, { k: 'timer', sid, life: p.life, timer: a.timer, gen });
          break;
        }
        case 'cancelTimer':
          p.timers.set(a.timer, (p.timers.get(a.timer) ?? 0) + 1);
          break;
        case 'connectAll':
          this.net.connectAll(sid);
          break;
        case 'decided':
          this.decided(p, a);
          break;
        case 'restart':
          // A newer config restarted the election: a fresh election object, same persisted state.
          p.life++;
          p.timers.clear();
          p.core = this.newCore(p);
          this.lookForLeader(p);
          break;
        case 'event':
          break;
      }
    }
  }

  // --- after the decision: a minimal model of what ZooKeeper does next ----------------------

  private decided(p: Peer, a: Extract<Action, { type: 'decided' }>): void {
    const state = STATE_NAMES[a.state] ?? 'LOOKING';
    const record: DecisionRecord = {
      sid: p.spec.sid,
      state,
      leader: a.vote.leader,
      zxid: a.vote.zxid,
      round: a.vote.electionEpoch,
      peerEpoch: a.vote.peerEpoch,
      at: this.q.now(),
      fast: a.fast,
      path: a.path,
      voters: [...a.voters],
      election: p.election ?? -1,
      afterDeliveries: this.deliveries,
      endedAt: null,
      endReason: null,
    };
    this.decisions.push(record);
    p.decision = record;
    p.role = state;
    p.leader = a.vote.leader;
    p.round = a.vote.electionEpoch;
    p.epoch = null;
    p.session = null;
    p.unhealthySince = null;
    this.roles.establish();
    this.noteConvergence();
    this.armTick();
  }

  private endDecision(p: Peer, reason: string): void {
    if (p.decision !== null && p.decision.endedAt === null) {
      p.decision.endedAt = this.q.now();
      p.decision.endReason = reason;
    }
    p.decision = null;
  }

  private armTick(): void {
    if (this.tickArmed) return;
    for (const p of this.peers.values()) {
      if (p.up && p.role !== 'LOOKING') {
        this.tickArmed = true;
        this.schedule(this.q.now() + this.tick, { k: 'tick' });
        return;
      }
    }
  }

  /** Failure detection: followers lose their leader, leaders lose their quorum. */
  private supervise(): void {
    const back = this.roles.supervise();
    for (const { peer, reason } of back) {
      this.endDecision(peer, reason);
      peer.leader = null;
      peer.round = null;
      peer.epoch = null;
      peer.session = null;
      peer.unhealthySince = null;
      this.lookForLeader(peer);
    }
    if (back.length > 0) this.noteConvergence();
    this.armTick();
  }

  // --- liveness -------------------------------------------------------------------------------

  private noteConvergence(): void {
    if (this.q.now() < this.quietFrom) return;
    const agreed = agreedLeader(this.peers) !== null;
    if (!agreed) this.convergedAt = null;
    else this.convergedAt ??= this.q.now();
  }

  private livenessReport(deadline: number): LivenessReport {
    const base = { quietFrom: this.quietFrom, deadline, boundMs: this.bound };
    const f = this.net.faults;
    if (f.drop > 0 || f.duplicate > 0 || f.delay.rate > 0 || f.reorder.rate > 0) {
      return { ...base, checked: false, reason: 'message faults stay on until the end', convergedAt: null, leader: null };
    }
    if (this.net.partitioned) return { ...base, checked: false, reason: 'a partition stays in place', convergedAt: null, leader: null };
    const upVoters = [...this.peers.values()].filter((p) => p.up && p.voter).map((p) => p.spec.sid);
    if (!this.verifier.containsQuorum(upVoters)) {
      return { ...base, checked: false, reason: 'no quorum of voters is up', convergedAt: null, leader: null };
    }
    this.noteConvergence();
    const leader = agreedLeader(this.peers);
    return {
      ...base,
      checked: true,
      reason: leader === null ? 'live peers did not agree on a leader by the deadline' : 'all live peers follow one leader',
      convergedAt: leader === null ? null : this.convergedAt,
      leader,
    };
  }

  private uncheckedLiveness(deadline: number, reason: string): LivenessReport {
    return { quietFrom: this.quietFrom, deadline, boundMs: this.bound, checked: false, reason, convergedAt: null, leader: null };
  }

  // --- summaries ------------------------------------------------------------------------------

  private summary(p: Peer): PeerSummary {
    return {
      sid: p.spec.sid,
      up: p.up,
      state: p.role,
      leader: p.leader,
      round: p.round,
      lastZxid: p.lastZxid,
      currentEpoch: p.currentEpoch,
      acceptedEpoch: p.acceptedEpoch,
    };
  }

  private stats(truncated: boolean): SimResult['stats'] {
    return { events: this.events, ...this.net.counts, truncated };
  }
}

function sameNotification(a: ElectionNotification, b: ElectionNotification): boolean {
  return (
    a.state === b.state &&
    a.leader === b.leader &&
    a.zxid === b.zxid &&
    a.electionEpoch === b.electionEpoch &&
    a.peerEpoch === b.peerEpoch &&
    a.version === b.version &&
    a.config === b.config
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

