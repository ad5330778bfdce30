// Mutual TLS for election connections (ZooKeeper's sslQuorum): dialling with our certificate,
// and accepting through a tls.Server that never listens, because node:tls checks a client's
// certificate chain only for sockets of a tls.Server.

import net from 'node:net';
import tls from 'node:tls';
import type { CnxTlsOptions, PeerAddress } from './options.js';

/** A plain or TLS outgoing socket, and the event after which the handshake may be written. */
export function dialSocket(addr: PeerAddress, t: CnxTlsOptions | null, context: tls.SecureContext | null): { socket: net.Socket; ready: 'connect' | 'secureConnect' } {
  if (t === null || context === null) return { socket: net.connect({ host: addr.host, port: addr.port }), ready: 'connect' };
  const socket = tls.connect({
    host: addr.host,
    port: addr.port,
    secureContext: context,
    rejectUnauthorized: true,
    ...(net.isIP(addr.host) === 0 ? { servername: addr.host } : {}),
    ...(t.hostnameVerification === false ? { checkServerIdentity: () => undefined } : {}),
  });
  return { socket, ready: 'secureConnect' };
}

export interface TlsAcceptorEvents<K> {
  /** The TLS handshake succeeded and the client certificate verified. */
  secured(key: K, socket: tls.TLSSocket): void;
  /** The TLS handshake failed (bad/missing certificate, protocol error). */
  refused(key: K, error: Error): void;
}

/**
 * Runs the server side of TLS on accepted raw sockets. Callbacks find the caller's object for a
 * socket again by its remote endpoint, which is unique among the listener's live sockets.
 */
export class TlsAcceptor<K> {
  private readonly server: tls.Server;
  private readonly pending = new Map<string, K>();

  constructor(t: CnxTlsOptions, events: TlsAcceptorEvents<K>) {
    // tls.Server builds its own context from key/cert/ca (a secureContext option is not used).
    this.server = tls.createServer({
      key: t.key,
      cert: t.cert,
      ca: t.ca,
      passphrase: t.passphrase,
      requestCert: true,
      rejectUnauthorized: true,
      handshakeTimeout: 0, // the manager's own (injectable) handshake timer covers TLS too
    });
    this.server.on('secureConnection', (ts) => {
      const key = this.take(ts);
      if (key === undefined) ts.destroy();
      else events.secured(key, ts);
    });
    this.server.on('tlsClientError', (error, ts) => {
      const key = this.take(ts);
      ts.destroy();
      if (key !== undefined) events.refused(key, error);
    });
  }

  /** Starts the TLS handshake on `raw`; returns the token to `forget` it if it closes first. */
  begin(raw: net.Socket, key: K): string {
    const token = endpoint(raw);
    this.pending.set(token, key);
    this.server.emit('connection', raw);
    return token;
  }

  forget(token: string, key: K): void {
    if (this.pending.get(token) === key) this.pending.delete(token);
  }

  private take(ts: net.Socket): K | undefined {
    const token = endpoint(ts);
    const key = this.pending.get(token);
    this.pending.delete(token);
    return key;
  }
}

function endpoint(s: net.Socket): string {
  return `${s.remoteAddress ?? '?'}|${s.remotePort ?? '?'}`;
}
