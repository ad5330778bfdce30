// Where a zkvote failover spends its time: listens to the survivors' event streams during the
// measurement and stamps each event on arrival (performance.now()), so the kill -> detection
// (`looking`) -> decision (`decided`) -> epoch (`established`) phases can be read off without
// polling.

import http from 'node:http';

export interface TappedEvent {
  sid: number;
  kind: string;
  at: number;
  durationMs?: number;
  /** The leader a `decided` event names. */
  leader?: number;
}

export class EventTap {
  readonly events: TappedEvent[] = [];
  readonly #reqs: http.ClientRequest[] = [];
  readonly #listeners = new Set<() => void>();

  private constructor() {}

  /** Opens a stream to every node and resolves once each has delivered its snapshot (or timed out). */
  static async open(adminPorts: ReadonlyMap<number, number>, timeoutMs = 2000): Promise<EventTap> {
    const tap = new EventTap();
    await Promise.all(
      [...adminPorts].map(
        ([sid, port]) =>
          new Promise<void>((ready) => {
            const timer = setTimeout(ready, timeoutMs);
            const req = http.get({ host: '127.0.0.1', port, path: '/commands/events?format=ndjson' }, (res) => {
              res.setEncoding('utf8');
              let buf = '';
              res.on('data', (chunk: string) => {
                const at = performance.now();
                buf += chunk;
                for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
                  const line = buf.slice(0, nl);
                  buf = buf.slice(nl + 1);
                  try {
                    const e = JSON.parse(line) as Record<string, unknown>;
                    const kind = String(e.kind);
                    if (kind === 'snapshot') {
                      clearTimeout(timer);
                      ready();
                      continue;
                    }
                    const d = Number(e.durationMs);
                    const leader = Number(e.leader);
                    tap.events.push({ sid, kind, at, ...(Number.isFinite(d) ? { durationMs: d } : {}), ...(kind === 'decided' && Number.isFinite(leader) ? { leader } : {}) });
                    for (const l of tap.#listeners) l();
                  } catch {
                    // ignore a torn line
                  }
                }
              });
              res.on('error', () => undefined);
            });
            req.on('error', () => {
              clearTimeout(timer);
              ready();
            });
            tap.#reqs.push(req);
          }),
      ),
    );
    return tap;
  }

  /** Latest first occurrence of `kind` over `sids` after t0, relative to t0 (null if a node has none). */
  phase(kind: string, sids: readonly number[], t0: number, which: 'first' | 'last' = 'last'): number | null {
    let worst = -Infinity;
    let best = Infinity;
    for (const s of sids) {
      const e = this.events.find((x) => x.sid === s && x.kind === kind && x.at >= t0);
      if (e === undefined) return null;
      worst = Math.max(worst, e.at - t0);
      best = Math.min(best, e.at - t0);
    }
    return which === 'last' ? worst : best;
  }

  /** Resolves true as soon as `done()` holds (checked on every event), false after timeoutMs. */
  waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        resolve(ok);
      };
      const check = (): void => {
        if (done()) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.#listeners.add(check);
    });
  }

  /**
   * The moment `sids` all agreed on one leader other than `not`, by their events after t0: each
   * one's latest `decided` names the same leader and nothing (looking, step-down) followed it.
   * That is the arrival time of the last of those decisions; null while they do not agree.
   */
  agreedAt(sids: readonly number[], t0: number, not: number): { at: number; leader: number } | null {
    let at = -Infinity;
    let leader: number | null = null;
    for (const s of sids) {
      const mine = this.events.filter((e) => e.sid === s && e.at >= t0);
      let d = mine.length - 1;
      while (d >= 0 && mine[d]?.kind !== 'decided') d--;
      const last = mine[d];
      if (last === undefined || last.leader === undefined || last.leader === not) return null;
      if (mine.slice(d + 1).some((e) => e.kind === 'looking' || e.kind === 'step-down')) return null;
      if (leader !== null && leader !== last.leader) return null;
      leader = last.leader;
      at = Math.max(at, last.at);
    }
    return leader === null ? null : { at, leader };
  }

  close(): void {
    for (const r of this.#reqs) r.destroy();
  }
}
