// Mutual TLS for the quorum port (ZooKeeper's sslQuorum covers both ports): a listening
// tls.Server that demands and verifies client certificates, and the matching dialler.

import net from 'node:net';
import tls from 'node:tls';
import type { CnxTlsOptions } from '@zkvote/cnxmanager';
import type { QuorumConnector } from './follower.js';

export function tlsQuorumServer(t: CnxTlsOptions, handshakeTimeoutMs: number): (onConnection: (socket: net.Socket) => void) => net.Server {
  return (onConnection) =>
    tls.createServer(
      { key: t.key, cert: t.cert, ca: t.ca, passphrase: t.passphrase, requestCert: true, rejectUnauthorized: true, handshakeTimeout: handshakeTimeoutMs },
      onConnection,
    );
}

export function tlsQuorumConnector(t: CnxTlsOptions): QuorumConnector {
  return ({ host, port }) =>
    tls.connect({
      host,
      port,
      key: t.key,
      cert: t.cert,
      ca: t.ca,
      passphrase: t.passphrase,
      rejectUnauthorized: true,
      ...(net.isIP(host) === 0 ? { servername: host } : {}),
      ...(t.hostnameVerification === false ? { checkServerIdentity: () => undefined } : {}),
    });
}
