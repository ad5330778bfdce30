// Fast observation of one server over its admin HTTP API with a kept-alive connection, the same
// request for ZooKeeper's AdminServer and zkvote-server: GET /commands/leader answers
// {is_leader, leader_id} while serving and an `error` otherwise.

import http from 'node:http';

export interface Observation {
  /** The admin port answered. */
  up: boolean;
  /** Serving (ZooKeeper: Zab running; zkvote: not LOOKING). */
  serving: boolean;
  leader: number | null;
  isLeader: boolean;
}

export const DOWN: Observation = Object.freeze({ up: false, serving: false, leader: null, isLeader: false });

export class AdminClient {
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 1000 });
  constructor(readonly port: number, readonly timeoutMs: number) {}

  /** GET /commands/<command> as parsed JSON, or null on any failure (refused, timeout, bad body). */
  get(command: string, timeoutMs = this.timeoutMs): Promise<Record<string, unknown> | null> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (v: Record<string, unknown> | null): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(v);
      };
      const req = http.get({ host: '127.0.0.1', port: this.port, path: `/commands/${command}`, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            finish(typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null);
          } catch {
            finish(null);
          }
        });
        res.on('error', () => finish(null));
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish(null);
      }, timeoutMs);
      req.on('error', () => finish(null));
    });
  }

  async observe(): Promise<Observation> {
    const body = await this.get('leader');
    if (body === null) return DOWN;
    if (body.error !== null && body.error !== undefined) return { up: true, serving: false, leader: null, isLeader: false };
    const leader = Number(body.leader_id);
    return { up: true, serving: true, leader: Number.isFinite(leader) && leader >= 0 ? leader : null, isLeader: body.is_leader === true };
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** The agreed leader when every observation serves, exactly one leads and all name it; else null. */
export function agreedLeader(obs: ReadonlyMap<number, Observation>): number | null {
  if (obs.size === 0) return null;
  const leaders = [...obs].filter(([, o]) => o.isLeader).map(([sid]) => sid);
  if (leaders.length !== 1) return null;
  const leader = leaders[0] as number;
  for (const o of obs.values()) if (!o.serving || o.leader !== leader) return null;
  return leader;
}
