// `zkvote status`: one row per server from the election port (default), the admin API or
// four-letter words, probed in parallel, then the summary: the leader most servers name,
// whether every answering server agrees on it, and whether its supporters form a quorum.

import { parseNotificationConfig } from '@zkvote/quorum';
import { loadEnsemble } from './config.js';
import { CliError, errorText } from './errors.js';
import { probeAdmin } from './probe/admin.js';
import { probeElectionPort } from './probe/election.js';
import { probeFourLetter } from './probe/fourletter.js';
import { emptyRow, rowJson, type Membership, type ServerRow } from './row.js';
import { jsonLong, type JsonValue } from './json.js';
import { colourState, formatTable, type Paint } from './output.js';
import { formatZxid0x, parseHostPort } from '@zkvote/wire';

export interface StatusOptions {
  /** zoo.cfg: probed through election ports unless admin/fourLetter are given (then membership only). */
  config?: string;
  /** host:port of admin APIs. */
  admin?: readonly string[];
  /** host:port of client ports (four-letter words). */
  fourLetter?: readonly string[];
  /** Per-server timeout, default 2000 ms. */
  timeoutMs?: number;
  /** Sid the election probe uses; default one more than the largest member. */
  probeSid?: bigint;
}

export interface StatusReport {
  servers: ServerRow[];
  leader: bigint | null;
  agreed: boolean;
  quorum: boolean;
}

/** host:port items of a comma-separated flag; throws USAGE on a bad item. */
export function parseAddresses(flag: string, text: string): Array<{ host: string; port: number }> {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new CliError('USAGE', `${flag}: expected host:port[,host:port...], got ${JSON.stringify(text)}`);
  return items.map((item) => {
    try {
      const hp = parseHostPort(item);
      if (hp.port === 0) throw new Error('port 0');
      return hp;
    } catch {
      throw new CliError('USAGE', `${flag}: expected host:port, got ${JSON.stringify(item)}`);
    }
  });
}

const addr = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

export async function status(options: StatusOptions): Promise<StatusReport> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const ensemble = options.config === undefined ? null : loadEnsemble(options.config);
  const admin = (options.admin ?? []).flatMap((a) => parseAddresses('--admin', a));
  const fourLetter = (options.fourLetter ?? []).flatMap((a) => parseAddresses('--4lw', a));
  if (ensemble === null && admin.length === 0 && fourLetter.length === 0) {
    throw new CliError('USAGE', 'expected a source: --config zoo.cfg, --admin host:port,... or --4lw host:port,...');
  }
  let membership: Membership | null = ensemble === null ? null : { kind: 'verifier', verifier: ensemble.verifier };
  const jobs: Array<Promise<ServerRow>> = [];
  if (ensemble !== null && admin.length === 0 && fourLetter.length === 0) {
    const { verifier } = ensemble;
    const maxSid = [...verifier.members.keys()].reduce((a, b) => (b > a ? b : a), 0n);
    const probeSid = options.probeSid ?? maxSid + 1n;
    if (probeSid <= maxSid) throw new CliError('USAGE', `--probe-sid: expected a sid larger than every member (${maxSid}), got ${probeSid}`);
    const config = verifier.toString();
    for (const [sid, server] of verifier.members) {
      const a = server.addresses[0];
      if (a === undefined) continue;
      const row = emptyRow('election', addr(a.host, a.electionPort), sid);
      jobs.push(
        probeElectionPort(a.host, a.electionPort, { sid: probeSid, config, timeoutMs }).then(
          (v) => ({ ...row, state: v.state, leader: v.leader, zxid: v.zxid, electionEpoch: v.electionEpoch, peerEpoch: v.peerEpoch }),
          (e: unknown) => ({ ...row, error: errorText(e) }),
        ),
      );
    }
  }
  const learnt: Array<Promise<Membership | null>> = [];
  for (const { host, port } of admin) {
    const report = probeAdmin(host, port, timeoutMs);
    jobs.push(report.then((r) => r.row));
    learnt.push(report.then((r) => (r.voters === null ? null : { kind: 'voters', voters: r.voters })));
  }
  const fourLetterRows: Array<Promise<ServerRow>> = [];
  for (const { host, port } of fourLetter) {
    const report = probeFourLetter(host, port, timeoutMs);
    fourLetterRows.push(report.then((r) => r.row));
    learnt.push(
      report.then((r) => {
        if (r.membership === null) return null;
        const parsed = parseNotificationConfig(r.membership);
        return parsed.ok ? { kind: 'verifier', verifier: parsed.verifier } : null;
      }),
    );
  }
  const rows = [...(await Promise.all(jobs)), ...inferFollowedLeader(await Promise.all(fourLetterRows))];
  membership ??= (await Promise.all(learnt)).find((m) => m !== null) ?? null;
  return summarize(rows.sort(bySid), membership);
}

/** 4lw cannot say whom a follower follows: take the one LEADING server among those asked. */
function inferFollowedLeader(rows: ServerRow[]): ServerRow[] {
  const leaders = rows.filter((r) => r.state === 'LEADING' && r.sid !== null);
  if (leaders.length !== 1) return rows;
  const leader = (leaders[0] as ServerRow).sid;
  return rows.map((r) => (r.leader === null && (r.state === 'FOLLOWING' || r.state === 'OBSERVING') ? { ...r, leader } : r));
}

function bySid(a: ServerRow, b: ServerRow): number {
  if (a.sid !== b.sid) {
    if (a.sid === null) return 1;
    if (b.sid === null) return -1;
    return a.sid < b.sid ? -1 : 1;
  }
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

const DECIDED = new Set(['FOLLOWING', 'LEADING', 'OBSERVING']);

function containsQuorum(m: Membership, sids: bigint[]): boolean {
  // Like ZooKeeper's vote tracker, count voters only (QuorumMaj.containsQuorum counts any sid).
  if (m.kind === 'verifier') return m.verifier.containsQuorum(sids.filter((s) => m.verifier.votingMembers.has(s)));
  const voters = new Set(m.voters);
  const live = new Set(sids.filter((s) => voters.has(s)));
  return voters.size > 0 && live.size > Math.floor(voters.size / 2);
}

/** The summary over rows; without a known membership the sids in the rows are taken as voters. */
export function summarize(servers: ServerRow[], membership: Membership | null): StatusReport {
  const counts = new Map<bigint, number>();
  for (const r of servers) {
    if (r.state !== null && DECIDED.has(r.state) && r.leader !== null) counts.set(r.leader, (counts.get(r.leader) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const top = ranked[0];
  const leader = top === undefined || (ranked[1] !== undefined && ranked[1][1] === top[1]) ? null : top[0];
  const answered = servers.filter((r) => r.state !== null);
  const agreed =
    leader !== null && answered.length > 0 && answered.every((r) => r.state !== null && DECIDED.has(r.state) && r.leader === leader);
  const supporters = [
    ...new Set(
      answered
        .filter((r) => r.state !== null && DECIDED.has(r.state) && r.leader === leader && r.sid !== null)
        .map((r) => r.sid as bigint),
    ),
  ];
  const m: Membership = membership ?? { kind: 'voters', voters: servers.map((r) => r.sid).filter((s): s is bigint => s !== null) };
  const quorum = leader !== null && containsQuorum(m, supporters);
  return { servers, leader, agreed, quorum };
}

/** True when at least one server answered (otherwise the command exits 1). */
export function reachedAny(report: StatusReport): boolean {
  return report.servers.some((r) => r.state !== null);
}

export function statusJson(report: StatusReport): JsonValue {
  return {
    servers: report.servers.map(rowJson),
    leader: report.leader === null ? null : jsonLong(report.leader),
    agreed: report.agreed,
    quorum: report.quorum,
  };
}

const cell = (v: bigint | null): string => (v === null ? '-' : v.toString());

export function formatStatus(report: StatusReport, paint: Paint): string {
  const header = ['sid', 'state', 'leader', 'zxid', 'round', 'peerEpoch', 'epoch', 'via', 'address', 'error'];
  const rows = report.servers.map((r) => [
    cell(r.sid),
    colourState(r.state, paint),
    r.leader !== null && r.leader === report.leader ? paint('bold', cell(r.leader)) : cell(r.leader),
    r.zxid === null ? '-' : formatZxid0x(r.zxid),
    cell(r.electionEpoch),
    cell(r.peerEpoch),
    cell(r.epoch),
    r.via,
    r.address,
    r.error === null ? '' : paint('red', r.error),
  ]);
  return formatTable(header, rows, paint) + summaryLine(report, paint) + '\n';
}

export function summaryLine(report: StatusReport, paint: Paint): string {
  const answered = report.servers.filter((r) => r.state !== null).length;
  const total = report.servers.length;
  const leader = report.leader === null ? paint('yellow', 'leader: none') : `leader: ${paint('bold', report.leader.toString())}`;
  const agreed = report.agreed ? paint('green', `all ${answered} answering agree`) : paint('yellow', 'no agreement');
  const quorum = report.quorum ? paint('green', 'supporters form a quorum') : paint('red', 'no quorum behind a leader');
  return `${leader}; ${agreed}; ${quorum}; ${answered}/${total} answered`;
}
