// Multi-process test harness: N zkvote-server child processes on loopback, each with its own
// zoo.cfg, dataDir/myid and ports (testkit's freePorts), queried through their admin API.
// Reused by the CLI and benchmark suites: import from 'apps/server/test/harness.ts'.
//
//   const ens = await startZkvoteEnsemble({ size: 3 });
//   try { const { leader } = await ens.waitForLeader(15_000); } finally { await ens.stop(); }
//
// Mixed ensembles: plan the zkvote nodes first (`start: []`), hand `ens.entries()` to
// testkit's startZooKeeperEnsemble as extraServers, then `ens.setExternalServers(...)` and
// `ens.start(sid)`. Links to chosen sids can run through fault proxies (`isolatable`, then
// `isolate(sid)` / `heal(sid)`).

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  adminCommand,
  fourLetterWord,
  freePorts,
  ManagedProcess,
  serverLine,
  startProxy,
  tempDir,
  keepDirs,
  TestkitError,
  type LineMatch,
  type Proxy,
  type ServerEntry,
} from '@zkvote/testkit';

/** The built bin every child runs (turbo builds dist/ before tests). */
export const SERVER_BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export type PeerStateName = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

/** The parts of /commands/election the harness reads (numbers as JSON gives them). */
export interface ElectionView {
  sid: number;
  state: PeerStateName;
  leader: number | null;
  round: number;
  established_epoch: number | null;
  accepted_epoch: number | null;
  current_epoch: number | null;
  last_election_ms: number | null;
  [field: string]: unknown;
}

export interface ZkvoteNode {
  readonly sid: number;
  readonly type: 'participant' | 'observer';
  readonly electionPort: number;
  readonly quorumPort: number;
  readonly clientPort: number;
  readonly adminPort: number;
  /** zkvote.metricsPort when started with `metrics: true`, else null. */
  readonly metricsPort: number | null;
  /** DIR/<sid>: zoo.cfg, data/myid, server.log. */
  readonly dir: string;
  readonly configFile: string;
  readonly dataDir: string;
  /** The current child, or null before start / after kill. */
  readonly process: ManagedProcess | null;
}

export interface ZkvoteEnsembleOptions {
  /** Sids 1..size (ignored when `sids` is given). Default 3. */
  size?: number;
  sids?: number[];
  observers?: number[];
  /** Which sids to launch now; default all. `[]` only plans (ports, dirs). */
  start?: number[];
  tickTime?: number;
  initLimit?: number;
  syncLimit?: number;
  /** Extra zoo.cfg keys for every node (override defaults in place). */
  extraConfig?: Record<string, string>;
  /** Extra zoo.cfg keys per sid. */
  nodeConfig?: Record<number, Record<string, string>>;
  /** Give every node a Prometheus port (zkvote.metricsPort). */
  metrics?: boolean;
  /** Sids whose every link (both directions, election and quorum) runs through a proxy. */
  isolatable?: number[];
  /** Environment for the children (merged over process.env). */
  env?: Record<string, string>;
  /** Parent directory; a fresh temp dir (removed by stop()) when omitted. */
  baseDir?: string;
}

export interface ZkvoteEnsemble {
  readonly dir: string;
  readonly nodes: ReadonlyMap<number, ZkvoteNode>;
  /** Our members as testkit ServerEntries (for startZooKeeperEnsemble's extraServers). */
  entries(): ServerEntry[];
  /** Membership lines of servers we do not launch (ZooKeeper); written into every zoo.cfg. */
  setExternalServers(lines: readonly string[]): void;
  /** The zoo.cfg text `sid` is (or would be) started with. */
  configText(sid: number): string;
  start(sid: number): Promise<ManagedProcess>;
  /** Signal (default SIGKILL) and wait for the exit. */
  kill(sid: number, signal?: NodeJS.Signals): Promise<void>;
  restart(sid: number): Promise<ManagedProcess>;
  pause(sid: number): void;
  resume(sid: number): void;
  admin(sid: number, command: string): Promise<unknown>;
  election(sid: number): Promise<ElectionView>;
  fourLetter(sid: number, word: string): Promise<string>;
  /** The Prometheus text of `sid` (needs `metrics: true`). */
  metrics(sid: number): Promise<string>;
  /** Polls `election(sid)` until `predicate` holds. */
  waitForElection(sid: number, predicate: (e: ElectionView) => boolean, timeoutMs: number): Promise<ElectionView>;
  /**
   * Waits until, among the running nodes (or `among`), exactly one LEADS with an established
   * epoch and every other one FOLLOWS/OBSERVES it with that epoch established too. `leader` allows a non-zkvote leader
   * (mixed ensembles): then nobody of ours leads and all agree on that sid.
   */
  waitForLeader(timeoutMs: number, opts?: { among?: number[]; leader?: number }): Promise<{ leader: number; views: Map<number, ElectionView> }>;
  waitForLog(sid: number, regex: RegExp, timeoutMs: number, opts?: { since?: number }): Promise<LineMatch>;
  /** Cuts every proxied link of an `isolatable` sid (new connections are reset too). */
  isolate(sid: number): void;
  heal(sid: number): void;
  stop(): Promise<void>;
}

interface MutableNode extends ZkvoteNode {
  process: ManagedProcess | null;
}

function fail(message: string): never {
  throw new TestkitError('BAD_OPTIONS', message);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startZkvoteEnsemble(opts: ZkvoteEnsembleOptions = {}): Promise<ZkvoteEnsemble> {
  const sids = opts.sids ?? Array.from({ length: opts.size ?? 3 }, (_, i) => i + 1);
  if (new Set(sids).size !== sids.length) fail(`expected distinct sids, got ${sids.join(',')}`);
  const observers = new Set(opts.observers ?? []);
  const temp = opts.baseDir === undefined ? await tempDir('zkvote-server-') : null;
  const root = temp?.path ?? (opts.baseDir as string);
  const perNode = opts.metrics === true ? 5 : 4;
  const ports = await freePorts(sids.length * perNode);
  const nodes = new Map<number, MutableNode>();
  sids.forEach((sid, i) => {
    const [electionPort, quorumPort, clientPort, adminPort, metricsPort] = ports.slice(i * perNode, (i + 1) * perNode) as [number, number, number, number, number | undefined];
    const dir = path.join(root, String(sid));
    nodes.set(sid, {
      sid,
      type: observers.has(sid) ? 'observer' : 'participant',
      electionPort,
      quorumPort,
      clientPort,
      adminPort,
      metricsPort: metricsPort ?? null,
      dir,
      configFile: path.join(dir, 'zoo.cfg'),
      dataDir: path.join(dir, 'data'),
      process: null,
    });
  });
  const node = (sid: number): MutableNode => nodes.get(sid) ?? fail(`no zkvote node with sid ${sid} (have ${sids.join(',')})`);

  // Proxies for `isolatable` sids. ZooKeeper's connect-back (the larger sid of a pair dials
  // the address the smaller one advertises, never a proxy) means a proxy in front of a port is
  // not enough to cut a link. So in every pair with an isolatable sid, the larger sid dials the
  // smaller one's election port through a proxy we can cut, the smaller sid sees the larger
  // one's election port as a dead (always refused) proxy, and both quorum ports are proxied.
  const proxies = new Map<number, Proxy[]>();
  const viaProxy = new Map<string, { electionPort: number; quorumPort: number }>(); // "viewer:target"
  let dead: Proxy | null = null;
  const isolatable = [...new Set(opts.isolatable ?? [])];
  for (const x of isolatable) proxies.set(x, []);
  const done = new Set<string>();
  for (const x of isolatable) {
    for (const y of sids) {
      const key = [Math.min(x, y), Math.max(x, y)].join(':');
      if (y === x || done.has(key)) continue;
      done.add(key);
      const [lo, hi] = [node(Math.min(x, y)), node(Math.max(x, y))];
      const list: Proxy[] = [];
      if (dead === null) {
        dead = await startProxy({ target: { host: '127.0.0.1', port: 1 } });
        dead.block();
      }
      viaProxy.set(`${hi.sid}:${lo.sid}`, { electionPort: await addProxy(list, lo.electionPort), quorumPort: await addProxy(list, lo.quorumPort) });
      viaProxy.set(`${lo.sid}:${hi.sid}`, { electionPort: dead.port, quorumPort: await addProxy(list, hi.quorumPort) });
      for (const s of [x, y]) proxies.get(s)?.push(...list);
    }
  }

  let external: readonly string[] = [];
  const entryFor = (viewer: number, n: MutableNode): ServerEntry => {
    const p = viaProxy.get(`${viewer}:${n.sid}`);
    return { sid: n.sid, electionPort: p?.electionPort ?? n.electionPort, quorumPort: p?.quorumPort ?? n.quorumPort, type: n.type };
  };
  const configText = (sid: number): string => {
    const n = node(sid);
    const keys = new Map<string, string>([
      ['tickTime', String(opts.tickTime ?? 500)],
      ['initLimit', String(opts.initLimit ?? 10)],
      ['syncLimit', String(opts.syncLimit ?? 5)],
      ['dataDir', n.dataDir],
      ['clientPort', String(n.clientPort)],
      ['clientPortAddress', '127.0.0.1'],
      ['4lw.commands.whitelist', '*'],
      ['admin.serverAddress', '127.0.0.1'],
      ['admin.serverPort', String(n.adminPort)],
    ]);
    if (n.metricsPort !== null) keys.set('zkvote.metricsPort', String(n.metricsPort));
    for (const [k, v] of Object.entries({ ...opts.extraConfig, ...opts.nodeConfig?.[sid] })) keys.set(k, v);
    const lines = [...nodes.values()].map((m) => ({ sid: m.sid, line: serverLine(entryFor(sid, m)) }));
    for (const l of external) lines.push({ sid: Number(/^server\.(\d+)=/.exec(l)?.[1] ?? 0), line: l });
    lines.sort((a, b) => a.sid - b.sid);
    return [...[...keys].map(([k, v]) => `${k}=${v}`), ...lines.map((l) => l.line), ''].join('\n');
  };

  const start = async (sid: number): Promise<ManagedProcess> => {
    const n = node(sid);
    if (n.process?.running) fail(`zkvote ${sid} is already running (pid ${n.process.pid})`);
    await mkdir(n.dataDir, { recursive: true });
    await writeFile(n.configFile, configText(sid));
    await writeFile(path.join(n.dataDir, 'myid'), `${sid}\n`);
    const p = new ManagedProcess({
      name: `zkvote-${sid}`,
      command: process.execPath,
      args: [SERVER_BIN, n.configFile],
      cwd: n.dir,
      env: { ...process.env, ...opts.env },
      logFile: path.join(n.dir, 'server.log'),
    });
    n.process = p;
    await p.waitForLine(/"event":"started"/, 15_000);
    return p;
  };

  const kill = async (sid: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const p = node(sid).process;
    if (p === null) return;
    await p.stop(signal);
    node(sid).process = null;
  };

  const election = async (sid: number): Promise<ElectionView> => (await adminCommand(node(sid).adminPort, 'election', 2_000)) as ElectionView;

  const poll = async <T>(what: string, timeoutMs: number, probe: () => Promise<T | null>, describe: () => string): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    // Child processes cannot signal us, so poll their admin API (bounded by the deadline).
    for (let i = 0; i < 100_000; i++) {
      const v = await probe().catch(() => null);
      if (v !== null) return v;
      if (Date.now() >= deadline) break;
      await sleep(50);
    }
    throw new TestkitError('TIMEOUT', `expected ${what} within ${timeoutMs} ms; last: ${describe()}`);
  };

  const ensemble: ZkvoteEnsemble = {
    dir: root,
    nodes,
    entries: () => [...nodes.values()].map((n) => ({ sid: n.sid, electionPort: n.electionPort, quorumPort: n.quorumPort, type: n.type })),
    setExternalServers(lines) {
      external = [...lines].filter((l) => !nodes.has(Number(/^server\.(\d+)=/.exec(l)?.[1] ?? -1)));
    },
    configText,
    start,
    kill,
    async restart(sid) {
      await kill(sid);
      return start(sid);
    },
    pause: (sid) => void node(sid).process?.pause(),
    resume: (sid) => void node(sid).process?.resume(),
    admin: (sid, command) => adminCommand(node(sid).adminPort, command, 2_000),
    election,
    fourLetter: (sid, word) => fourLetterWord(node(sid).clientPort, word, 2_000),
    async metrics(sid) {
      const port = node(sid).metricsPort ?? fail(`zkvote ${sid} has no metrics port (start with metrics: true)`);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) });
      return res.text();
    },
    async waitForElection(sid, predicate, timeoutMs) {
      let last: ElectionView | null = null;
      return poll(
        `zkvote ${sid}'s election view to match`,
        timeoutMs,
        async () => {
          const p = node(sid).process;
          if (p !== null && !p.running) throw new TestkitError('PROCESS_EXITED', `zkvote ${sid} exited: ${p.output(10)}`);
          last = await election(sid);
          return predicate(last) ? last : null;
        },
        () => JSON.stringify(last),
      );
    },
    async waitForLeader(timeoutMs, o = {}) {
      let last = new Map<number, ElectionView>();
      return poll(
        'one agreed leader',
        timeoutMs,
        async () => {
          const running = [...nodes.values()].filter((n) => n.process?.running && (o.among === undefined || o.among.includes(n.sid)));
          if (running.length === 0) return null;
          const views = new Map<number, ElectionView>();
          for (const n of running) views.set(n.sid, await election(n.sid));
          last = views;
          const leaders = [...views.values()].filter((v) => v.state === 'LEADING');
          let leader: number;
          if (o.leader !== undefined && !nodes.has(o.leader)) {
            if (leaders.length !== 0) return null;
            leader = o.leader;
          } else {
            if (leaders.length !== 1 || leaders[0]!.established_epoch === null) return null;
            leader = leaders[0]!.sid;
            if (o.leader !== undefined && leader !== o.leader) return null;
          }
          const epoch = views.get(leader)?.established_epoch ?? null;
          for (const v of views.values()) {
            if (v.sid === leader) continue;
            const want = node(v.sid).type === 'observer' ? 'OBSERVING' : 'FOLLOWING';
            if (v.state !== want || v.leader !== leader) return null;
            // Followers of a zkvote leader must have finished establishing its epoch too.
            if (nodes.has(leader) && v.established_epoch !== epoch) return null;
          }
          return { leader, views };
        },
        () => [...last.values()].map((v) => `${v.sid}=${v.state}(leader ${v.leader}, epoch ${v.established_epoch})`).join(' ') || 'no node answered',
      );
    },
    waitForLog(sid, regex, timeoutMs, o) {
      const p = node(sid).process;
      if (p === null) return Promise.reject(new TestkitError('PROCESS_STATE', `zkvote ${sid} is not running`));
      return p.waitForLine(regex, timeoutMs, o);
    },
    isolate(sid) {
      for (const p of proxies.get(sid) ?? fail(`zkvote ${sid} was not started with isolatable: [${sid}]`)) p.block();
    },
    heal(sid) {
      for (const p of proxies.get(sid) ?? []) p.unblock();
    },
    async stop() {
      await Promise.all([...nodes.values()].map((n) => n.process?.stop('SIGKILL')));
      for (const n of nodes.values()) n.process = null;
      await Promise.all([...new Set([...proxies.values()].flat()), ...(dead === null ? [] : [dead])].map((p) => p.close()));
      if (temp !== null) await temp.cleanup();
      else if (keepDirs()) console.warn(`[zkvote harness] ensemble dir ${root}`);
    },
  };

  try {
    for (const sid of opts.start ?? sids) await start(sid);
  } catch (e) {
    await ensemble.stop();
    throw e;
  }
  return ensemble;
}

async function addProxy(list: Proxy[], targetPort: number): Promise<number> {
  const p = await startProxy({ target: { host: '127.0.0.1', port: targetPort } });
  list.push(p);
  return p.port;
}
