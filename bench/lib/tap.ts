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
}

export class EventTap {
  readonly events: TappedEvent[] = [];
  readonly #reqs: http.ClientRequest[] = [];

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
                    tap.events.push({ sid, kind, at, ...(Number.isFinite(d) ? { durationMs: d } : {}) });
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

  close(): void {
    for (const r of this.#reqs) r.destroy();
  }
}
