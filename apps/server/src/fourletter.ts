// ZooKeeper's four-letter words on the client port, in ZooKeeper's text formats, so monitoring
// scripts that run `echo srvr | nc host 2181` keep working. Only the first four bytes count;
// anything else (unknown words, ZooKeeper client handshakes, garbage) closes the socket.

import net from 'node:net';
import { formatZxid0x } from '@zkvote/wire';
import { versionText, type ServerInfo } from './info.js';
import type { PeerMonitor } from './monitor.js';
import { isServing, modeName, type PeerStatus } from './status.js';

export const NOT_SERVING = 'This ZooKeeper instance is not currently serving requests';

/** Every word ZooKeeper 3.8 knows (FourLetterCommands); a known word gets the whitelist check. */
export const ZOOKEEPER_WORDS: ReadonlySet<string> = new Set([
  'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'hash', 'isro', 'mntr',
  'reqs', 'ruok', 'srst', 'srvr', 'stat', 'stmk', 'wchc', 'wchp', 'wchs',
]);

/** Words zkvote-server answers; other known words, when whitelisted, close without a reply. */
export const SUPPORTED_WORDS: ReadonlySet<string> = new Set(['ruok', 'srvr', 'stat', 'mntr', 'conf', 'isro', 'envi']);

/** Counters srvr/stat report as Received/Sent/Connections. */
export class FourLetterStats {
  received = 0;
  sent = 0;
  connections = 0;
}

export interface FourLetterContext {
  readonly info: ServerInfo;
  readonly monitor: PeerMonitor;
  readonly stats: FourLetterStats;
}

export function isWhitelisted(info: ServerInfo, word: string): boolean {
  return info.fourLetterWhitelist === '*' || info.fourLetterWhitelist.has(word);
}

/**
 * The reply to `word`, or null when the socket should just be closed (not a word ZooKeeper
 * knows). `peerAddress` is the asking client, listed by `stat`.
 */
export function fourLetterReply(word: string, ctx: FourLetterContext, peerAddress = ''): string | null {
  if (!ZOOKEEPER_WORDS.has(word)) return null;
  const { info } = ctx;
  if (!isWhitelisted(info, word)) return `${word} is not executed because it is not in the whitelist.\n`;
  const status = ctx.monitor.status();
  switch (word) {
    case 'ruok':
      return 'imok';
    case 'envi':
      return envi(info);
    case 'isro':
      return isServing(status) ? 'rw' : 'null';
    default:
      break;
  }
  if (!SUPPORTED_WORDS.has(word)) return null;
  if (!isServing(status)) return `${NOT_SERVING}\n`;
  switch (word) {
    case 'srvr':
      return srvr(ctx, status, null);
    case 'stat':
      return srvr(ctx, status, peerAddress);
    case 'mntr':
      return mntr(ctx, status);
    default:
      return conf(info);
  }
}

function srvr(ctx: FourLetterContext, s: PeerStatus, client: string | null): string {
  const lines = [`Zookeeper version: ${versionText(ctx.info)}`];
  if (client !== null) lines.push('Clients:', ` /${client}[0](queued=0,recved=1,sent=0)`, '');
  lines.push(
    'Latency min/avg/max: 0/0.0/0',
    `Received: ${ctx.stats.received}`,
    `Sent: ${ctx.stats.sent}`,
    `Connections: ${ctx.stats.connections}`,
    'Outstanding: 0',
    `Zxid: ${formatZxid0x(s.zxid)}`,
    `Mode: ${modeName(s.state)}`,
    'Node count: 0',
  );
  if (s.state === 'LEADING') lines.push('Proposal sizes last/min/max: -1/-1/-1');
  return `${lines.join('\n')}\n`;
}

/** mntr's key/value pairs (shared with the admin `monitor` command). */
export function monitorValues(ctx: FourLetterContext, s: PeerStatus): Array<[string, string | number | bigint]> {
  const { info, monitor } = ctx;
  const mode = modeName(s.state);
  const phase = s.establishedEpoch !== null || s.state === 'OBSERVING' ? 'broadcast' : 'discovery';
  const pairs: Array<[string, string | number | bigint]> = [
    ['version', versionText(info)],
    ['server_state', mode],
    ['peer_state', s.state === 'LOOKING' ? 'looking' : `${s.state.toLowerCase()} - ${phase}`],
    ['num_alive_connections', ctx.stats.connections],
    ['outstanding_requests', 0],
    ['znode_count', 0],
    ['packets_sent', ctx.stats.sent],
    ['packets_received', ctx.stats.received],
    ['uptime', monitor.uptimeMs()],
    ['quorum_size', info.membership.votingMembers.size],
    ['looking_count', monitor.lookingCount],
  ];
  if (s.state === 'LEADING') {
    pairs.push(['learners', s.learners.length], ['synced_followers', s.learners.length], ['pending_syncs', 0]);
  }
  const t = monitor.electionTime;
  pairs.push(
    ['avg_election_time', t.count === 0 ? '0.0' : (t.sum / t.count).toFixed(1)],
    ['min_election_time', t.min],
    ['max_election_time', t.max],
    ['cnt_election_time', t.count],
    ['sum_election_time', t.sum],
  );
  pairs.push(
    ['zkvote_last_election_ms', monitor.lastElectionMs ?? -1],
    ['zkvote_election_round', s.round],
    ['zkvote_established_epoch', s.establishedEpoch ?? -1n],
    ['zkvote_notifications_sent', s.messages.sent ?? 0],
    ['zkvote_notifications_received', s.messages.received ?? 0],
  );
  return pairs;
}

function mntr(ctx: FourLetterContext, s: PeerStatus): string {
  return monitorValues(ctx, s)
    .map(([k, v]) => `${k.startsWith('zkvote_') ? k : `zk_${k}`}\t${String(v)}\n`)
    .join('');
}

function conf(info: ServerInfo): string {
  const me = info.membership.members.get(info.sid);
  const first = me?.addresses[0];
  const lines = [
    `clientPort=${info.clientAddress?.port ?? -1}`,
    'secureClientPort=-1',
    `dataDir=${info.dataDir}`,
    `dataLogDir=${info.dataDir}`,
    `tickTime=${info.tickTime}`,
    `maxClientCnxns=${info.maxClientCnxns}`,
    `minSessionTimeout=${info.minSessionTimeout}`,
    `maxSessionTimeout=${info.maxSessionTimeout}`,
    'clientPortListenBacklog=-1',
    `serverId=${info.sid}`,
    `initLimit=${info.initLimit}`,
    `syncLimit=${info.syncLimit}`,
    'electionAlg=3',
    `electionPort=${first?.electionPort ?? -1}`,
    `quorumPort=${first?.quorumPort ?? -1}`,
    `peerType=${me?.type === 'observer' ? 1 : 0}`,
    'membership: ',
    info.membership.toString(),
  ];
  return lines.join('\n');
}

function envi(info: ServerInfo): string {
  const lines = [
    'Environment:',
    `zookeeper.version=${versionText(info)}`,
    `host.name=${process.env.HOSTNAME ?? 'localhost'}`,
    `node.version=${process.version}`,
    `os.name=${process.platform}`,
    `os.arch=${process.arch}`,
    `user.dir=${process.cwd()}`,
  ];
  return `${lines.join('\n')}\n`;
}

export interface FourLetterServerOptions {
  host: string;
  port: number;
  ctx: FourLetterContext;
  /** A client that has not sent four bytes by then is disconnected. Default 5000 ms. */
  readTimeoutMs?: number;
  /** Concurrent connections accepted; more are closed on arrival. Default 256. */
  maxConnections?: number;
}

/** Serves four-letter words; resolves once listening (rejects with the listen error). */
export function startFourLetterServer(opts: FourLetterServerOptions): net.Server {
  const { ctx } = opts;
  const readTimeoutMs = opts.readTimeoutMs ?? 5_000;
  const server = net.createServer((socket) => {
    ctx.stats.connections++;
    let buffered = Buffer.alloc(0);
    let answered = false;
    socket.setNoDelay(true);
    socket.setTimeout(readTimeoutMs, () => socket.destroy());
    socket.on('error', () => undefined);
    socket.once('close', () => {
      ctx.stats.connections--;
    });
    socket.on('data', (chunk: Buffer) => {
      if (answered) return; // ZooKeeper ignores whatever follows the word
      buffered = Buffer.concat([buffered, chunk.subarray(0, 4 - buffered.length)]);
      if (buffered.length < 4) return;
      answered = true;
      socket.pause();
      const word = buffered.toString('latin1');
      const peer = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`;
      let reply: string | null;
      try {
        reply = fourLetterReply(word, ctx, peer);
      } catch {
        reply = null;
      }
      if (reply === null) {
        socket.destroy();
        return;
      }
      ctx.stats.received++;
      ctx.stats.sent++;
      socket.end(reply);
    });
  });
  server.maxConnections = opts.maxConnections ?? 256;
  return server;
}
