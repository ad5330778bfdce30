// One election socket, incoming or outgoing, from accept/dial to close. It owns the socket's
// timers and listeners and closes exactly once with a reason; the manager decides the policy.

import type { Socket } from 'node:net';
import type { FrameDecoder, HandshakeReader } from '@zkvote/wire';
import type { Clock, TimerHandle } from './clock.js';

export type Direction = 'incoming' | 'outgoing';

/** Why a connection was closed. The first group are rejections, counted in `stats()`. */
export type RejectReason =
  | 'bad-handshake' // invalid initial message (version, address length, address text)
  | 'handshake-timeout' // no complete handshake within handshakeTimeoutMs
  | 'own-sid' // a handshake carrying our own sid
  | 'too-many-pending' // maxPendingHandshakes accepted sockets already awaiting handshakes
  | 'bad-frame' // frame length <= 0 or above maxFrameSize
  | 'socket-error' // read/write error on an accepted or registered socket
  | 'tls-error'; // TLS handshake failed (bad or missing certificate, protocol error)

export type CloseReason =
  | RejectReason
  | 'tie-break' // incoming from a smaller sid: closed, we connect back
  | 'handshake-sent' // outgoing to a larger sid: handshake written, it will connect back
  | 'replaced' // a newer connection for the same sid took over
  | 'superseded' // an in-flight dial dropped because the peer connected to us first
  | 'remote-closed'
  | 'connect-failed'
  | 'connect-timeout'
  | 'disconnect' // disconnect(sid) from the API
  | 'halt';

export const REJECT_REASONS: readonly RejectReason[] = [
  'bad-handshake',
  'handshake-timeout',
  'own-sid',
  'too-many-pending',
  'bad-frame',
  'socket-error',
  'tls-error',
];

export type Phase = 'dialing' | 'handshake' | 'established' | 'closed';

let nextId = 1;

export class Connection {
  readonly id = nextId++;
  phase: Phase;
  /** The peer's sid once known (dial target, or handshake sid after the tie-break). */
  sid: bigint | null = null;
  /** Set when the socket's kernel buffer is full; the send slot then keeps the newest message. */
  congested = false;
  bytesIn = 0;
  bytesOut = 0;
  /** Incoming, until the handshake is complete. */
  reader: HandshakeReader | null = null;
  /** Once registered for a sid. */
  decoder: FrameDecoder | null = null;
  /** Counted in the manager's pending-handshake total. */
  pendingHandshake = false;
  /** TLS established (always true for plain incoming sockets); errors before it are TLS errors. */
  secure = false;
  /** While the server-side TLS handshake runs: the acceptor's token for this connection. */
  tlsToken: string | null = null;
  closeReason: CloseReason | null = null;
  /** How a close by the far end is reported (a TLS handshake refused by node:tls just ends). */
  eofReason: CloseReason = 'remote-closed';
  eofDetail: string | null = null;
  closeDetail: string | null = null;
  private timer: TimerHandle | null = null;
  private readonly closedWaiters: Array<() => void> = [];
  private socketClosed = false;

  private readonly sockets: Socket[] = [];
  private openSockets = 0;

  constructor(
    readonly direction: Direction,
    socket: Socket,
    private readonly clock: Clock,
    private readonly onClosed: (c: Connection) => void,
    private readonly onError: (c: Connection, error: Error) => void,
  ) {
    this.phase = direction === 'incoming' ? 'handshake' : 'dialing';
    this.socket = socket;
    this.watch(socket);
  }

  /** The socket bytes flow through (the TLS socket once `adopt` wrapped the raw one). */
  socket: Socket;

  /** Switches to a socket layered on the current one (server-side TLS); both are watched. */
  adopt(layer: Socket): void {
    this.socket = layer;
    this.watch(layer);
    if (this.phase === 'closed') layer.destroy();
  }

  private watch(socket: Socket): void {
    this.sockets.push(socket);
    this.openSockets++;
    // Always listen for 'error': an unhandled socket error would crash the process.
    socket.on('error', (error: Error) => {
      if (this.phase !== 'closed') this.onError(this, error);
    });
    socket.once('close', () => {
      // A socket closed by the far end (or failing) before we closed it ourselves.
      if (this.phase !== 'closed') this.close(this.eofReason, this.eofDetail);
      if (--this.openSockets === 0) {
        this.socketClosed = true;
        for (const w of this.closedWaiters.splice(0)) w();
      }
    });
  }

  get remoteAddress(): string | null {
    const { remoteAddress: host, remotePort: port } = this.socket;
    if (host === undefined || port === undefined) return null;
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }

  get localAddress(): string | null {
    const { localAddress: host, localPort: port } = this.socket;
    if (host === undefined || port === undefined) return null;
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }

  /** (Re)arms the single timer of this connection (connect or handshake timeout). */
  arm(ms: number, onExpiry: () => void): void {
    this.disarm();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      onExpiry();
    }, ms);
  }

  disarm(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  write(bytes: Uint8Array): void {
    if (this.phase === 'closed') return;
    this.bytesOut += bytes.length;
    if (!this.socket.write(bytes)) this.congested = true;
  }

  /** Writes `bytes` as the last thing on this socket, then closes it (handshake to a larger sid). */
  endWith(bytes: Uint8Array, reason: CloseReason): void {
    if (this.phase === 'closed') return;
    this.bytesOut += bytes.length;
    this.finish(reason, null);
    // Destroy once the bytes reached the kernel: it still delivers them before the FIN.
    this.socket.end(bytes, () => this.socket.destroy());
  }

  close(reason: CloseReason, detail: string | null = null): void {
    if (this.phase === 'closed') return;
    this.finish(reason, detail);
    for (const socket of this.sockets) socket.destroy();
  }

  private finish(reason: CloseReason, detail: string | null): void {
    this.phase = 'closed';
    this.closeReason = reason;
    this.closeDetail = detail;
    this.disarm();
    this.onClosed(this);
  }

  /** Resolves once every socket of this connection has emitted 'close' (handles released). */
  closed(): Promise<void> {
    if (this.socketClosed) return Promise.resolve();
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }
}
