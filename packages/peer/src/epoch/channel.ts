// One quorum-port connection: frames in, typed messages out. Any decoding error, socket error
// or oversized frame closes this socket only; the owner hears a single 'close' with the reason.

import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { PeerError } from '../errors.js';
import { QuorumFrameDecoder, encodeQuorumMessage, type QuorumMessage } from './messages.js';

export interface ChannelEvents {
  message: [QuorumMessage];
  close: [string];
}

export class QuorumChannel extends EventEmitter<ChannelEvents> {
  private readonly decoder = new QuorumFrameDecoder();
  private closedReason: string | null = null;

  constructor(readonly socket: net.Socket) {
    super();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.close(`socket error: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    socket.on('close', () => this.close('connection closed by peer'));
    socket.on('end', () => this.close('connection closed by peer'));
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  send(msg: QuorumMessage): void {
    if (this.closedReason !== null) return;
    this.socket.write(encodeQuorumMessage(msg));
  }

  /** Sends a last message, then closes once it is flushed. */
  sendAndClose(msg: QuorumMessage, reason: string): void {
    if (this.closedReason !== null) return;
    this.socket.end(encodeQuorumMessage(msg), () => this.socket.destroy());
    this.close(reason);
  }

  close(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.socket.removeAllListeners('data');
    // Keep an error listener: a late ECONNRESET on a socket we gave up on must not crash.
    this.socket.on('error', () => {});
    if (!this.socket.writableEnded) this.socket.destroy();
    this.emit('close', reason);
  }

  private onData(chunk: Buffer): void {
    if (this.closedReason !== null) return;
    let messages: QuorumMessage[];
    try {
      messages = this.decoder.push(chunk);
    } catch (e) {
      this.close(PeerError.isInstance(e) ? `bad message: ${e.message}` : `bad message: ${String(e)}`);
      return;
    }
    for (const msg of messages) {
      if (this.closedReason !== null) return;
      this.emit('message', msg);
    }
  }
}
