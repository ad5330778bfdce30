// Four-letter words on a client port (srvr, mntr, conf): mode and zxid from srvr, the round and
// established epoch from mntr's zkvote_* keys (zkvote servers), sid and membership from conf.
// 4lw cannot tell who a follower follows; status() infers it from the one LEADING row.

import net from 'node:net';
import { CliError, errorText } from '../errors.js';
import { emptyRow, type ServerRow } from '../row.js';
import { socketErrorText } from './election.js';

const MAX_REPLY = 1 << 20;
export const NOT_SERVING = /not currently serving requests/i;

/** Sends a four-letter word, returns everything the server writes before closing. */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (error: CliError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error === null) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(error);
    };
    const timer = setTimeout(() => finish(new CliError('PROBE', `expected a ${word} reply within ${timeoutMs} ms, got none`)), timeoutMs);
    socket.once('connect', () => socket.write(word));
    socket.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REPLY) finish(new CliError('PROBE', `expected a ${word} reply under ${MAX_REPLY} bytes, got more`));
      else chunks.push(c);
    });
    socket.on('end', () => finish(null));
    socket.on('close', () => finish(null));
    socket.on('error', (e: NodeJS.ErrnoException) => finish(new CliError('PROBE', socketErrorText(e))));
  });
}

const MODES: Record<string, string> = {
  leader: 'LEADING',
  follower: 'FOLLOWING',
  observer: 'OBSERVING',
  looking: 'LOOKING',
  standalone: 'STANDALONE',
  'read-only': 'READ-ONLY',
};

/** ZooKeeper's lowercase mode name as a ServerState name. */
export function stateFromMode(mode: string): string {
  return MODES[mode.trim().toLowerCase()] ?? mode.trim().toUpperCase();
}

export function parseLong(text: string | undefined): bigint | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (!/^-?(0x[0-9a-f]+|[0-9]+)$/i.test(t)) return null;
  return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
}

function keyValues(text: string, sep: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = sep.exec(line);
    if (m !== null && m[1] !== undefined && m[2] !== undefined) out.set(m[1].trim(), m[2].trim());
  }
  return out;
}

export interface FourLetterReport {
  row: ServerRow;
  /** The `membership:` section of `conf` (a dynamic config text with version=), if allowed. */
  membership: string | null;
}

export async function probeFourLetter(host: string, port: number, timeoutMs = 2000): Promise<FourLetterReport> {
  const address = `${host}:${port}`;
  const row = emptyRow('4lw', address, null);
  let srvr: string;
  try {
    srvr = await fourLetterWord(host, port, 'srvr', timeoutMs);
  } catch (e) {
    row.error = errorText(e);
    return { row, membership: null };
  }
  // mntr and conf are optional: ZooKeeper only answers words in 4lw.commands.whitelist.
  const [mntr, conf] = await Promise.all([
    fourLetterWord(host, port, 'mntr', timeoutMs).catch(() => ''),
    fourLetterWord(host, port, 'conf', timeoutMs).catch(() => ''),
  ]);
  const s = keyValues(srvr, /^([A-Za-z ]+):\s*(.*)$/);
  const mode = s.get('Mode');
  if (mode !== undefined) row.state = stateFromMode(mode);
  else if (NOT_SERVING.test(srvr)) row.state = 'LOOKING';
  else {
    row.error = srvr.trim() === '' ? 'expected a srvr reply, got an empty one (srvr not whitelisted?)' : `expected a srvr reply with Mode:, got ${JSON.stringify(srvr.trim().slice(0, 80))}`;
    return { row, membership: null };
  }
  row.zxid = parseLong(s.get('Zxid'));
  const m = keyValues(mntr, /^(\S+)\t(.*)$/);
  row.electionEpoch = parseLong(m.get('zkvote_election_round'));
  const established = parseLong(m.get('zkvote_established_epoch'));
  row.epoch = established !== null && established >= 0n ? established : null;
  const c = keyValues(conf, /^([A-Za-z.]+)=(.*)$/);
  row.sid = parseLong(c.get('serverId'));
  if (row.state === 'LEADING') row.leader = row.sid;
  const at = conf.indexOf('membership:');
  const membership = at < 0 ? null : conf.slice(conf.indexOf('\n', at) + 1).trim() || null;
  return { row, membership };
}
