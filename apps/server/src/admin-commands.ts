// The admin API's command bodies, with ZooKeeper AdminServer names and JSON field names where
// ZooKeeper has the command (checked against a running 3.8.0), plus zkvote's `election`.

import { formatZxid0x, zxidCounter, zxidEpoch } from '@zkvote/wire';
import { monitorValues, type FourLetterContext } from './fourletter.js';
import { formatHostPort, versionText, type MemberView } from './info.js';
import { activeVote } from './monitor.js';
import { isServing, modeName, type PeerStatus, type VoteView } from './status.js';

export type CommandBody = Record<string, unknown>;

export interface AdminCommand {
  /** The name the response carries in `command` (ZooKeeper's primary name). */
  readonly name: string;
  readonly aliases: readonly string[];
  /** ZooKeeper answers these only while serving (its `serverRequired`). */
  readonly serverRequired: boolean;
  readonly run: (ctx: FourLetterContext, s: PeerStatus) => CommandBody;
}

const clientResponseStats = { last_buffer_size: -1, min_buffer_size: -1, max_buffer_size: -1 };

export function voteJson(v: VoteView | null): CommandBody | null {
  if (v === null) return null;
  return {
    leader: v.leader,
    zxid: formatZxid0x(v.zxid),
    election_epoch: v.electionEpoch,
    peer_epoch: v.peerEpoch,
    ...(v.state === undefined ? {} : { state: v.state }),
  };
}

function votesJson(m: ReadonlyMap<bigint, VoteView>): CommandBody {
  const out: CommandBody = {};
  for (const [sid, v] of [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[sid.toString()] = voteJson(v);
  return out;
}

function addressJson(m: MemberView | undefined, port: 'quorumPort' | 'electionPort'): CommandBody {
  const all = (m?.addresses ?? []).map((a) => formatHostPort({ host: a.host, port: a[port] }));
  const one = all[0] ?? '';
  return {
    empty: all.length === 0,
    all_addresses: all,
    all_reachable_addresses: all,
    one,
    reachable_address: one,
    wildcard_addresses: (m?.addresses ?? []).map((a) => `0.0.0.0:${a[port]}`),
    all_ports: (m?.addresses ?? []).map((a) => a[port]),
    all_host_strings: (m?.addresses ?? []).map((a) => a.host),
    all_reachable_addresses_or_all: all,
    reachable_or_one: one,
  };
}

function serverStats(ctx: FourLetterContext, s: PeerStatus): CommandBody {
  return {
    version: versionText(ctx.info),
    read_only: false,
    server_stats: {
      packets_sent: ctx.stats.sent,
      packets_received: ctx.stats.received,
      fsync_threshold_exceed_count: 0,
      client_response_stats: clientResponseStats,
      provider_null: false,
      server_state: modeName(s.state),
      outstanding_requests: 0,
      min_latency: 0,
      avg_latency: 0,
      max_latency: 0,
      data_dir_size: 0,
      log_dir_size: 0,
      last_processed_zxid: s.zxid,
      num_alive_client_connections: ctx.stats.connections,
      auth_failed_count: 0,
      non_mtlsremote_conn_count: 0,
      non_mtlslocal_conn_count: 0,
      uptime: ctx.monitor.uptimeMs(),
    },
    client_response: clientResponseStats,
    node_count: 0,
  };
}

/** The body of zkvote's `/commands/election` (also the first event of `/commands/events`). */
export function electionBody(ctx: FourLetterContext, s: PeerStatus): CommandBody {
  const { monitor, info } = ctx;
  return {
    sid: s.sid,
    state: s.state,
    learner_type: s.learnerType,
    leader: s.leader,
    round: s.round,
    zxid: formatZxid0x(s.zxid),
    proposal: voteJson(s.proposal),
    current_vote: voteJson(s.currentVote),
    vote: voteJson(activeVote(s)),
    votes: { recvset: votesJson(s.recvset), outofelection: votesJson(s.outofelection) },
    connections: s.connections,
    learners: s.learners,
    established_epoch: s.establishedEpoch,
    accepted_epoch: s.acceptedEpoch,
    current_epoch: s.currentEpoch,
    last_election_ms: monitor.lastElectionMs,
    electing_for_ms: monitor.electingForMs(),
    election_count: monitor.electionCount,
    looking_count: monitor.lookingCount,
    messages: s.messages,
    quorum_size: info.membership.votingMembers.size,
    voters: [...info.membership.votingMembers.keys()],
    zkvote_peers: info.zkvotePeers === null ? null : [...info.zkvotePeers],
    uptime: monitor.uptimeMs(),
    ...(s.extra ?? {}),
  };
}

export const ADMIN_COMMANDS: readonly AdminCommand[] = [
  { name: 'ruok', aliases: [], serverRequired: true, run: () => ({}) },
  {
    name: 'leader',
    aliases: ['lead'],
    serverRequired: true,
    run: (ctx, s) => {
      const leader = s.leader === null ? undefined : ctx.info.membership.members.get(s.leader);
      return {
        is_leader: s.state === 'LEADING',
        leader_id: s.leader ?? -1,
        leader_ip: leader?.addresses[0]?.host ?? '',
      };
    },
  },
  {
    name: 'voting_view',
    aliases: [],
    serverRequired: true,
    run: (ctx) => {
      const current: CommandBody = {};
      for (const [sid, m] of ctx.info.membership.members) {
        const client = sid === ctx.info.sid ? ctx.info.clientAddress : m.clientAddress;
        current[sid.toString()] = {
          server_addresses: m.addresses.map((a) => formatHostPort({ host: a.host, port: a.quorumPort })),
          election_addresses: m.addresses.map((a) => formatHostPort({ host: a.host, port: a.electionPort })),
          client_address: client === null ? '' : formatHostPort(client),
          learner_type: m.type,
        };
      }
      return { current_config: current };
    },
  },
  { name: 'server_stats', aliases: ['srvr'], serverRequired: true, run: serverStats },
  {
    name: 'stats',
    aliases: ['stat'],
    serverRequired: true,
    run: (ctx, s) => ({ ...serverStats(ctx, s), connections: [], secure_connections: [] }),
  },
  {
    name: 'configuration',
    aliases: ['conf', 'config'],
    serverRequired: true,
    run: ({ info }) => ({
      client_port: info.clientAddress?.port ?? -1,
      data_dir: info.dataDir,
      data_log_dir: info.dataDir,
      tick_time: info.tickTime,
      max_client_cnxns: info.maxClientCnxns,
      min_session_timeout: info.minSessionTimeout,
      max_session_timeout: info.maxSessionTimeout,
      server_id: info.sid,
      client_port_listen_backlog: -1,
    }),
  },
  {
    name: 'monitor',
    aliases: ['mntr'],
    serverRequired: true,
    run: (ctx, s) => Object.fromEntries(monitorValues(ctx, s)),
  },
  {
    name: 'zabstate',
    aliases: [],
    serverRequired: false,
    run: (ctx, s) => {
      if (!isServing(s)) return { voting: false, zabstate: '' };
      const me = ctx.info.membership.members.get(ctx.info.sid);
      const epoch = s.establishedEpoch ?? zxidEpoch(s.zxid);
      return {
        myid: s.sid,
        is_leader: s.state === 'LEADING',
        quorum_address: addressJson(me, 'quorumPort'),
        election_address: addressJson(me, 'electionPort'),
        client_address: ctx.info.clientAddress === null ? '' : formatHostPort(ctx.info.clientAddress),
        voting: ctx.info.membership.votingMembers.has(ctx.info.sid),
        last_zxid: formatZxid0x(s.zxid),
        zab_epoch: epoch,
        zab_counter: zxidCounter(s.zxid),
        zabstate: s.establishedEpoch !== null || s.state === 'OBSERVING' ? 'broadcast' : 'discovery',
      };
    },
  },
  { name: 'election', aliases: [], serverRequired: false, run: electionBody },
];

const byName = new Map<string, AdminCommand>();
for (const c of ADMIN_COMMANDS) for (const n of [c.name, ...c.aliases]) byName.set(n, c);

export function findCommand(name: string): AdminCommand | undefined {
  return byName.get(name);
}
