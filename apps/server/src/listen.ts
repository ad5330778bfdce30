// Binding our listeners with errors that name the address, so "port in use" is one clear line.

import type http from 'node:http';
import type net from 'node:net';
import { ServerError } from './errors.js';
import { formatHostPort } from './info.js';

/** Listens on host:port; resolves with the bound port. `what` names the listener in errors. */
export function listen(server: net.Server | http.Server, host: string, port: number, what: string): Promise<number> {
  const where = formatHostPort({ host, port });
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      if (err.code === 'EADDRINUSE') {
        reject(new ServerError('PORT_IN_USE', `${what} address ${where} is already in use`, { cause: err }));
      } else {
        reject(new ServerError('LISTEN', `cannot listen on ${what} address ${where}: ${err.code ?? err.message}`, { cause: err }));
      }
    };
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

const tracked = new WeakMap<net.Server, Set<net.Socket>>();

/** Remembers the server's open sockets so closeServer can end them. */
export function trackConnections<S extends net.Server>(server: S): S {
  const sockets = new Set<net.Socket>();
  tracked.set(server, sockets);
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return server;
}

/** Closes a listener and every connection it still holds. */
export function closeServer(server: net.Server | http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    for (const socket of tracked.get(server) ?? []) socket.destroy();
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

/** Checks that nothing listens on host:port yet, by binding and releasing it. */
export async function assertPortFree(net_: typeof net, host: string, port: number, what: string): Promise<void> {
  const probe = net_.createServer();
  await listen(probe, host, port, what);
  await closeServer(probe);
}
