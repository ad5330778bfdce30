// The simulated election network, with the connection manager's semantics (PROTOCOL.md 2.3,
// 2.5): one connection per pair of peers, up only while both are alive and on the same side of
// any partition, opened on demand (a send or connectAll); a one-slot send queue per destination
// where the newest message wins; the last message sent to a peer re-sent on a new connection;
// FIFO delivery per connection unless the reorder fault says otherwise; each connection writes
// at most one message per virtual ms, so bursts to one peer coalesce in its slot.

import { buildMsg, type BuildLayout } from '@zkvote/wire';
import type { ElectionNotification } from '@zkvote/election';
import type { Rng } from './rng.js';
import type { MessageFate, MessageRecord, SimStats, StateName, VoteRecord } from './types.js';

const STATE_NAMES: readonly StateName[] = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'];

/** A message waiting in (or last taken from) a send slot; one object for all sends of a broadcast. */
export interface Outgoing {
  readonly payload: Uint8Array;
  readonly notification: ElectionNotification;
  readonly layout: BuildLayout;
  readonly emittedAt: number;
  readonly fromElection: number | null;
  /** The vote as receivers decode it, made once for every record of this message. */
  vote?: VoteRecord;
}

export interface Delivery {
  record: MessageRecord;
  payload: Uint8Array;
  /** Connection id the message travels on; -1 for loopback. */
  conn: number;
}

/** A connection writes one message per virtual ms; newer messages replace the one waiting. */
export const WRITE_MS = 1;

export interface NetworkHost {
  now(): number;
  scheduleDrain(at: number, from: bigint, to: bigint, conn: number): void;
  isUp(sid: bigint): boolean;
  scheduleDelivery(at: number, delivery: Delivery): void;
  scheduleConnect(at: number, a: bigint, b: bigint, conn: number): void;
  /** Called when a connection comes up or goes down, for each live end. */
  connectionChanged(a: bigint, b: bigint, up: boolean): void;
}

export interface MessageFaults {
  drop: number;
  duplicate: number;
  delay: { rate: number; ms: number };
  reorder: { rate: number; ms: number };
}

interface Connection {
  id: number;
  a: bigint;
  b: bigint;
  up: boolean;
}

export function layoutFor(version: 0 | 1 | 2): BuildLayout {
  return version === 0 ? 'legacy28' : version === 1 ? 'v0-40' : 'v2';
}

export function encode(n: ElectionNotification, layout: BuildLayout): Uint8Array {
  return buildMsg(n, layout);
}

/** The message counts of SimResult.stats, kept as messages are made and settled (loopback excluded). */
export type MessageCounts = Omit<SimStats, 'events' | 'truncated'>;

export class SimNetwork {
  readonly messages: MessageRecord[] = [];
  readonly counts: MessageCounts = { messages: 0, delivered: 0, dropped: 0, duplicated: 0, lost: 0, superseded: 0, resent: 0 };
  readonly faults: MessageFaults = { drop: 0, duplicate: 0, delay: { rate: 0, ms: 0 }, reorder: { rate: 0, ms: 0 } };
  private readonly conns = new Map<string, Connection>();
  /** from -> (to -> pending message or null when the slot is empty). A key means "a queue exists". */
  private readonly slots = new Map<bigint, Map<bigint, Outgoing | null>>();
  private readonly lastSent = new Map<bigint, Map<bigint, Outgoing>>();
  /** Per direction: the latest delivery time scheduled, to keep a connection FIFO. */
  private readonly fifo = new Map<string, number>();
  /** Per direction: when the connection's writer is free again (and whether a drain is booked). */
  private readonly busy = new Map<string, { until: number; booked: boolean; conn: number }>();
  private side: Map<bigint, number> | null = null;
  private nextConn = 1;
  private recorded = 0;
  private readonly keys = new KeyCache();

  constructor(
    private readonly host: NetworkHost,
    private readonly rng: Rng,
    private readonly latencyMs: number,
    private readonly jitterMs: number,
    private readonly continuousJitter = false,
    /** Keep every MessageRecord in `messages` (the invariants need them); false keeps none. */
    private readonly keepLog = true,
    /** Sees every record as it is made (fate still 'in-flight'). */
    private readonly onRecord: ((record: MessageRecord) => void) | null = null,
  ) {}

  get partitioned(): boolean {
    return this.side !== null;
  }

  /** Both alive and on the same side of the partition (sids not listed are cut off from all). */
  reachable(a: bigint, b: bigint): boolean {
    if (!this.host.isUp(a) || !this.host.isUp(b)) return false;
    if (a === b || this.side === null) return true;
    const sa = this.side.get(a);
    return sa !== undefined && sa === this.side.get(b);
  }

  setPartition(groups: bigint[][] | null): void {
    if (groups === null) this.side = null;
    else {
      this.side = new Map();
      groups.forEach((g, i) => g.forEach((sid) => this.side?.set(sid, i)));
    }
    this.breakUnreachable();
  }

  /** A peer crashed: its queues, its memory of what it sent and its connections are gone. */
  forget(sid: bigint): void {
    this.slots.delete(sid);
    this.lastSent.delete(sid);
    this.breakUnreachable();
  }

  /** ZooKeeper's haveDelivered(): some per-peer send queue is empty (false when none exist). */
  someQueueEmpty(from: bigint): boolean {
    for (const pending of this.slots.get(from)?.values() ?? []) if (pending === null) return true;
    return false;
  }

  /** toSend: the newest message replaces whatever waits in the slot, then connectOne. */
  send(from: bigint, to: bigint, out: Outgoing): void {
    if (from === to) {
      const record = this.record(from, to, out, this.host.now(), false);
      this.host.scheduleDelivery(this.host.now(), { record, payload: out.payload, conn: -1 });
      return;
    }
    let queues = this.slots.get(from);
    if (queues === undefined) {
      queues = new Map();
      this.slots.set(from, queues);
    }
    const old = queues.get(to);
    if (old !== undefined && old !== null) this.settle(this.record(from, to, old, old.emittedAt, false), 'superseded');
    queues.set(to, out);
    this.connectOne(from, to);
  }

  connectAll(from: bigint): void {
    for (const to of [...(this.slots.get(from)?.keys() ?? [])]) this.connectOne(from, to);
  }

  connectOne(from: bigint, to: bigint): void {
    const key = this.keys.pair(from, to);
    const conn = this.conns.get(key);
    if (conn !== undefined) {
      if (conn.up) this.drain(from, to, conn, false);
      return;
    }
    if (!this.reachable(from, to)) return; // the attempt fails; retries come from sends and connectAll
    const id = this.nextConn++;
    this.conns.set(key, { id, a: from < to ? from : to, b: from < to ? to : from, up: false });
    this.host.scheduleConnect(this.host.now() + this.latencyMs, from, to, id);
  }

  /** The handshake of connection `id` completed. */
  connected(a: bigint, b: bigint, id: number): void {
    const key = this.keys.pair(a, b);
    const conn = this.conns.get(key);
    if (conn === undefined || conn.id !== id) return;
    if (!this.reachable(a, b)) {
      this.conns.delete(key);
      return;
    }
    conn.up = true;
    this.host.connectionChanged(conn.a, conn.b, true);
    if (this.conns.get(key) !== conn) return;
    this.drain(conn.a, conn.b, conn, true);
    this.drain(conn.b, conn.a, conn, true);
  }

  /** Is connection `id` still the live one carrying a message? */
  carries(d: Delivery): boolean {
    if (d.conn === -1) return this.host.isUp(d.record.to);
    const conn = this.conns.get(this.keys.pair(d.record.from, d.record.to));
    return conn !== undefined && conn.id === d.conn && conn.up;
  }

  /** Messages still waiting in slots when the run ends. */
  flushPending(): void {
    for (const [from, queues] of this.slots) {
      for (const [to, pending] of queues) if (pending !== null) this.settle(this.record(from, to, pending, pending.emittedAt, false), 'pending');
    }
  }

  private breakUnreachable(): void {
    for (const [key, conn] of [...this.conns]) {
      if (this.reachable(conn.a, conn.b)) continue;
      this.conns.delete(key);
      if (conn.up) this.host.connectionChanged(conn.a, conn.b, false);
    }
  }

  /** A booked drain (the writer became free) for connection `id`. */
  drainLater(from: bigint, to: bigint, id: number): void {
    const w = this.busy.get(this.keys.dir(from, to));
    if (w !== undefined && w.conn === id) w.booked = false;
    const conn = this.conns.get(this.keys.pair(from, to));
    if (conn !== undefined && conn.id === id && conn.up) this.drain(from, to, conn, false);
  }

  /**
   * The send worker: take the slot's message, or re-send the last one on a fresh connection.
   * While the writer is busy the message waits in the slot, where a newer one replaces it.
   */
  private drain(from: bigint, to: bigint, conn: Connection, fresh: boolean): void {
    const queues = this.slots.get(from);
    const pending = queues?.get(to) ?? null;
    const last = fresh ? this.lastSent.get(from)?.get(to) : undefined;
    if (pending === null && last === undefined) return;
    const dir = this.keys.dir(from, to);
    const now = this.host.now();
    let w = this.busy.get(dir);
    if (w === undefined || w.conn !== conn.id) {
      w = { until: -Infinity, booked: false, conn: conn.id };
      this.busy.set(dir, w);
    }
    if (now < w.until) {
      if (!w.booked) {
        w.booked = true;
        this.host.scheduleDrain(w.until, from, to, conn.id);
      }
      return;
    }
    w.until = now + WRITE_MS;
    if (pending !== null) {
      queues?.set(to, null);
      this.transmit(from, to, dir, pending, conn, false);
    } else if (last !== undefined) {
      this.transmit(from, to, dir, last, conn, true);
    }
  }

  private transmit(from: bigint, to: bigint, dir: string, out: Outgoing, conn: Connection, resend: boolean): void {
    let sent = this.lastSent.get(from);
    if (sent === undefined) {
      sent = new Map();
      this.lastSent.set(from, sent);
    }
    sent.set(to, out);
    const now = this.host.now();
    const record = this.record(from, to, out, resend ? now : out.emittedAt, resend);
    const rng = this.rng;
    const f = this.faults;
    const dropped = rng.chance(f.drop);
    const duplicated = rng.chance(f.duplicate);
    const delayed = rng.chance(f.delay.rate);
    const reordered = rng.chance(f.reorder.rate);
    const jitter = this.jitterMs <= 0 ? 0 : this.continuousJitter ? rng.float() * this.jitterMs : rng.int(this.jitterMs + 1);
    const base = now + this.latencyMs + jitter;
    if (dropped) {
      this.settle(record, 'dropped');
      return;
    }
        let at = Math.max(base, this.fifo.get(dir) ?? 0);
    if (delayed && f.delay.ms > 0) {
      record.delayedMs = f.delay.ms;
      at += f.delay.ms;
    }
    if (reordered && f.reorder.ms > 0) {
      // Escapes the connection's FIFO order: later messages may overtake this one.
      const extra = 1 + rng.int(f.reorder.ms);
      record.delayedMs += extra;
      this.host.scheduleDelivery(at + extra, { record, payload: out.payload, conn: conn.id });
    } else {
      this.fifo.set(dir, at);
      this.host.scheduleDelivery(at, { record, payload: out.payload, conn: conn.id });
    }
    if (duplicated) {
      const copy = this.record(from, to, out, record.at, resend, true);
      copy.delayedMs = record.delayedMs;
      this.host.scheduleDelivery(at + 1 + rng.int(this.latencyMs + 1), { record: copy, payload: out.payload, conn: conn.id });
    }
  }

  /** Gives a record its final fate and counts it. */
  settle(record: MessageRecord, fate: Exclude<MessageFate, 'in-flight'>): void {
    record.fate = fate;
    if (record.from === record.to) return;
    if (fate === 'delivered') this.counts.delivered++;
    else if (fate === 'dropped') this.counts.dropped++;
    else if (fate === 'lost') this.counts.lost++;
    else if (fate === 'superseded') this.counts.superseded++;
  }

  private record(from: bigint, to: bigint, out: Outgoing, at: number, resend: boolean, duplicate = false): MessageRecord {
    const n = out.notification;
    const record: MessageRecord = {
      id: this.recorded++,
      at,
      from,
      to,
      state: STATE_NAMES[n.state] ?? 'LOOKING',
      vote: (out.vote ??= {
        leader: n.leader,
        zxid: n.zxid,
        electionEpoch: n.electionEpoch,
        peerEpoch: out.layout === 'legacy28' ? n.zxid >> 32n : n.peerEpoch,
      }),
      bytes: out.payload.length,
      fate: 'in-flight',
      deliveredAt: null,
      duplicate,
      resend,
      delayedMs: 0,
      fromElection: out.fromElection,
      toElection: null,
      deliverySeq: null,
    };
    if (from !== to) {
      this.counts.messages++;
      if (duplicate) this.counts.duplicated++;
      if (resend) this.counts.resent++;
    }
    if (this.keepLog) this.messages.push(record);
    this.onRecord?.(record);
    return record;
  }
}

/**
 * Map keys for a pair of peers and for one direction between them, made once per pair: a
 * thousand-peer run looks them up tens of millions of times, and building the strings from
 * bigints each time was a good part of its cost.
 */
class KeyCache {
  private readonly dirs = new Map<bigint, Map<bigint, string>>();

  dir(from: bigint, to: bigint): string {
    let row = this.dirs.get(from);
    if (row === undefined) {
      row = new Map();
      this.dirs.set(from, row);
    }
    let key = row.get(to);
    if (key === undefined) {
      key = `${from}>${to}`;
      row.set(to, key);
    }
    return key;
  }

  /** The same key whichever way round the pair is given. */
  pair(a: bigint, b: bigint): string {
    return a < b ? this.dir(a, b) : this.dir(b, a);
  }
}
