// A fault-injecting TCP proxy on 127.0.0.1: put it between two peers' election ports to cut,
// block or blackhole their link while both processes keep running (partitions, chaos).

import net from 'node:net';
import { TestkitError } from './errors.js';

export interface ProxyOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  listenPort?: number;
  target: { host: string; port: number };
}

export type ProxyState = 'forwarding' | 'blocked' | 'blackhole';

/** Which bytes a blackhole swallows: both directions, or only client->target / target->client. */
export type BlackholeDirection = 'both' | 'toTarget' | 'toClient';

export interface ProxyStats {
  /** Connections accepted from clients (including ones reset while blocked). */
  accepted: number;
  /** Connections reset on arrival because the proxy was blocked. */
  refused: number;
  /** Connections currently open through the proxy. */
  active: number;
  /** Bytes forwarded client -> target. */
  bytesToTarget: number;
  /** Bytes forwarded target -> client. */
  bytesToClient: number;
  /** Bytes swallowed while blackholed. */
  bytesDropped: number;
}

export interface Proxy {
  readonly port: number;
  readonly state: ProxyState;
  /** While state is 'blackhole': which direction is swallowed. */
  readonly direction: BlackholeDirection;
  /** Destroys every open connection and resets new ones on arrival until `unblock()`. */
  block(): void;
  /** Back to forwarding for new connections; connections that were blackholed are destroyed
   * (bytes were lost, so the stream cannot be resumed). */
  unblock(): void;
  /** Keeps accepting and keeps connections open, but forwards nothing in `direction` (default
   * both; a one-way blackhole still connects new clients to the target). */
  blackhole(direction?: BlackholeDirection): void;
  /** Destroys every open connection once; new ones are handled per the current state. */
  cutConnections(): void;
  stats(): ProxyStats;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
}

export function startProxy(opts: ProxyOptions): Promise<Proxy> {
  const pairs = new Set<Pair>();
  let state: ProxyState = 'forwarding';
  let direction: BlackholeDirection = 'both';
  const passes = (dir: 'toTarget' | 'toClient'): boolean =>
    state === 'forwarding' || (state === 'blackhole' && direction !== 'both' && direction !== dir);
  const stats: ProxyStats = { accepted: 0, refused: 0, active: 0, bytesToTarget: 0, bytesToClient: 0, bytesDropped: 0 };

  const destroyPair = (p: Pair): void => {
    if (!pairs.delete(p)) return;
    stats.active = pairs.size;
    p.client.destroy();
    p.upstream?.destroy();
  };

  const onConnection = (client: net.Socket): void => {
    stats.accepted++;
    client.on('error', () => undefined);
    if (state === 'blocked') {
      stats.refused++;
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, upstream: null };
    pairs.add(pair);
    stats.active = pairs.size;
    client.once('close', () => destroyPair(pair));
    // Data is read in every state; the current state decides whether it is forwarded.
    client.on('data', (chunk: Buffer) => {
      if (passes('toTarget') && pair.upstream !== null) {
        stats.bytesToTarget += chunk.length;
        pair.upstream.write(chunk);
      } else {
        stats.bytesDropped += chunk.length;
      }
    });
    if (state === 'blackhole' && direction === 'both') return;
    const upstream = net.connect({ host: opts.target.host, port: opts.target.port });
    pair.upstream = upstream;
    upstream.on('error', () => destroyPair(pair));
    upstream.once('close', () => destroyPair(pair));
    upstream.on('data', (chunk: Buffer) => {
      if (passes('toClient')) {
        stats.bytesToClient += chunk.length;
        client.write(chunk);
      } else {
        stats.bytesDropped += chunk.length;
      }
    });
  };

  const server = net.createServer({ pauseOnConnect: false }, onConnection);

  const cutAll = (): void => {
    for (const p of [...pairs]) destroyPair(p);
  };

  return new Promise((resolve, reject) => {
    server.once('error', (err) =>
      reject(new TestkitError('IO', `proxy: expected to listen on 127.0.0.1:${opts.listenPort ?? 0}, got ${err.message}`, { cause: err })),
    );
    server.listen({ port: opts.listenPort ?? 0, host: '127.0.0.1' }, () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        get state() {
          return state;
        },
        get direction() {
          return direction;
        },
        block() {
          state = 'blocked';
          cutAll();
        },
        unblock() {
          if (state === 'blackhole') cutAll();
          state = 'forwarding';
        },
        blackhole(dir: BlackholeDirection = 'both') {
          state = 'blackhole';
          direction = dir;
        },
        cutConnections: cutAll,
        stats: () => ({ ...stats, active: pairs.size }),
        close() {
          cutAll();
          return new Promise<void>((res) => server.close(() => res()));
        },
      });
    });
  });
}
