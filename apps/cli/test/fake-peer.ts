// A fake election-port peer for tests: records the handshake and frames it receives and answers
// with given frames (written the way ZooKeeper does: length, then payload, as two writes).

import net from 'node:net';
import { FrameDecoder, parseHandshake, type Handshake } from '@zkvote/wire';

export type FakeBehaviour =
  | { kind: 'answer'; frames: Uint8Array[] }
  /** Close after the handshake, as a server whose sid is larger than the prober's does. */
  | { kind: 'close' }
  /** Read and never answer. */
  | { kind: 'silent' };

export interface Received {
  handshake: Handshake;
  frames: Uint8Array[];
}

export interface FakePeer {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

export async function startFakePeer(behaviour: FakeBehaviour): Promise<FakePeer> {
  const received: Received[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let entry: Received | null = null;
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      if (entry === null) {
        buffered = Buffer.concat([buffered, chunk]);
        const r = parseHandshake(buffered);
        if (r.status === 'need-more') return;
        entry = { handshake: r.handshake, frames: [] };
        received.push(entry);
        chunk = buffered.subarray(r.consumed);
        if (behaviour.kind === 'close') {
          socket.destroy();
          return;
        }
      }
      const frames = decoder.push(chunk);
      entry.frames.push(...frames.map((f) => Uint8Array.from(f)));
      if (frames.length > 0 && behaviour.kind === 'answer' && entry.frames.length === frames.length) {
        for (const f of behaviour.frames) {
          socket.write(f.subarray(0, 4));
          socket.write(f.subarray(4));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, read, closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
