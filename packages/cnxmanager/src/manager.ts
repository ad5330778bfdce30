// QuorumCnxManager: ZooKeeper's election connection layer (PROTOCOL.md 1-2) on node:net/tls.
// Keeps one connection per pair of servers through the sid tie-break, one-slot send queues and a
// bounded receive queue; every fault of the other side closes only that socket.

import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { buildHandshake, encodeFrame, FrameDecoder, HandshakeReader, type Handshake } from '@zkvote/wire';
import { Connection, REJECT_REASONS, type CloseReason, type RejectReason } from './connection.js';
import { CnxError } from './errors.js';
import {
  checkSid,
  normalisePeers,
  resolveOptions,
  type PeerAddress,
  type PeerAddresses,
  type QuorumCnxManagerOptions,
  type ResolvedOptions,
} from './options.js';
import { describePeer, newPeerState, type CnxStats, type Dial, type PeerInfo, type PeerState } from './peer-state.js';
import { PeerRegistry } from './peer-registry.js';
import { ReceiveQueue, type ReceivedMessage } from './receive-queue.js';
import { dialSocket, TlsAcceptor } from './tls.js';

export interface CnxEvents {
  message: [sid: bigint, payload: Uint8Array, meta: { fromNonVoter: boolean }];
  connected: [sid: bigint];
  disconnected: [sid: bigint];
}

const DIAL_FAILURES: ReadonlySet<CloseReason> = new Set(['connect-failed', 'connect-timeout', 'remote-closed', 'socket-error']);

export class QuorumCnxManager extends EventEmitter<CnxEvents> {
  readonly myid: bigint;
  private readonly o: ResolvedOptions;
  private peers: Map<bigint, PeerAddress[]>;
  private voters: ReadonlySet<bigint> | null;
  private readonly table: PeerRegistry;
  private readonly sockets = new Set<Connection>();
  private readonly recv: ReceiveQueue;
  private readonly secureContext: tls.SecureContext | null;
  private readonly tlsAcceptor: TlsAcceptor<Connection> | null = null;
  private server: net.Server | null = null;
  private bound: PeerAddress | null = null;
  private handshake: Uint8Array | null = null;
  private phase: 'new' | 'starting' | 'running' | 'halted' = 'new';
  private haltDone: Promise<void> | null = null;
  private pending = 0;
  private unknownDials = 0;
  private nextObserverId = -1n;
  private readonly counters: Omit<CnxStats, 'rejections' | 'recvDrops' | 'pendingHandshakes' | 'openSockets' | 'unknownEvictions'> = {
    sendOverwrites: 0,
    accepted: 0,
    connectAttempts: 0,
    connectFailures: 0,
    connectsCapped: 0,
    tieBreakCloses: 0,
  };
  private readonly rejections = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;

  constructor(options: QuorumCnxManagerOptions) {
    super();
    this.o = resolveOptions(options);
    this.myid = this.o.myid;
    this.peers = normalisePeers(options.peers);
    this.voters = options.voters ?? null;
    this.table = new PeerRegistry((sid) => this.peers.has(sid) || this.voters?.has(sid) === true);
    this.recv = new ReceiveQueue(this.o.recvCapacity, this.o.clock);
    const t = this.o.tls;
    this.secureContext = t === null ? null : tls.createSecureContext({ key: t.key, cert: t.cert, ca: t.ca, passphrase: t.passphrase });
    if (t !== null) {
      this.tlsAcceptor = new TlsAcceptor<Connection>(t, {
        secured: (c, ts) => this.onSecured(c, ts),
        refused: (c, error) => c.close('tls-error', error.message),
      });
    }
    if (this.o.advertise !== null) this.handshake = this.buildOwnHandshake(this.o.advertise);
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /**
   * Binds the election address and dials the sids that already have a queued message. Other
   * connections start with send/connectOne/connectAll, as in ZooKeeper.
   */
  async start(): Promise<void> {
    if (this.phase !== 'new') {
      throw new CnxError(this.phase === 'halted' ? 'HALTED' : 'ALREADY_STARTED', `expected start() on a new manager, got one that is ${this.phase}`);
    }
    this.phase = 'starting';
    const server = net.createServer();
    server.on('connection', (raw) => this.accept(raw));
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: this.o.listen.host, port: this.o.listen.port }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.server = null;
      this.phase = 'halted';
      throw new CnxError('LISTEN_FAILED', `expected to listen on ${this.o.listen.host}:${this.o.listen.port}, got ${String(error)}`, { cause: error });
    }
    server.on('error', (error) => this.o.logger.error('election listener error', { error: String(error) }));
    const info = server.address() as net.AddressInfo;
    this.bound = { host: this.o.listen.host, port: info.port };
    this.handshake ??= this.buildOwnHandshake([this.bound]);
    if ((this.phase as string) === 'halted') {
      // halt() ran while we were binding: its close() found nothing listening yet.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return;
    }
    this.phase = 'running';
    this.o.logger.info('election listener started', { myid: String(this.myid), port: info.port });
    // Messages queued before start() would otherwise wait for the next send or connectAll().
    for (const peer of [...this.table.values()]) if (peer.slot !== null) this.dial(peer.sid, null);
  }

  /** The bound election address (the real port when `listen.port` was 0). */
  address(): PeerAddress {
    if (this.bound === null) throw new CnxError('NOT_STARTED', 'expected a started manager, got one without a listener');
    return { ...this.bound };
  }

  /** Closes the listener, every socket and timer; resolves once all handles are released. */
  halt(): Promise<void> {
    if (this.haltDone !== null) return this.haltDone;
    this.phase = 'halted';
    this.recv.close();
    const waits: Promise<void>[] = [];
    for (const peer of this.table.values()) peer.dial = null;
    for (const c of [...this.sockets]) {
      c.close('halt');
      waits.push(c.closed());
    }
    const server = this.server;
    if (server !== null) waits.push(new Promise<void>((resolve) => server.close(() => resolve())));
    this.haltDone = Promise.all(waits).then(() => {
      this.o.logger.info('connection manager halted', { myid: String(this.myid) });
    });
    return this.haltDone;
  }

  /** Replaces the configured election addresses (e.g. after a reconfiguration). */
  setPeers(peers: ReadonlyMap<bigint, PeerAddresses>): void {
    this.peers = normalisePeers(peers);
  }

  /** Replaces the voter set used to flag messages `fromNonVoter` (undefined: flag nothing). */
  setVoters(voters: ReadonlySet<bigint> | undefined): void {
    this.voters = voters ?? null;
  }

  // ---- sending ---------------------------------------------------------------------------

  /**
   * Queues `payload` for `sid` (replacing any older unsent message) and makes sure a connection
   * is being established. Never blocks; sending to our own sid loops back to the receive side.
   */
  send(sid: bigint, payload: Uint8Array): void {
    checkSid('sid', sid);
    if (this.phase === 'halted') return;
    if (!(payload instanceof Uint8Array) || payload.length === 0 || payload.length > this.o.maxFrameSize) {
      throw new CnxError('BAD_PAYLOAD', `expected a payload of 1..${this.o.maxFrameSize} bytes, got ${payload instanceof Uint8Array ? payload.length : typeof payload}`);
    }
    if (sid === this.myid) {
      const copy = payload.slice();
      // Asynchronous like a network delivery, so callers never see re-entrant 'message' events.
      queueMicrotask(() => {
        if (this.phase !== 'halted') this.deliver(sid, copy);
      });
      return;
    }
    const frame = encodeFrame(payload, { maxLength: this.o.maxFrameSize });
    const peer = this.table.ensure(sid);
    if (peer.slot !== null) this.counters.sendOverwrites++;
    peer.slot = frame;
    this.flush(peer);
    this.connectOne(sid);
  }

  /** Starts a connection to `sid` unless one is live or being attempted. */
  connectOne(sid: bigint): void {
    this.dial(checkSid('sid', sid), null);
  }

  /** connectOne for every sid that has a send queue (ZooKeeper's connectAll). */
  connectAll(): void {
    for (const sid of this.table.sids()) this.dial(sid, null);
  }

  /**
   * True if at least one per-peer send slot is empty; false when all hold a message or there
   * are none. ZooKeeper calls this `haveDelivered`; the election uses it to decide whether to
   * re-send its vote or just reconnect.
   */
  someQueueEmpty(): boolean {
    for (const peer of this.table.values()) if (peer.slot === null) return true;
    return false;
  }

  /** Closes the live connection to `sid`, if any (it is re-established by the next send). */
  disconnect(sid: bigint): void {
    this.table.get(checkSid('sid', sid))?.conn?.close('disconnect');
  }

  // ---- receiving -------------------------------------------------------------------------

  /** The next received message, or null after `timeoutMs` or once halted. */
  poll(timeoutMs?: number): Promise<ReceivedMessage | null> {
    return this.recv.poll(timeoutMs);
  }

  /** Async iteration over received messages; ends when the manager halts. */
  [Symbol.asyncIterator](): AsyncIterator<ReceivedMessage> {
    return this.recv.iterate();
  }

  // ---- observation -----------------------------------------------------------------------

  peerTable(): Map<bigint, PeerInfo> {
    const out = new Map<bigint, PeerInfo>();
    const sids = new Set([...this.peers.keys(), ...this.table.sids()]);
    sids.delete(this.myid);
    for (const sid of [...sids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      out.set(sid, describePeer(this.table.get(sid) ?? newPeerState(sid), this.peers.has(sid), this.isNonVoter(sid)));
    }
    return out;
  }

  stats(): CnxStats {
    return {
      ...this.counters,
      unknownEvictions: this.table.evictions,
      rejections: { ...this.rejections },
      recvDrops: this.recv.dropped,
      pendingHandshakes: this.pending,
      openSockets: this.sockets.size,
    };
  }

  // ---- incoming connections --------------------------------------------------------------

  private accept(raw: net.Socket): void {
    raw.on('error', () => undefined); // errors are reported on the wrapping connection
    if (this.phase !== 'running') {
      raw.destroy();
      return;
    }
    this.counters.accepted++;
    if (this.pending >= this.o.maxPendingHandshakes) {
      this.rejections['too-many-pending']++;
      this.o.logger.warn('connection rejected', { reason: 'too-many-pending', remote: raw.remoteAddress });
      raw.destroy();
      return;
    }
    raw.setNoDelay(true);
    const c = this.connection('incoming', raw);
    c.reader = new HandshakeReader();
    c.pendingHandshake = true;
    this.pending++;
    c.arm(this.o.handshakeTimeoutMs, () => c.close('handshake-timeout', `no handshake within ${this.o.handshakeTimeoutMs} ms`));
    if (this.tlsAcceptor === null) {
      c.secure = true;
      raw.on('data', (chunk: Buffer) => this.guard(c, () => this.onData(c, chunk)));
      return;
    }
    // node:tls ends a socket whose client certificate it refuses without an error: report it.
    c.eofReason = 'tls-error';
    c.eofDetail = 'closed during the TLS handshake (e.g. client certificate refused)';
    c.tlsToken = this.tlsAcceptor.begin(raw, c);
  }

  private onSecured(c: Connection, ts: tls.TLSSocket): void {
    c.tlsToken = null;
    if (c.phase === 'closed') {
      ts.destroy();
      return;
    }
    c.secure = true;
    c.eofReason = 'remote-closed';
    c.eofDetail = null;
    c.adopt(ts);
    ts.on('data', (chunk: Buffer) => this.guard(c, () => this.onData(c, chunk)));
  }

  private onData(c: Connection, chunk: Uint8Array): void {
    if (c.phase === 'handshake' && c.reader !== null) {
      c.bytesIn += chunk.length;
      let result;
      try {
        result = c.reader.push(chunk);
      } catch (error) {
        c.close('bad-handshake', error instanceof Error ? error.message : String(error));
        return;
      }
      if (result.status === 'need-more') return;
      c.reader = null;
      this.onHandshake(c, result.handshake, result.rest);
      return;
    }
    if (c.phase === 'established' && c.sid !== null) this.onFrames(c, c.sid, chunk);
  }

  private onHandshake(c: Connection, hs: Handshake, rest: Uint8Array): void {
    c.disarm();
    this.unpend(c);
    // Id-less observers of old get a local negative id, which always loses the tie-break.
    const sid = hs.observerId ? this.nextObserverId-- : hs.sid;
    c.sid = sid;
    if (sid === this.myid) {
      c.close('own-sid', `handshake carries our own sid ${sid}`);
      return;
    }
    if (sid < this.myid) {
      // The smaller side asks us to call it: drop whatever we believe is live, then connect back.
      this.counters.tieBreakCloses++;
      c.close('tie-break');
      this.table.get(sid)?.conn?.close('replaced');
      this.dial(sid, hs.addresses.length > 0 ? hs.addresses : null);
      return;
    }
    this.register(c, sid);
    if (rest.length > 0 && c.phase === 'established') this.onFrames(c, sid, rest);
  }

  private onFrames(c: Connection, sid: bigint, chunk: Uint8Array): void {
    const peer = this.table.get(sid);
    if (peer === undefined || peer.conn !== c || c.decoder === null) return;
    c.bytesIn += chunk.length;
    peer.bytesIn += chunk.length;
    try {
      c.decoder.feed(chunk, (payload) => {
        if (c.phase !== 'established') return; // a listener closed it (disconnect/halt) mid-chunk
        peer.messagesIn++;
        // Copy: the payload may be a view into a pooled socket buffer.
        this.deliver(sid, payload.slice());
      });
    } catch (error) {
      c.close('bad-frame', error instanceof Error ? error.message : String(error));
    }
  }

  private deliver(sid: bigint, payload: Uint8Array): void {
    const fromNonVoter = this.isNonVoter(sid);
    this.recv.push({ sid, payload, fromNonVoter });
    this.safeEmit('message', sid, payload, { fromNonVoter });
  }

  // ---- outgoing connections --------------------------------------------------------------

  private dial(sid: bigint, override: readonly PeerAddress[] | null): void {
    if (this.phase !== 'running' || sid === this.myid) return;
    const existing = this.table.get(sid);
    if (existing !== undefined && (existing.conn !== null || existing.dial !== null)) return;
    const configured = this.peers.get(sid);
    const addresses = override ?? configured ?? null;
    if (addresses === null) {
      if (existing !== undefined) existing.lastError = 'no election address known for this sid';
      this.o.logger.debug('no election address for sid', { sid: String(sid) });
      return;
    }
    const unknown = configured === undefined;
    if (unknown && this.unknownDials >= this.o.maxUnknownConnects) {
      this.counters.connectsCapped++;
      return;
    }
    const peer = this.table.ensure(sid);
    const dial: Dial = { addresses, index: 0, conn: null, handshakeWritten: false, unknown };
    if (unknown) this.unknownDials++;
    peer.dial = dial;
    this.counters.connectAttempts++;
    this.dialAddress(peer, dial);
  }

  private dialAddress(peer: PeerState, dial: Dial): void {
    const addr = dial.addresses[dial.index]!;
    const { socket, ready } = dialSocket(addr, this.o.tls, this.secureContext);
    socket.setNoDelay(true);
    const c = this.connection('outgoing', socket);
    c.sid = peer.sid;
    dial.conn = c;
    c.arm(this.o.connectTimeoutMs, () => c.close('connect-timeout', `no connection to ${addr.host}:${addr.port} within ${this.o.connectTimeoutMs} ms`));
    socket.once(ready, () => this.guard(c, () => this.onDialed(peer, dial, c)));
    socket.on('data', (chunk: Buffer) => this.guard(c, () => this.onData(c, chunk)));
  }

  private onDialed(peer: PeerState, dial: Dial, c: Connection): void {
    if (c.phase !== 'dialing' || peer.dial !== dial || this.handshake === null) return;
    c.disarm();
    c.secure = true;
    dial.handshakeWritten = true;
    if (peer.sid > this.myid) {
      // We are the smaller side: announce ourselves and hang up; the larger side connects back.
      c.endWith(this.handshake, 'handshake-sent');
      return;
    }
    this.endDial(peer, dial);
    c.write(this.handshake);
    this.register(c, peer.sid);
  }

  private endDial(peer: PeerState, dial: Dial): void {
    if (peer.dial === dial) peer.dial = null;
    if (dial.unknown) this.unknownDials--;
    dial.unknown = false;
  }

  // ---- live connections ------------------------------------------------------------------

  private register(c: Connection, sid: bigint): void {
    const peer = this.table.ensure(sid);
    const old = peer.conn;
    peer.conn = c;
    c.phase = 'established';
    c.decoder = new FrameDecoder({ maxLength: this.o.maxFrameSize });
    old?.close('replaced');
    const dial = peer.dial;
    if (dial !== null && !dial.handshakeWritten) {
      // The peer reached us first; our own attempt would only cause another round of churn.
      this.endDial(peer, dial);
      dial.conn?.close('superseded');
    }
    peer.connectedAt = this.o.clock.now();
    c.socket.on('drain', () =>
      this.guard(c, () => {
        c.congested = false;
        this.flush(peer);
      }),
    );
    this.o.logger.info('connection established', { sid: String(sid), direction: c.direction, remote: c.remoteAddress });
    // Resend rule (PROTOCOL.md 2.3): a new connection repeats the last message unless a newer one waits.
    if (peer.slot === null && peer.lastSent !== null) this.writeFrame(peer, c, peer.lastSent);
    this.flush(peer);
    if (peer.conn === c) this.safeEmit('connected', sid);
  }

  private flush(peer: PeerState): void {
    const c = peer.conn;
    if (c === null || c.phase !== 'established' || c.congested || peer.slot === null) return;
    const frame = peer.slot;
    peer.slot = null;
    this.writeFrame(peer, c, frame);
  }

  private writeFrame(peer: PeerState, c: Connection, frame: Uint8Array): void {
    peer.lastSent = frame;
    peer.bytesOut += frame.length;
    peer.messagesOut++;
    c.write(frame);
  }

  // ---- closing ---------------------------------------------------------------------------

  private onError(c: Connection, error: Error): void {
    const detail = error.message;
    if (c.phase === 'dialing') c.close('connect-failed', detail);
    else if (c.direction === 'incoming' && !c.secure) c.close('tls-error', detail);
    else c.close('socket-error', detail);
  }

  private onClosed(c: Connection): void {
    const reason = c.closeReason!;
    this.unpend(c);
    if (c.tlsToken !== null) this.tlsAcceptor?.forget(c.tlsToken, c);
    const isRejection = (REJECT_REASONS as readonly string[]).includes(reason);
    if (isRejection) this.rejections[reason as RejectReason]++;
    const context = { id: c.id, sid: c.sid === null ? null : String(c.sid), remote: c.remoteAddress, reason, detail: c.closeDetail };
    if (isRejection) this.o.logger.warn('connection closed', context);
    else this.o.logger.debug('connection closed', context);
    if (c.sid === null) return;
    const peer = this.table.get(c.sid);
    if (peer === undefined) return;
    const dial = peer.dial;
    if (dial !== null && dial.conn === c) {
      dial.conn = null;
      if (DIAL_FAILURES.has(reason) && this.phase === 'running') {
        if (dial.index + 1 < dial.addresses.length) {
          dial.index++;
          this.dialAddress(peer, dial);
          return;
        }
        this.counters.connectFailures++;
        peer.lastError = `${reason}: ${c.closeDetail ?? 'closed during connect'}`;
        this.o.logger.warn('cannot open election connection', context);
      }
      this.endDial(peer, dial);
    } else if (peer.conn === c) {
      peer.conn = null;
      peer.connectedAt = null;
      if (reason !== 'disconnect' && reason !== 'halt' && reason !== 'replaced') peer.lastError = `${reason}${c.closeDetail === null ? '' : `: ${c.closeDetail}`}`;
      if (this.phase !== 'halted') {
        this.o.logger.info('connection lost', context);
        this.safeEmit('disconnected', peer.sid);
      }
    }
    this.table.prune(peer);
  }

  private unpend(c: Connection): void {
    if (c.pendingHandshake) {
      c.pendingHandshake = false;
      this.pending--;
    }
  }

  // ---- helpers ---------------------------------------------------------------------------

  private connection(direction: 'incoming' | 'outgoing', socket: net.Socket): Connection {
    const c = new Connection(direction, socket, this.o.clock, (x) => this.onClosed(x), (x, e) => this.onError(x, e));
    this.sockets.add(c);
    void c.closed().then(() => this.sockets.delete(c));
    return c;
  }

  private isNonVoter(sid: bigint): boolean {
    return this.voters !== null && !this.voters.has(sid);
  }

  private buildOwnHandshake(addresses: readonly PeerAddress[]): Uint8Array {
    try {
      return buildHandshake({ sid: this.myid, addresses: [...addresses], protocol: this.o.protocol });
    } catch (error) {
      throw new CnxError('BAD_OPTION', `expected advertisable election addresses, got ${JSON.stringify(addresses)}: ${String(error)}`, { cause: error });
    }
  }

  /** Runs a socket callback; anything thrown closes that connection instead of the process. */
  private guard(c: Connection, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.o.logger.error('unexpected error on election connection', { id: c.id, error: String(error) });
      c.close('socket-error', String(error));
    }
  }

  private safeEmit<K extends keyof CnxEvents>(event: K, ...args: CnxEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: CnxEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.o.logger.error(`a '${event}' listener threw`, { error: String(error) });
    }
  }
}
