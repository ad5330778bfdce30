// An election-port proxy for partitions between real servers. It forwards one ordered link
// (node `from` -> node `to`) and rewrites the initiator's handshake so that its advertised
// election address is the proxy of the reverse link: ZooKeeper (and zkvote, wire-compatibly)
// connect back to the address in the handshake (PROTOCOL.md §1.4), which would otherwise
// bypass every proxy. Quorum-port links need no rewrite and use @zkvote/testkit's proxy.

import net from 'node:net';
import { buildHandshake, parseHandshake } from '../../packages/wire/dist/index.js';

export interface ElectionProxy {
  readonly port: number;
  readonly blocked: boolean;
  /** Handshakes rewritten so far. */
  readonly rewritten: number;
  /** Destroy open connections and reset new ones until unblock(). */
  block(): void;
  unblock(): void;
  close(): Promise<void>;
}

export interface ElectionProxyOptions {
  /** Port to listen on (0: any). */
  listenPort?: number;
  targetPort: number;
  /** The port the handshake should advertise (the reverse link's proxy); set after creation. */
  advertise: () => number;
}

const MAX_HANDSHAKE = 70_000;

export async function startElectionProxy(opts: ElectionProxyOptions): Promise<ElectionProxy> {
  const open = new Set<net.Socket>();
  let blocked = false;
  let rewritten = 0;
  const server = net.createServer((client) => {
    if (blocked) {
      client.resetAndDestroy();
      return;
    }
    open.add(client);
    const upstream = net.connect({ host: '127.0.0.1', port: opts.targetPort });
    open.add(upstream);
    const drop = (): void => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    upstream.pipe(client);
    // Until the handshake is complete, hold the initiator's bytes; then rewrite and pipe.
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      let out: Buffer;
      try {
        const r = parseHandshake(head);
        if (r.status === 'need-more') {
          if (head.length > MAX_HANDSHAKE) drop();
          return;
        }
        if (r.handshake.protocol === 'legacy') {
          out = head;
        } else {
          const hs = buildHandshake({ sid: r.handshake.sid, protocol: r.handshake.protocol, addresses: [{ host: '127.0.0.1', port: opts.advertise() }] });
          rewritten++;
          out = Buffer.concat([Buffer.from(hs), head.subarray(r.consumed)]);
        }
      } catch {
        out = head; // not a handshake we understand: pass it on untouched, the peer decides
      }
      client.off('data', onData);
      upstream.write(out);
      client.pipe(upstream);
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get blocked() {
      return blocked;
    },
    get rewritten() {
      return rewritten;
    },
    block() {
      blocked = true;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    unblock() {
      blocked = false;
    },
    close() {
      blocked = true;
      for (const s of open) s.destroy();
      open.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
