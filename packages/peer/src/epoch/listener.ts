// The quorum port (server.N's second port): bound for the peer's whole life, it reads one
// FOLLOWERINFO per connection within a deadline and hands the connection to the active leader
// session, or refuses it. Floods, garbage and slow handshakes cost only the offending socket.

import net from 'node:net';
import type { Clock, Logger } from '../clock.js';
import { PeerError } from '../errors.js';
import { QuorumChannel } from './channel.js';
import { RejectReason, type QuorumMessage, type ResponderStatus } from './messages.js';

export type FollowerInfo = Extract<QuorumMessage, { type: 'FOLLOWERINFO' }>;
export type LearnerHandler = (channel: QuorumChannel, info: FollowerInfo) => void;

export interface QuorumListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A connection must send its FOLLOWERINFO within this time. */
  readonly handshakeTimeoutMs: number;
  /** Connections still in their handshake; beyond this, the oldest of them is closed. */
  readonly maxPendingHandshakes?: number;
  /** Open connections in total (net.Server.maxConnections). */
  readonly maxConnections?: number;
  /** This peer's election state, sent with every NOT_LEADING (defaults to LOOKING in round 0). */
  readonly status?: () => ResponderStatus;
  /** For TLS: wraps server creation (defaults to plain TCP). */
  readonly createServer?: (onConnection: (socket: net.Socket) => void) => net.Server;
}

const LOOKING_AT_START: ResponderStatus = { state: 'LOOKING', leader: null, round: 0n };

export interface QuorumListenerStats {
  accepted: number;
  rejectedHandshakes: number;
  droppedForLoad: number;
}

export class QuorumListener {
  private server: net.Server | null = null;
  private handler: LearnerHandler | null = null;
  private closed = false;
  private readonly pending = new Set<QuorumChannel>();
  private readonly open = new Set<net.Socket>();
  readonly stats: QuorumListenerStats = { accepted: 0, rejectedHandshakes: 0, droppedForLoad: 0 };

  constructor(private readonly options: QuorumListenerOptions) {}

  async listen(): Promise<{ host: string; port: number }> {
    const { host, port } = this.options;
    const server = this.options.createServer
      ? this.options.createServer((s) => this.onConnection(s))
      : net.createServer((s) => this.onConnection(s));
    server.maxConnections = this.options.maxConnections ?? 256;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        reject(new PeerError('LISTEN_FAILED', `expected to listen on quorum port ${host}:${port}, got ${e.code ?? e.message}`, { cause: e }));
      };
      server.once('error', onError);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (e) => this.options.logger.error('quorum port error', { error: String(e) }));
    if (this.closed) {
      // close() ran while we were binding: release the port instead of leaking it.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw new PeerError('CLOSED', `expected to keep the quorum port ${host}:${port}, got close() while binding`);
    }
    this.server = server;
    return this.address() as { host: string; port: number };
  }

  address(): { host: string; port: number } | null {
    const a = this.server?.address();
    if (a === null || a === undefined || typeof a === 'string') return null;
    return { host: a.address, port: a.port };
  }

  /** Connections that have not sent their FOLLOWERINFO yet. */
  get pendingHandshakes(): number {
    return this.pending.size;
  }

  /** Sets (or clears) who receives learners; without one, learners are told NOT_LEADING. */
  setHandler(handler: LearnerHandler | null): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    this.closed = true;
    const server = this.server;
    this.server = null;
    this.handler = null;
    for (const channel of this.pending) channel.close('listener closing');
    for (const socket of this.open) socket.destroy();
    if (server === null) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onConnection(socket: net.Socket): void {
    const { clock, logger, handshakeTimeoutMs } = this.options;
    socket.on('error', () => {});
    if (this.server === null) {
      socket.destroy();
      return;
    }
    if (this.pending.size >= (this.options.maxPendingHandshakes ?? 32)) {
      // Evict the oldest silent connection rather than refuse the new one: a real learner sends
      // its FOLLOWERINFO at once, so a flood of idle sockets cannot lock it out.
      const oldest = this.pending.values().next().value as QuorumChannel;
      this.stats.droppedForLoad += 1;
      oldest.close('evicted: too many connections in their handshake');
    }
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
    const channel = new QuorumChannel(socket);
    this.pending.add(channel);
    const timer = clock.setTimeout(() => channel.close(`no FOLLOWERINFO within ${handshakeTimeoutMs} ms`), handshakeTimeoutMs);
    const done = (): void => {
      clock.clearTimeout(timer);
      this.pending.delete(channel);
      channel.removeAllListeners();
    };
    channel.on('close', (reason) => {
      if (!this.pending.has(channel)) return;
      done();
      this.stats.rejectedHandshakes += 1;
      logger.debug('quorum port: dropped connection before handshake', { remote: channel.remote, reason });
    });
    channel.on('message', (msg) => {
      done();
      if (msg.type !== 'FOLLOWERINFO') {
        this.stats.rejectedHandshakes += 1;
        channel.close(`expected FOLLOWERINFO first, got ${msg.type}`);
        return;
      }
      this.stats.accepted += 1;
      const handler = this.handler;
      if (handler === null) {
        const status = this.options.status?.() ?? LOOKING_AT_START;
        channel.sendAndClose({ type: 'REJECT', reason: RejectReason.NOT_LEADING, status }, 'not leading');
        return;
      }
      handler(channel, msg);
    });
  }
}
