// Launches a real ZooKeeper 3.8 ensemble on loopback: free ports per node, one zoo.cfg and myid
// per sid (membership may include zkvote servers we do not launch), QuorumPeerMain per node.
// The Ensemble observes nodes from outside (srvr, AdminServer, log lines) and injects kills.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TestkitError } from '../errors.js';
import { freePorts } from '../ports.js';
import { ManagedProcess, type LineMatch } from '../process.js';
import { tempDir, keepDirs } from '../temp.js';
import { zookeeperAvailable } from './available.js';
import { LOG4J_PROPERTIES, serverLines, zooCfgText, type ServerEntry } from './config.js';
import { adminCommand, fourLetterWord, parseSrvrMode, type ZkMode } from './fourletter.js';

/** A member this ensemble writes into zoo.cfg but does not launch (e.g. a zkvote server). */
export type ExtraServer = ServerEntry;

export interface EnsembleOptions {
  /** Number of ZooKeeper nodes, sids 1..size (ignored when `sids` is given). Default 3. */
  size?: number;
  /** Explicit ZooKeeper sids. */
  sids?: number[];
  /** ZooKeeper sids that run as observers. */
  observers?: number[];
  /** Servers in the membership that this ensemble does not launch (e.g. zkvote servers). */
  extraServers?: ExtraServer[];
  tickTime?: number;
  initLimit?: number;
  syncLimit?: number;
  /** Extra zoo.cfg lines (key=value), written after the defaults. */
  extraConfig?: Record<string, string>;
  /** Which ZooKeeper sids to launch now. Default: all. */
  start?: number[];
  /** Parent directory; a fresh temp dir is made (and removed by stop()) when omitted. */
  baseDir?: string;
  /** JVM options before -cp. Default ['-Xmx256m']. */
  jvmArgs?: string[];
}

export interface EnsembleNode {
  readonly sid: number;
  readonly type: 'participant' | 'observer';
  readonly clientPort: number;
  readonly quorumPort: number;
  readonly electionPort: number;
  readonly adminPort: number;
  /** DIR/<sid>: zoo.cfg, log4j.properties, data/myid, zookeeper.log (stdout+stderr). */
  readonly dir: string;
  /** The current JVM, or null when not started / killed. Replaced by start/restart. */
  readonly process: ManagedProcess | null;
}

export type Modes = ReadonlyMap<number, ZkMode | null>;

export interface Ensemble {
  readonly dir: string;
  readonly nodes: ReadonlyMap<number, EnsembleNode>;
  /** server.N=host:quorum:election[:observer] for every member, ZooKeeper and extra, by sid. */
  serverLines(): string[];
  start(sid: number): Promise<ManagedProcess>;
  /** Sends `signal` (default SIGKILL); for SIGKILL/SIGTERM/SIGINT also waits for the exit. */
  kill(sid: number, signal?: NodeJS.Signals): Promise<void>;
  /** SIGKILL (if running), then a fresh JVM on the same ports and data dir. */
  restart(sid: number): Promise<ManagedProcess>;
  /** SIGSTOP / SIGCONT: the JVM hangs with its sockets open. */
  pause(sid: number): void;
  resume(sid: number): void;
  fourLetter(sid: number, word: string, timeoutMs?: number): Promise<string>;
  mode(sid: number): Promise<ZkMode | null>;
  modes(): Promise<Modes>;
  admin(sid: number, command: string): Promise<unknown>;
  /** Polls `modes()` until `predicate` holds. Rejects PROCESS_EXITED at once if a JVM died
   * without being killed through this Ensemble (bad port, bad config), with its last log lines. */
  waitFor(predicate: (modes: Modes) => boolean, timeoutMs: number, intervalMs?: number): Promise<Modes>;
  /** Waits until exactly one running node leads and every other running participant follows. */
  waitForLeader(timeoutMs: number, opts?: { among?: number[] }): Promise<number>;
  waitForLog(sid: number, regex: RegExp, timeoutMs: number, opts?: { since?: number }): Promise<LineMatch>;
  /** N from the last `LEADER ELECTION TOOK - N ms` of the node's current JVM, or null. */
  electionTook(sid: number): number | null;
  stop(): Promise<void>;
}

interface MutableNode {
  sid: number;
  type: 'participant' | 'observer';
  clientPort: number;
  quorumPort: number;
  electionPort: number;
  adminPort: number;
  dir: string;
  process: ManagedProcess | null;
  /** The current JVM was signalled to die by kill()/restart()/stop(). */
  killed: boolean;
}

function fail(message: string): never {
  throw new TestkitError('BAD_OPTIONS', message);
}

export async function startZooKeeperEnsemble(opts: EnsembleOptions = {}): Promise<Ensemble> {
  const zk = await zookeeperAvailable();
  if (!zk.ok) throw new TestkitError('ZK_UNAVAILABLE', `expected a runnable ZooKeeper, but ${zk.reason}`);

  const sids = opts.sids ?? Array.from({ length: opts.size ?? 3 }, (_, i) => i + 1);
  const extras = opts.extraServers ?? [];
  const all = [...sids, ...extras.map((e) => e.sid)];
  if (new Set(all).size !== all.length) fail(`expected distinct sids, got ${all.join(',')}`);
  for (const sid of all) if (!Number.isInteger(sid) || sid < 0) fail(`expected non-negative integer sids, got ${sid}`);
  const observers = new Set(opts.observers ?? []);
  for (const sid of observers) if (!sids.includes(sid)) fail(`observer ${sid} is not one of the ZooKeeper sids ${sids.join(',')}`);
  const toStart = opts.start ?? sids;
  for (const sid of toStart) if (!sids.includes(sid)) fail(`cannot start ${sid}: not one of the ZooKeeper sids ${sids.join(',')}`);

  const temp = opts.baseDir === undefined ? await tempDir('zkvote-zk-') : null;
  const root = temp?.path ?? opts.baseDir!;
  const ports = await freePorts(sids.length * 4);
  const nodes = new Map<number, MutableNode>();
  sids.forEach((sid, i) => {
    const [clientPort, quorumPort, electionPort, adminPort] = ports.slice(i * 4, i * 4 + 4) as [number, number, number, number];
    nodes.set(sid, {
      sid,
      type: observers.has(sid) ? 'observer' : 'participant',
      clientPort,
      quorumPort,
      electionPort,
      adminPort,
      dir: path.join(root, String(sid)),
      process: null,
      killed: false,
    });
  });

  const members = (): ServerEntry[] => [
    ...[...nodes.values()].map((n) => ({ sid: n.sid, quorumPort: n.quorumPort, electionPort: n.electionPort, type: n.type })),
    ...extras,
  ];
  const cfgText = (n: MutableNode): string =>
    zooCfgText({
      dataDir: path.join(n.dir, 'data'),
      clientPort: n.clientPort,
      adminPort: n.adminPort,
      servers: members(),
      observer: n.type === 'observer',
      tickTime: opts.tickTime,
      initLimit: opts.initLimit,
      syncLimit: opts.syncLimit,
      extraConfig: opts.extraConfig,
    });

  for (const n of nodes.values()) {
    await mkdir(path.join(n.dir, 'data'), { recursive: true });
    await writeFile(path.join(n.dir, 'zoo.cfg'), cfgText(n));
    await writeFile(path.join(n.dir, 'data', 'myid'), `${n.sid}\n`);
    await writeFile(path.join(n.dir, 'log4j.properties'), LOG4J_PROPERTIES);
  }

  const node = (sid: number): MutableNode => nodes.get(sid) ?? fail(`no ZooKeeper node with sid ${sid} (have ${sids.join(',')})`);

  const start = async (sid: number): Promise<ManagedProcess> => {
    const n = node(sid);
    if (n.process?.running) throw new TestkitError('PROCESS_STATE', `expected ZooKeeper ${sid} to be stopped before start, but pid ${n.process.pid} is running`);
    n.killed = false;
    n.process = new ManagedProcess({
      name: `zookeeper-${sid}`,
      command: zk.java,
      args: [
        ...(opts.jvmArgs ?? ['-Xmx256m']),
        '-cp',
        zk.classpath,
        `-Dzookeeper.log.dir=${n.dir}`,
        '-Dzookeeper.root.logger=INFO,CONSOLE',
        `-Dlog4j.configuration=file:${path.join(n.dir, 'log4j.properties')}`,
        'org.apache.zookeeper.server.quorum.QuorumPeerMain',
        path.join(n.dir, 'zoo.cfg'),
      ],
      cwd: n.dir,
      logFile: path.join(n.dir, 'zookeeper.log'),
    });
    return n.process;
  };

  const kill = async (sid: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const n = node(sid);
    const p = n.process;
    if (p === null) return;
    if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT') n.killed = true;
    p.kill(signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT') await p.exited;
  };

  const mode = async (sid: number): Promise<ZkMode | null> => {
    const n = node(sid);
    if (!n.process?.running) return null;
    try {
      return parseSrvrMode(await fourLetterWord(n.clientPort, 'srvr', 1_000));
    } catch {
      return null;
    }
  };

  const modes = async (): Promise<Modes> => {
    const entries = await Promise.all(sids.map(async (sid) => [sid, await mode(sid)] as const));
    return new Map(entries);
  };

  const waitFor = async (predicate: (m: Modes) => boolean, timeoutMs: number, intervalMs = 50): Promise<Modes> => {
    const deadline = Date.now() + timeoutMs;
    let last: Modes = new Map();
    // Polling a separate OS process: nothing of ours can signal when its state changes.
    for (let round = 0; round < 100_000; round++) {
      const crashed = [...nodes.values()].find((n) => n.process !== null && !n.process.running && !n.killed);
      if (crashed) {
        throw new TestkitError('PROCESS_EXITED', `expected ZooKeeper ${crashed.sid} to keep running, but it exited (code ${crashed.process?.exitStatus?.code}); last lines:\n${crashed.process?.output(20)}`);
      }
      last = await modes();
      if (predicate(last)) return last;
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    throw new TestkitError('TIMEOUT', `expected the ensemble modes to satisfy the predicate within ${timeoutMs} ms; last: ${formatModes(last)}`);
  };

  const ensemble: Ensemble = {
    dir: root,
    nodes: nodes as ReadonlyMap<number, EnsembleNode>,
    serverLines: () => serverLines(members()),
    start,
    kill,
    async restart(sid) {
      await kill(sid, 'SIGKILL');
      node(sid).process = null;
      return start(sid);
    },
    pause: (sid) => void node(sid).process?.pause(),
    resume: (sid) => void node(sid).process?.resume(),
    fourLetter: (sid, word, timeoutMs) => fourLetterWord(node(sid).clientPort, word, timeoutMs),
    mode,
    modes,
    admin: (sid, command) => adminCommand(node(sid).adminPort, command),
    waitFor,
    async waitForLeader(timeoutMs, o = {}) {
      const among = o.among;
      const m = await waitFor((ms) => {
        const running = sids.filter((s) => nodes.get(s)?.process?.running && (among === undefined || among.includes(s)));
        const leaders = running.filter((s) => ms.get(s) === 'leader');
        if (leaders.length !== 1) return false;
        return running.every((s) => {
          const v = ms.get(s);
          return v === 'leader' || v === (nodes.get(s)?.type === 'observer' ? 'observer' : 'follower');
        });
      }, timeoutMs);
      return [...m].find(([, v]) => v === 'leader')![0];
    },
    waitForLog(sid, regex, timeoutMs, o) {
      const p = node(sid).process;
      if (p === null) return Promise.reject(new TestkitError('PROCESS_STATE', `expected ZooKeeper ${sid} to be started before waiting for ${regex}`));
      return p.waitForLine(regex, timeoutMs, o);
    },
    electionTook(sid) {
      const lines = node(sid).process?.lines() ?? [];
      for (let i = lines.length - 1; i >= 0; i--) {
        const m = /LEADER ELECTION TOOK - (\d+) ms/i.exec(lines[i]!.text);
        if (m) return Number(m[1]);
      }
      return null;
    },
    async stop() {
      for (const n of nodes.values()) n.killed = true;
      await Promise.all([...nodes.values()].map((n) => n.process?.stop('SIGKILL')));
      if (temp !== null) await temp.cleanup();
      else if (keepDirs()) console.warn(`[zkvote testkit] ensemble dir ${root}`);
    },
  };

  for (const sid of toStart) await start(sid);
  return ensemble;
}

function formatModes(m: Modes): string {
  return [...m].map(([sid, v]) => `${sid}=${v ?? 'down'}`).join(' ') || '(none polled)';
}
