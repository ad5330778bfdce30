// Virtual clock and event queue. Events run in (time, insertion order): two events scheduled
// for the same virtual millisecond always run in the order they were scheduled, so a run is a
// pure function of the scenario and the seed.

export interface Scheduled<E> {
  readonly at: number;
  readonly seq: number;
  readonly event: E;
}

export class EventQueue<E> {
  private heap: Scheduled<E>[] = [];
  private nextSeq = 0;
  private clock = 0;

  /** Current virtual time in ms. */
  now(): number {
    return this.clock;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `event` at absolute time `at` (clamped to now: the past cannot be scheduled). */
  schedule(at: number, event: E): void {
    const item: Scheduled<E> = { at: Math.max(at, this.clock), seq: this.nextSeq++, event };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, h[parent] as Scheduled<E>)) break;
      h[i] = h[parent] as Scheduled<E>;
      i = parent;
    }
    h[i] = item;
  }

  /** Time of the next event, or null when the queue is empty. */
  peekTime(): number | null {
    return this.heap.length === 0 ? null : (this.heap[0] as Scheduled<E>).at;
  }

  /** Removes the next event and advances the clock to its time. */
  pop(): Scheduled<E> | null {
    const h = this.heap;
    if (h.length === 0) return null;
    const top = h[0] as Scheduled<E>;
    const last = h.pop() as Scheduled<E>;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = -1;
        let best = last;
        if (l < h.length && before(h[l] as Scheduled<E>, best)) {
          m = l;
          best = h[l] as Scheduled<E>;
        }
        if (r < h.length && before(h[r] as Scheduled<E>, best)) {
          m = r;
          best = h[r] as Scheduled<E>;
        }
        if (m < 0) break;
        h[i] = best;
        i = m;
      }
      h[i] = last;
    }
    this.clock = top.at;
    return top;
  }
}

function before<E>(x: Scheduled<E>, y: Scheduled<E>): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
