// The HTTP admin API: zkvote servers answer `/commands/election` (round, votes, established
// epoch); ZooKeeper's AdminServer answers `conf` (sid), `leader`, `srvr` and `voting_view`.
// 64-bit numbers are read from the raw JSON text so they survive past 2^53.

import http from 'node:http';
import { CliError, errorText } from '../errors.js';
import { emptyRow, type ServerRow } from '../row.js';
import { socketErrorText } from './election.js';
import { NOT_SERVING, parseLong, stateFromMode } from './fourletter.js';

const MAX_BODY = 4 << 20;

export interface AdminResponse {
  status: number;
  /** The raw body text (for exact 64-bit fields). */
  text: string;
  body: Record<string, unknown>;
}

/** GET http://host:port<path> and parse the JSON object it answers. */
export function adminGet(host: string, port: number, path: string, timeoutMs = 2000): Promise<AdminResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (e: CliError | null, r?: AdminResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (e === null) resolve(r as AdminResponse);
      else reject(e);
    };
    const req = http.get({ host, port, path, headers: { accept: 'application/json' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) finish(new CliError('PROBE', `expected a response under ${MAX_BODY} bytes from ${path}, got more`));
        else chunks.push(c);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          finish(new CliError('PROBE', `expected JSON from ${path} (HTTP ${res.statusCode ?? '?'}), got ${JSON.stringify(text.slice(0, 60))}`));
          return;
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          finish(new CliError('PROBE', `expected a JSON object from ${path}, got ${text.slice(0, 60)}`));
          return;
        }
        finish(null, { status: res.statusCode ?? 0, text, body: body as Record<string, unknown> });
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish(new CliError('PROBE', socketErrorText(e))));
    });
    const timer = setTimeout(() => finish(new CliError('PROBE', `expected an answer from ${path} within ${timeoutMs} ms, got none`)), timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish(new CliError('PROBE', socketErrorText(e))));
  });
}

/**
 * The first `"key": <integer|null>` in the raw text, exactly. Callers only use keys whose first
 * occurrence is the top-level one (the bodies list them before any nested object).
 */
export function rawLong(text: string, key: string): bigint | null {
  const m = new RegExp(`"${key}"\\s*:\\s*(null|-?[0-9]+)`).exec(text);
  return m === null || m[1] === 'null' ? null : parseLong(m[1]);
}

function objectField(body: Record<string, unknown>, key: string): Record<string, unknown> | null {
  const v = body[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function numberLike(v: unknown): bigint | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string') return parseLong(v);
  return null;
}

export interface AdminReport {
  row: ServerRow;
  /** Voting sids the server reported (voting_view or zkvote's `voters`). */
  voters: bigint[] | null;
  kind: 'zkvote' | 'zookeeper' | null;
}

export async function probeAdmin(host: string, port: number, timeoutMs = 2000): Promise<AdminReport> {
  const row = emptyRow('admin', `${host}:${port}`, null);
  try {
    const election = await adminGet(host, port, '/commands/election', timeoutMs);
    if (election.body.error == null && election.body.sid !== undefined) return zkvoteReport(row, election);
    return await zookeeperReport(row, host, port, timeoutMs);
  } catch (e) {
    row.error = errorText(e);
    return { row, voters: null, kind: null };
  }
}

function zkvoteReport(row: ServerRow, r: AdminResponse): AdminReport {
  const b = r.body;
  row.sid = rawLong(r.text, 'sid');
  row.state = typeof b.state === 'string' ? b.state : null;
  const vote = objectField(b, 'current_vote') ?? objectField(b, 'vote');
  row.leader = rawLong(r.text, 'leader') ?? (vote === null ? null : numberLike(vote.leader));
  row.zxid = typeof b.zxid === 'string' ? parseLong(b.zxid) : null;
  row.electionEpoch = rawLong(r.text, 'round');
  row.peerEpoch = vote === null ? null : numberLike(vote.peer_epoch);
  row.epoch = rawLong(r.text, 'established_epoch');
  const voters = Array.isArray(b.voters) ? b.voters.map(numberLike).filter((v): v is bigint => v !== null) : null;
  return { row, voters, kind: 'zkvote' };
}

async function zookeeperReport(row: ServerRow, host: string, port: number, timeoutMs: number): Promise<AdminReport> {
  const [conf, leader, srvr, view] = await Promise.all(
    ['conf', 'leader', 'srvr', 'voting_view'].map((c) => adminGet(host, port, `/commands/${c}`, timeoutMs)),
  ) as [AdminResponse, AdminResponse, AdminResponse, AdminResponse];
  if (conf.body.error != null && conf.status === 404) {
    throw new CliError('PROBE', `expected a ZooKeeper AdminServer or zkvote admin API, got HTTP 404 for /commands/conf`);
  }
  row.sid = rawLong(conf.text, 'server_id');
  const srvrError = typeof srvr.body.error === 'string' ? srvr.body.error : null;
  if (srvrError !== null && NOT_SERVING.test(srvrError)) {
    row.state = 'LOOKING';
  } else if (srvrError !== null) {
    throw new CliError('PROBE', `expected server_stats, got error ${JSON.stringify(srvrError)}`);
  } else {
    const stats = objectField(srvr.body, 'server_stats');
    const mode = stats?.server_state;
    row.state = typeof mode === 'string' ? stateFromMode(mode) : null;
    row.zxid = rawLong(srvr.text, 'last_processed_zxid');
  }
  if (leader.body.error == null) row.leader = rawLong(leader.text, 'leader_id');
  let voters: bigint[] | null = null;
  const current = objectField(view.body, 'current_config');
  if (current !== null) {
    voters = Object.entries(current)
      .filter(([, v]) => typeof v === 'object' && v !== null && (v as Record<string, unknown>).learner_type !== 'observer')
      .map(([k]) => parseLong(k))
      .filter((v): v is bigint => v !== null);
  }
  return { row, voters, kind: 'zookeeper' };
}
