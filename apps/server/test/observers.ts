// Builds the observers' context (info + monitor + stats) around a FakePeer, without files.

import { parseServerSpec, QuorumMaj } from '@zkvote/quorum';
import { FourLetterStats, type FourLetterContext } from '../src/fourletter.js';
import { SERVER_VERSION, type ServerInfo } from '../src/info.js';
import { PeerMonitor } from '../src/monitor.js';
import { FakePeer } from './fake-peer.js';

export interface Observed {
  peer: FakePeer;
  ctx: FourLetterContext;
  clock: { t: number; now(): number };
}

export function observed(opts: { sid?: bigint; whitelist?: ReadonlySet<string> | '*'; clientPort?: number } = {}): Observed {
  const sid = opts.sid ?? 2n;
  const servers = [1n, 2n, 3n].map((s) => parseServerSpec(s, `127.0.0.1:2888${s}:3888${s}`));
  const membership = new QuorumMaj(servers);
  const info: ServerInfo = {
    version: SERVER_VERSION,
    sid,
    dataDir: '/data',
    tickTime: 2000,
    initLimit: 10,
    syncLimit: 5,
    minSessionTimeout: 4000,
    maxSessionTimeout: 40000,
    maxClientCnxns: 60,
    clientAddress: { host: '127.0.0.1', port: opts.clientPort ?? 21812 },
    membership,
    fourLetterWhitelist: opts.whitelist ?? '*',
    zkvotePeers: null,
  };
  const clock = { t: 1_000_000, now: () => clock.t };
  const peer = new FakePeer({ sid });
  const monitor = new PeerMonitor(peer, clock);
  return { peer, clock, ctx: { info, monitor, stats: new FourLetterStats() } };
}
