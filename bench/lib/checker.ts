// The chaos campaign's safety checker for zkvote: it reads every server's event stream
// (/commands/events?format=ndjson, reconnecting across kills and restarts) and flags
//  - two different leaders established for the same epoch (by anyone's account), and
//  - an epoch going down on one server (established, accepted or current epoch; the last two
//    are persisted, so this holds across restarts too).
// The pure part (EpochLedger) is separate from the HTTP plumbing so selfcheck can test it.

import http from 'node:http';

export interface Violation {
  kind: 'two-leaders-one-epoch' | 'epoch-decreased' | 'no-convergence';
  message: string;
  at: string;
}

export interface EpochFact {
  sid: number;
  /** Which epoch: the established one (with its leader) or a persisted counter. */
  field: 'established' | 'accepted' | 'current';
  epoch: bigint;
  leader: number | null;
  time: string;
}

export class EpochLedger {
  readonly violations: Violation[] = [];
  readonly #leaderOf = new Map<bigint, { leader: number; sid: number }>();
  readonly #max = new Map<string, bigint>();
  facts = 0;

  add(f: EpochFact): void {
    this.facts++;
    if (f.field === 'established' && f.leader !== null) {
      const seen = this.#leaderOf.get(f.epoch);
      if (seen === undefined) this.#leaderOf.set(f.epoch, { leader: f.leader, sid: f.sid });
      else if (seen.leader !== f.leader) {
        this.violations.push({
          kind: 'two-leaders-one-epoch',
          at: f.time,
          message: `epoch ${f.epoch}: server ${seen.sid} saw leader ${seen.leader} established, server ${f.sid} saw leader ${f.leader}`,
        });
      }
    }
    const key = `${f.sid}/${f.field}`;
    const max = this.#max.get(key);
    if (max !== undefined && f.epoch < max) {
      this.violations.push({ kind: 'epoch-decreased', at: f.time, message: `server ${f.sid}: ${f.field} epoch went from ${max} down to ${f.epoch}` });
    }
    if (max === undefined || f.epoch > max) this.#max.set(key, f.epoch);
  }

  /** Epochs established so far, with their leader. */
  established(): ReadonlyMap<bigint, { leader: number; sid: number }> {
    return this.#leaderOf;
  }
}

function big(v: unknown): bigint | null {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?[0-9]+$/.test(v)) return BigInt(v);
  return null;
}

function num(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** The epoch facts one event of the stream carries. */
export function factsOf(sid: number, e: Record<string, unknown>): EpochFact[] {
  const time = typeof e.time === 'string' ? e.time : new Date().toISOString();
  const out: EpochFact[] = [];
  if (e.kind === 'epoch' || e.kind === 'established') {
    const epoch = big(e.epoch);
    if (epoch !== null) out.push({ sid, field: 'established', epoch, leader: num(e.leader), time });
  } else if (e.kind === 'snapshot') {
    const est = big(e.established_epoch);
    if (est !== null) out.push({ sid, field: 'established', epoch: est, leader: num(e.leader), time });
    const acc = big(e.accepted_epoch);
    if (acc !== null) out.push({ sid, field: 'accepted', epoch: acc, leader: null, time });
    const cur = big(e.current_epoch);
    if (cur !== null) out.push({ sid, field: 'current', epoch: cur, leader: null, time });
  }
  return out;
}

/** Follows every node's event stream until close(); feeds the ledger. */
export class StreamChecker {
  readonly ledger = new EpochLedger();
  events = 0;
  connects = 0;
  #closed = false;
  readonly #reqs = new Set<http.ClientRequest>();

  constructor(private readonly adminPorts: ReadonlyMap<number, number>) {
    for (const [sid, port] of adminPorts) void this.#follow(sid, port);
  }

  async #follow(sid: number, port: number): Promise<void> {
    for (let attempt = 0; attempt < 100_000 && !this.#closed; attempt++) {
      await this.#once(sid, port);
      if (!this.#closed) await new Promise((r) => setTimeout(r, 50));
    }
  }

  #once(sid: number, port: number): Promise<void> {
    return new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/commands/events?format=ndjson' }, (res) => {
        this.connects++;
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line === '') continue;
            try {
              const e = JSON.parse(line) as Record<string, unknown>;
              this.events++;
              for (const f of factsOf(sid, e)) this.ledger.add(f);
            } catch {
              // a torn line at a kill; the next snapshot restates the facts
            }
          }
        });
        res.on('end', resolve);
        res.on('error', resolve);
        res.on('close', resolve);
      });
      this.#reqs.add(req);
      req.on('error', () => resolve());
      req.on('close', () => {
        this.#reqs.delete(req);
        resolve();
      });
    });
  }

  close(): void {
    this.#closed = true;
    for (const r of this.#reqs) r.destroy();
    this.#reqs.clear();
  }
}
