// Test helpers: bounded waits on conditions/events (never a bare sleep), a manual clock, free
// ports, raw client sockets and a mesh of managers on loopback.

import net from 'node:net';
import { once } from 'node:events';
import { QuorumCnxManager, type Clock, type QuorumCnxManagerOptions } from '../src/index.js';

/** Resolves when `cond()` holds; rejects after `timeoutMs` naming `what`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A clock whose timers fire only when the test advances it. */
export class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): number {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pendingTimers(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    this.t += ms;
    for (const [id, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at <= this.t && this.timers.delete(id)) timer.fn();
    }
  }
}

/** Distinct free loopback ports (bound then released; fine for a test run). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      s.listen(0, '127.0.0.1');
      await once(s, 'listening');
      servers.push(s);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

/** A raw TCP client that records what it receives and whether the far end closed. */
export class RawClient {
  readonly socket: net.Socket;
  received = Buffer.alloc(0);
  closed = false;
  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port });
    this.socket.on('error', () => undefined);
    this.socket.on('data', (d: Buffer) => (this.received = Buffer.concat([this.received, d])));
    this.socket.on('close', () => (this.closed = true));
  }
  async connected(): Promise<this> {
    if (!this.socket.connecting) return this;
    await once(this.socket, 'connect');
    return this;
  }
  write(hex: string | Uint8Array): void {
    this.socket.write(typeof hex === 'string' ? Buffer.from(hex, 'hex') : hex);
  }
  async destroy(): Promise<void> {
    if (this.closed) return;
    const done = once(this.socket, 'close');
    this.socket.destroy();
    await done;
  }
}

export const loopback = (port: number) => ({ host: '127.0.0.1', port });

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function text(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

export interface Mesh {
  ports: Map<bigint, number>;
  managers: Map<bigint, QuorumCnxManager>;
  /** Creates, starts and announces (sends a message to every other sid) one manager. */
  launch(sid: bigint, extra?: Partial<QuorumCnxManagerOptions>): Promise<QuorumCnxManager>;
  haltAll(): Promise<void>;
}

export async function mesh(sids: bigint[], base: Partial<QuorumCnxManagerOptions> = {}): Promise<Mesh> {
  const list = await freePorts(sids.length);
  const ports = new Map(sids.map((sid, i) => [sid, list[i]!]));
  const peers = new Map([...ports].map(([sid, port]) => [sid, loopback(port)]));
  const managers = new Map<bigint, QuorumCnxManager>();
  return {
    ports,
    managers,
    async launch(sid, extra = {}) {
      const m = new QuorumCnxManager({ myid: sid, listen: loopback(ports.get(sid)!), peers, ...base, ...extra });
      managers.set(sid, m);
      await m.start();
      for (const other of sids) if (other !== sid) m.send(other, bytes(`hello ${other} from ${sid}`));
      return m;
    },
    async haltAll() {
      await Promise.all([...managers.values()].map((m) => m.halt()));
    },
  };
}

/** Exactly one live connection per pair, opened by the larger sid, seen the same from both ends. */
export function meshFormed(managers: Iterable<QuorumCnxManager>): boolean {
  const ms = [...managers];
  for (const a of ms) {
    if (a.stats().openSockets !== ms.length - 1 || a.stats().pendingHandshakes !== 0) return false;
    const table = a.peerTable();
    for (const b of ms) {
      if (a === b) continue;
      const ab = table.get(b.myid);
      const ba = b.peerTable().get(a.myid);
      if (ab?.state !== 'connected' || ba?.state !== 'connected') return false;
      if (ab.direction !== (a.myid > b.myid ? 'outgoing' : 'incoming')) return false;
      if (ab.localAddress !== ba.remoteAddress || ab.remoteAddress !== ba.localAddress) return false;
    }
  }
  return true;
}
