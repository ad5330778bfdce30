// The shared receive queue: bounded, drop-oldest (ZooKeeper's RECV_CAPACITY = 100), consumed at
// the election's own pace through poll() with a timeout or async iteration.

import type { Clock, TimerHandle } from './clock.js';

export interface ReceivedMessage {
  /** The connection's sid: notifications carry no sender id (PROTOCOL.md 2.2). */
  sid: bigint;
  payload: Uint8Array;
  /** True when a voter set is configured and `sid` is not in it. */
  fromNonVoter: boolean;
}

interface Waiter {
  resolve(m: ReceivedMessage | null): void;
  timer: TimerHandle | null;
}

export class ReceiveQueue {
  private readonly items: ReceivedMessage[] = [];
  private head = 0;
  private readonly waiters: Waiter[] = [];
  private closed = false;
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly clock: Clock,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(m: ReceivedMessage): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      if (waiter.timer !== null) this.clock.clearTimeout(waiter.timer);
      waiter.resolve(m);
      return;
    }
    if (this.capacity <= 0) {
      this.dropped++;
      return;
    }
    if (this.size >= this.capacity) {
      this.head++;
      this.dropped++;
    }
    this.items.push(m);
    // Compact now and then so the array does not grow with the number of messages ever seen.
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }

  take(): ReceivedMessage | undefined {
    if (this.size === 0) return undefined;
    const m = this.items[this.head];
    this.items[this.head] = undefined as unknown as ReceivedMessage;
    this.head++;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    }
    return m;
  }

  /** Next message, or null after `timeoutMs` (no timeout when omitted) or once closed. */
  poll(timeoutMs?: number): Promise<ReceivedMessage | null> {
    const m = this.take();
    if (m !== undefined) return Promise.resolve(m);
    if (this.closed || timeoutMs === 0) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve, timer: null };
      if (timeoutMs !== undefined) {
        waiter.timer = this.clock.setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          resolve(null);
        }, timeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) {
      if (w.timer !== null) this.clock.clearTimeout(w.timer);
      w.resolve(null);
    }
  }

  async *iterate(): AsyncGenerator<ReceivedMessage, void, undefined> {
    for (;;) {
      const m = await this.poll();
      if (m === null) return;
      yield m;
    }
  }
}
