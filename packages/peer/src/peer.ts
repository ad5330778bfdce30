// The embeddable zkvote peer: connection manager + Fast Leader Election + the after-election
// session (epoch establishment and heartbeats on the quorum port, or a passive watch when the
// leader is a ZooKeeper server) + dataDir persistence, behind one small evented object.

import { EventEmitter } from 'node:events';
import { QuorumCnxManager, type PeerAddress } from '@zkvote/cnxmanager';
import { ElectionDriver, type Decision, type ElectionEvent, type Vote } from '@zkvote/election';
import type { QuorumVerifier } from '@zkvote/quorum';
import { ServerState, stateName, type NotificationInit } from '@zkvote/wire';
import { childLogger, type Clock, type Logger, type TimerHandle } from './clock.js';
import type { EpochContext } from './epoch/context.js';
import { hasVotingQuorum } from './epoch/context.js';
import { FollowerSession } from './epoch/follower.js';
import { LeaderSession } from './epoch/leader.js';
import { QuorumListener } from './epoch/listener.js';
import type { ResponderStatus } from './epoch/messages.js';
import { tlsQuorumConnector, tlsQuorumServer } from './epoch/tls.js';
import { PeerError } from './errors.js';
import { checkBasicOptions, resolvePeerOptions, type ResolvedPeerOptions } from './options.js';
import { PassiveFollow } from './passive.js';
import { endSession, sessionView, type Session } from './session.js';
import { checkDataDir, EpochStore, readMyid } from './persistence.js';
import type { ElectionInfo, ListenAddress, PeerElectionEvent, PeerEvents, PeerOptions, PeerState, Role } from './types.js';

/** The election's default finalizeWait (ZooKeeper's 200 ms), for the follower's LOOKING grace. */
const DEFAULT_FINALIZE_WAIT_MS = 200;

/**
 * Prepares a peer without binding or writing anything: reads myid if needed, checks dataDir and
 * reads the epoch files (missing ones are written once both ports are bound).
 * Attach listeners, then `await peer.start()` to see the very first LOOKING as an event.
 */
export async function createPeer(options: PeerOptions): Promise<Peer> {
  checkBasicOptions(options);
  const myid = options.myid ?? (await readMyid(options.dataDir));
  const resolved = resolvePeerOptions(options, myid);
  await checkDataDir(options.dataDir);
  const store = await EpochStore.open(options.dataDir, { lastZxid: resolved.lastZxid });
  try {
    return new Peer(options, resolved, store);
  } catch (e) {
    // Option checks of the connection manager and the election (intervals, TLS material...).
    if (PeerError.isInstance(e)) throw e;
    throw new PeerError('BAD_OPTIONS', e instanceof Error ? e.message : String(e), { cause: e });
  }
}

/** createPeer + start: binds both ports and begins LOOKING. */
export async function startPeer(options: PeerOptions): Promise<Peer> {
  const peer = await createPeer(options);
  await peer.start();
  return peer;
}

export class Peer extends EventEmitter<PeerEvents> {
  readonly myid: bigint;
  private verifier: QuorumVerifier;
  private readonly o: ResolvedPeerOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly listener: QuorumListener;
  private readonly cnx: QuorumCnxManager;
  private driver: ElectionDriver;
  private session: Session = { kind: 'none' };
  private stateValue: PeerState = 'LOOKING';
  private leaderValue: bigint | null = null;
  private lastDecidedLeader: bigint | null = null;
  private zxid: bigint;
  private lookingSince = 0;
  private delayTimer: TimerHandle | undefined;
  private readonly random: () => number;
  private readonly observerDelayMs: number;
  private lastDuration: number | null = null;
  private closing: Promise<void> | null = null;
  private started = false;
  private configText: string;

  /** Use createPeer()/startPeer(); the constructor binds nothing. */
  constructor(
    private readonly options: PeerOptions,
    resolved: ResolvedPeerOptions,
    private readonly store: EpochStore,
  ) {
    super();
    this.o = resolved;
    this.myid = resolved.myid;
    this.verifier = options.verifier;
    this.clock = resolved.clock;
    this.logger = childLogger(resolved.logger, { myid: resolved.myid.toString() });
    this.zxid = resolved.lastZxid;
    this.random = options.random ?? Math.random;
    this.observerDelayMs = options.observerElectionDelayMs ?? 200;
    this.configText = this.verifier.toString();
    const t = options.tls;
    this.listener = new QuorumListener({
      host: resolved.quorumAddress.host,
      port: resolved.quorumAddress.port,
      clock: this.clock,
      logger: this.logger,
      handshakeTimeoutMs: resolved.tickTime * resolved.syncLimit,
      maxConnections: Math.max(64, this.verifier.members.size * 4),
      status: () => this.quorumStatus(),
      createServer: t === undefined ? undefined : tlsQuorumServer(t, resolved.tickTime * resolved.syncLimit),
    });
    // The server.N line is our public address; a listen override (wildcard host, another port)
    // is a bind detail, so peers that call us back must be told the configured address.
    const configured = this.ownElectionAddresses();
    const listen = resolved.electionAddress;
    const advertiseConfigured =
      configured.every((a) => a.port !== 0 && !['0.0.0.0', '::'].includes(a.host)) &&
      (configured[0]?.host !== listen.host || configured[0]?.port !== listen.port);
    this.cnx = new QuorumCnxManager({
      myid: this.myid,
      listen: resolved.electionAddress,
      peers: this.electionPeers(this.verifier),
      voters: new Set(this.verifier.votingMembers.keys()),
      protocol: resolved.multiAddress ? 'v2' : 'v1',
      advertise: advertiseConfigured ? configured : undefined,
      handshakeTimeoutMs: resolved.tickTime * resolved.syncLimit,
      recvCapacity: 0,
      tls: options.tls,
      clock: this.clock,
      logger: this.logger,
    });
    this.driver = this.makeDriver();
  }

  // ---- public surface ---------------------------------------------------------------------

  get state(): PeerState {
    return this.stateValue;
  }

  /** The leader while FOLLOWING/LEADING/OBSERVING; null while LOOKING. */
  get leader(): bigint | null {
    return this.leaderValue;
  }

  /** The established epoch (the leader's fencing token), null until establishment or with a ZooKeeper leader. */
  get epoch(): bigint | null {
    const s = this.session;
    if (s.kind === 'leader' || s.kind === 'follower') return s.session.epoch;
    return null;
  }

  /** The election round (ZooKeeper's logicalclock). */
  get round(): bigint {
    return this.driver.core.logicalclock;
  }

  /** The vote this peer answers LOOKING servers with (ZooKeeper's currentVote). */
  get currentVote(): Vote | null {
    return this.driver.core.currentVote;
  }

  get acceptedEpoch(): bigint {
    return this.store.acceptedEpoch;
  }

  get currentEpoch(): bigint {
    return this.store.currentEpoch;
  }

  get lastZxid(): bigint {
    return this.zxid;
  }

  get electionAddress(): ListenAddress {
    return this.cnx.address();
  }

  get quorumAddress(): ListenAddress {
    const a = this.listener.address();
    if (a === null) throw new PeerError('CLOSED', 'expected a bound quorum port, got a closed peer');
    return a;
  }

  /** For services that track their own progress: used in the next vote and FOLLOWERINFO. */
  setZxid(zxid: bigint): void {
    if (typeof zxid !== 'bigint' || zxid < -(1n << 63n) || zxid >= 1n << 63n) {
      throw new PeerError('BAD_OPTIONS', `expected a signed 64-bit bigint zxid, got ${String(zxid)}`);
    }
    this.zxid = zxid;
  }

  electionInfo(): ElectionInfo {
    const snap = this.driver.core.snapshot();
    return {
      myid: this.myid,
      state: this.stateValue,
      round: snap.logicalclock,
      leader: this.leaderValue,
      epoch: this.epoch,
      acceptedEpoch: this.store.acceptedEpoch,
      currentEpoch: this.store.currentEpoch,
      lastZxid: this.zxid,
      proposal: snap.looking ? snap.proposal : null,
      currentVote: snap.currentVote,
      recvset: [...snap.recvset].map(([sid, vote]) => ({ sid, vote })),
      outofelection: [...snap.outofelection].map(([sid, vote]) => ({ sid, vote })),
      connections: [...this.cnx.peerTable().values()],
      lastElectionDurationMs: this.lastDuration,
      messages: { ...this.driver.stats },
      session: sessionView(this.session),
      zkvotePeers: this.o.zkvotePeers === null ? null : [...this.o.zkvotePeers].sort((a, b) => (a < b ? -1 : 1)),
    };
  }

  /** Stops every session, timer and socket; resolves once both ports are released. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.endSession();
      this.clock.clearTimeout(this.delayTimer);
      this.driver.close();
      await Promise.all([this.listener.close(), this.cnx.halt()]);
      this.logger.info('peer closed');
    })();
    return this.closing;
  }

  // ---- startup ---------------------------------------------------------------------------

  /** Binds the quorum and election ports, then starts the first election. Call once. */
  async start(): Promise<void> {
    if (this.started) throw new PeerError('BAD_OPTIONS', 'expected start() once per peer, got a second call');
    this.started = true;
    if (this.closing !== null) throw new PeerError('CLOSED', 'expected start() before close(), got a closed peer');
    try {
      await this.listener.listen();
    } catch (e) {
      this.driver.close();
      await this.cnx.halt();
      throw e;
    }
    try {
      await this.cnx.start();
    } catch (e) {
      this.driver.close();
      await Promise.all([this.listener.close(), this.cnx.halt()]);
      const a = this.o.electionAddress;
      throw new PeerError('LISTEN_FAILED', `expected to listen on election port ${a.host}:${a.port}, got ${(e as Error).message}`, { cause: e });
    }
    try {
      if (this.closing !== null) throw new PeerError('CLOSED', 'expected start() to finish, got close() while starting');
      await this.store.persistMissing();
    } catch (e) {
      this.driver.close();
      await Promise.all([this.listener.close(), this.cnx.halt()]);
      throw e;
    }
    this.logger.info('peer started', {
      electionPort: this.cnx.address().port,
      quorumPort: this.quorumAddress.port,
      acceptedEpoch: this.store.acceptedEpoch.toString(),
      currentEpoch: this.store.currentEpoch.toString(),
    });
    this.lookForLeader('peer started');
  }

  private electionPeers(verifier: QuorumVerifier): Map<bigint, PeerAddress[]> {
    const peers = new Map<bigint, PeerAddress[]>();
    for (const [sid, server] of verifier.members) {
      if (sid === this.myid) continue;
      const all = server.addresses.map((a) => ({ host: a.host, port: a.electionPort }));
      peers.set(sid, this.o.multiAddress ? all : all.slice(0, 1));
    }
    return peers;
  }

  private ownElectionAddresses(): PeerAddress[] {
    const all = this.o.self.addresses.map((a) => ({ host: a.host, port: a.electionPort }));
    return this.o.multiAddress ? all : all.slice(0, 1);
  }

  private makeDriver(): ElectionDriver {
    const e = this.options.election ?? {};
    const driver = new ElectionDriver({
      cnx: this.cnx,
      clock: this.clock,
      myid: this.myid,
      verifier: this.verifier,
      learnerType: this.verifier.members.get(this.myid)?.type ?? 'participant',
      fastDecision: this.o.fastDecision,
      minNotificationIntervalMs: e.minNotificationIntervalMs,
      maxNotificationIntervalMs: e.maxNotificationIntervalMs,
      finalizeWaitMs: e.finalizeWaitMs,
    });
    driver.on('decided', (d) => this.onDecided(d));
    driver.on('event', (ev) => this.onElectionEvent(ev));
    driver.on('restart', ({ verifier }) => this.onNewConfig(verifier));
    return driver;
  }

  // ---- election -----------------------------------------------------------------------------

  private isZkvote(sid: bigint): boolean {
    return this.o.zkvotePeers === null || this.o.zkvotePeers.has(sid);
  }

  /**
   * The peerEpoch of our initial vote. In a mixed ensemble whose zkvote voters cannot form a
   * quorum alone, we could never establish leadership (ZooKeeper learners cannot follow us), so
   * we propose epoch -1: every ZooKeeper server outranks us, and we still count toward its quorum.
   */
  private voteEpoch(): bigint {
    const z = this.o.zkvotePeers;
    if (z !== null && !hasVotingQuorum(this.verifier, z)) return -1n;
    return this.store.currentEpoch;
  }

  private lookForLeader(reason: string, delayMs = 0): void {
    if (this.closing !== null || this.driver.core.looking) return;
    this.endSession();
    this.clock.clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    this.lookingSince = this.clock.now();
    this.leaderValue = null;
    // lookForLeader always opens the next round; announce it before the core's own events.
    const round = this.driver.core.logicalclock + 1n;
    this.stateValue = 'LOOKING';
    this.emit('state', { state: 'LOOKING', leader: null, epoch: null, round });
    this.logger.info('LOOKING', { round: round.toString(), reason, ...(delayMs > 0 ? { delayMs } : {}) });
    this.event({ type: 'looking', at: this.clock.now(), round, reason });
    if (delayMs === 0) {
      this.startElection();
      return;
    }
    // ZooKeeper 3.6+ observers wait a random delay before re-electing, to spread the load.
    this.delayTimer = this.clock.setTimeout(() => {
      this.delayTimer = undefined;
      this.startElection();
    }, delayMs);
  }

  private startElection(): void {
    if (this.closing !== null || this.driver.core.looking) return;
    // Decisions arrive as 'decided' events; the promise only rejects on close/restart.
    this.driver.lookForLeader({ lastZxid: this.zxid, currentEpoch: this.voteEpoch() }).catch(() => undefined);
  }

  private onDecided(d: Decision): void {
    if (this.closing !== null) return;
    const now = this.clock.now();
    const state = stateName(d.state) as PeerState;
    const leader = d.vote.leader;
    this.lastDuration = now - this.lookingSince;
    this.leaderValue = leader;
    this.logger.info(`${state}`, { leader: leader.toString(), round: d.vote.electionEpoch.toString(), durationMs: this.lastDuration, fast: d.fast });
    this.event({
      type: 'decided', at: now, state, leader, round: d.vote.electionEpoch, zxid: d.vote.zxid, peerEpoch: d.vote.peerEpoch,
      durationMs: this.lastDuration, fast: d.fast, path: d.path, voters: d.voters,
    });
    this.setState(state);
    if (leader !== this.lastDecidedLeader) {
      const previous = this.lastDecidedLeader;
      this.lastDecidedLeader = leader;
      this.emit('leader', { leader, previous, epoch: null, zkvote: this.isZkvote(leader) });
    }
    this.beginSession(state, leader);
  }

  private onElectionEvent(ev: ElectionEvent): void {
    const at = this.clock.now();
    switch (ev.kind) {
      case 'proposal':
        this.logger.debug('proposal', { leader: ev.vote.leader.toString(), zxid: ev.vote.zxid.toString(), peerEpoch: ev.vote.peerEpoch.toString(), reason: ev.reason });
        this.event({ type: 'proposal', at, round: this.driver.core.logicalclock, vote: ev.vote, reason: ev.reason, ...(ev.from !== undefined ? { from: ev.from } : {}) });
        break;
      case 'round':
        this.event({ type: 'round', at, from: ev.from, to: ev.to });
        break;
      case 'received': {
        const n = ev.notification;
        if (this.session.kind === 'passive') this.session.watch.notification(ev.sid, n);
        const s = stateName(n.state);
        this.event({
          type: 'vote-received', at, sid: ev.sid, state: s.startsWith('UNKNOWN') ? n.state : (s as PeerState),
          leader: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch,
        });
        break;
      }
      case 'timeout':
        this.event({ type: 'notification-timeout', at, resent: ev.resent, nextIntervalMs: ev.nextIntervalMs });
        break;
      default:
        break;
    }
  }

  /**
   * A newer, different configuration arrived while LOOKING (PROTOCOL.md 3.6); the core has
   * stopped itself. ZooKeeper restarts its election either way, but adopts the config only with
   * reconfigEnabled: without it, any connected peer could rewrite our membership by gossip, so we
   * keep ours (and, as ZooKeeper, restart again on each such notification).
   */
  private onNewConfig(verifier: QuorumVerifier): void {
    if (this.closing !== null) return;
    const version = verifier.version.toString(16);
    this.driver.close();
    if (!this.o.reconfigEnabled) {
      this.logger.warn('newer configuration heard, reconfig disabled: restarting the election with ours', {
        version,
        ours: this.verifier.version.toString(16),
      });
    } else if (!verifier.members.has(this.myid)) {
      this.logger.error('ignoring a configuration without our sid, restarting the election with ours', { version });
    } else {
      this.logger.warn('configuration changed, restarting the election', { version });
      this.verifier = verifier;
      this.configText = verifier.toString();
      this.cnx.setPeers(this.electionPeers(verifier));
      this.cnx.setVoters(new Set(verifier.votingMembers.keys()));
    }
    // A fresh election object: round 1 again, as ZooKeeper's new FastLeaderElection.
    this.driver = this.makeDriver();
    this.lookForLeader(this.verifier === verifier ? 'configuration changed' : `newer configuration ${version} not adopted`);
  }

  // ---- after the election ---------------------------------------------------------------

  private epochContext(): EpochContext {
    return {
      myid: this.myid,
      verifier: this.verifier,
      store: this.store,
      lastZxid: () => this.zxid,
      clock: this.clock,
      logger: this.logger,
      tickTime: this.o.tickTime,
      initLimit: this.o.initLimit,
      syncLimit: this.o.syncLimit,
      status: () => this.quorumStatus(),
    };
  }

  /** What a learner that dials our quorum port while we are not an active leader is told. */
  private quorumStatus(): ResponderStatus {
    const round = this.driver.core.logicalclock;
    const leader = this.leaderValue;
    if (this.stateValue === 'LOOKING' || leader === null) return { state: 'LOOKING', leader: null, round };
    return { state: this.stateValue, leader, round };
  }

  /**
   * How long a follower keeps asking a leader that answers LOOKING in our round. That leader has
   * (or within a notification interval will have) the votes we decided on and decides
   * finalizeWait after its last change of mind, so ten finalizeWaits, and at least a tick, cover
   * a leader that is merely slower than us; past that it is waiting for votes it may never get,
   * and a fresh election beats sitting out initLimit. At the defaults: 2 s instead of 20 s.
   */
  private lookingGraceMs(): number {
    const finalizeWait = this.options.election?.finalizeWaitMs ?? DEFAULT_FINALIZE_WAIT_MS;
    return Math.min(this.o.tickTime * this.o.initLimit, Math.max(this.o.tickTime, 10 * finalizeWait));
  }

  private beginSession(state: PeerState, leader: bigint): void {
    const role: Role = state === 'LEADING' ? 'leader' : state === 'OBSERVING' ? 'observer' : 'follower';
    const onEstablished = (epoch: bigint): void => {
      this.driver.core.updatePeerEpoch(epoch);
      this.event({ type: 'established', at: this.clock.now(), role, leader, epoch });
      this.emit('state', { state: this.stateValue, leader, epoch, round: this.round });
    };
    const onEnd = (reason: string): void => {
      this.event({ type: 'step-down', at: this.clock.now(), role, leader, reason });
      const delay = role === 'observer' ? Math.floor(this.random() * this.observerDelayMs) : 0;
      this.lookForLeader(reason, delay);
    };
    if (state === 'LEADING') {
      const session = new LeaderSession(this.epochContext());
      this.session = { kind: 'leader', session };
      session.on('established', onEstablished);
      session.on('stepDown', onEnd);
      this.listener.setHandler((channel, info) => session.addLearner(channel, info));
      session.start();
      return;
    }
    if (!this.isZkvote(leader)) {
      const watch = new PassiveFollow({
        leader,
        round: this.driver.core.logicalclock,
        myid: this.myid,
        verifier: this.verifier,
        cnx: this.cnx,
        clock: this.clock,
        tickTime: this.o.tickTime,
        initLimit: this.o.initLimit,
        syncLimit: this.o.syncLimit,
        heartbeat: role === 'observer',
        probe: () => this.probeNotification(),
        onEnd,
      });
      this.session = { kind: 'passive', watch };
      watch.start();
      return;
    }
    const server = this.verifier.members.get(leader);
    const endpoints = (server?.addresses ?? []).map((a) => ({ host: a.host, port: a.quorumPort }));
    const session = new FollowerSession(this.epochContext(), {
      leader,
      role: role === 'observer' ? 'observer' : 'participant',
      endpoints,
      connect: this.options.tls === undefined ? undefined : tlsQuorumConnector(this.options.tls),
      round: this.driver.core.logicalclock,
      lookingGraceMs: this.lookingGraceMs(),
    });
    this.session = { kind: 'follower', session };
    session.on('established', onEstablished);
    session.on('lost', onEnd);
    session.start();
  }

  /** Our decided vote as a LOOKING notification: ZooKeeper servers answer it with their state. */
  private probeNotification(): NotificationInit {
    const cv = this.driver.core.currentVote;
    return {
      state: ServerState.LOOKING,
      leader: cv?.leader ?? this.myid,
      zxid: cv?.zxid ?? this.zxid,
      electionEpoch: this.driver.core.logicalclock,
      peerEpoch: cv?.peerEpoch ?? this.store.currentEpoch,
      config: this.configText,
    };
  }

  private endSession(): void {
    this.listener.setHandler(null);
    endSession(this.session);
    this.session = { kind: 'none' };
  }

  private setState(state: PeerState): void {
    this.stateValue = state;
    this.emit('state', { state, leader: this.leaderValue, epoch: this.epoch, round: this.round });
  }

  private event(e: PeerElectionEvent): void {
    this.emit('electionEvent', e);
  }
}
