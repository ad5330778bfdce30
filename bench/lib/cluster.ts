// One ensemble of real server processes on loopback, ZooKeeper 3.8 JVMs or zkvote-server node
// processes, behind the same small interface: start/kill/pause/restart by sid, observe over the
// admin API, stop and remove everything. Each node may see its peers at other addresses than
// their listeners (the chaos campaign puts proxies there).

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts, LOG4J_PROPERTIES, ManagedProcess, tempDir, zookeeperAvailable, zooCfgText, type ServerEntry } from '../../packages/testkit/dist/index.js';
import { trackCloser, trackDir, untrackDir } from './cleanup.js';
import { AdminClient, agreedLeader, DOWN, type Observation } from './probe.js';

export type Kind = 'zookeeper' | 'zkvote';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ZKVOTE_BIN = process.env.ZKVOTE_SERVER_BIN ?? path.join(REPO, 'apps/server/dist/bin.js');

export interface NodePorts {
  sid: number;
  clientPort: number;
  adminPort: number;
  quorumPort: number;
  electionPort: number;
}

export interface ClusterOptions {
  kind: Kind;
  size: number;
  /** zkvote only: zkvote.fastDecision (default true). */
  fastDecision?: boolean;
  /** Where node `from` reaches node `to` (default: `to`'s own listeners). */
  peerAddress?: (from: number, to: number) => { quorumPort: number; electionPort: number };
  /** Ports for the node listeners (default: fresh free ports). */
  ports?: NodePorts[];
  extraConfig?: Record<string, string>;
  /** JVM heap etc. Default -Xmx256m, as @zkvote/testkit. */
  jvmArgs?: string[];
  /** Admin request timeout (ms). */
  probeTimeoutMs?: number;
}

/** Matches ZooKeeper's and zkvote-server's "<STATE> - LEADER ELECTION TOOK - N ms" log line. */
export const ELECTION_TOOK = /(LEADING|FOLLOWING|OBSERVING) - LEADER ELECTION TOOK - (\d+)/;

export async function allocatePorts(size: number): Promise<NodePorts[]> {
  const ports = await freePorts(size * 4);
  return Array.from({ length: size }, (_, i) => {
    const [clientPort, adminPort, quorumPort, electionPort] = ports.slice(i * 4, i * 4 + 4) as [number, number, number, number];
    return { sid: i + 1, clientPort, adminPort, quorumPort, electionPort };
  });
}

export class Cluster {
  readonly sids: number[];
  readonly #procs = new Map<number, ManagedProcess | null>();
  readonly #clients = new Map<number, AdminClient>();
  #stopped = false;

  private constructor(
    readonly kind: Kind,
    readonly dir: string,
    readonly nodes: ReadonlyMap<number, NodePorts>,
    readonly label: string,
    private readonly command: string,
    private readonly argsFor: (sid: number) => string[],
    private readonly removeDir: () => void,
    private readonly keepDir: () => void,
    private readonly untrack: () => void,
    probeTimeoutMs: number,
  ) {
    this.sids = [...nodes.keys()].sort((a, b) => a - b);
    for (const n of nodes.values()) this.#clients.set(n.sid, new AdminClient(n.adminPort, probeTimeoutMs));
  }

  static async create(opts: ClusterOptions): Promise<Cluster> {
    const ports = opts.ports ?? (await allocatePorts(opts.size));
    const nodes = new Map(ports.map((p) => [p.sid, p]));
    const temp = await tempDir(`zkvote-bench-${opts.kind}-`);
    const removeDir = trackDir(temp.path);
    const keepDir = (): void => untrackDir(temp.path);
    let command: string;
    let argsFor: (sid: number) => string[];
    const extra: Record<string, string> = { ...(opts.extraConfig ?? {}) };
    if (opts.kind === 'zookeeper') {
      const zk = await zookeeperAvailable();
      if (!zk.ok) throw new Error(`ZooKeeper is not runnable here: ${zk.reason}`);
      command = zk.java;
      argsFor = (sid) => {
        const dir = path.join(temp.path, String(sid));
        return [
          ...(opts.jvmArgs ?? ['-Xmx256m']),
          '-cp',
          zk.classpath,
          `-Dzookeeper.log.dir=${dir}`,
          '-Dzookeeper.root.logger=INFO,CONSOLE',
          `-Dlog4j.configuration=file:${path.join(dir, 'log4j.properties')}`,
          'org.apache.zookeeper.server.quorum.QuorumPeerMain',
          path.join(dir, 'zoo.cfg'),
        ];
      };
    } else {
      command = process.execPath;
      argsFor = (sid) => [ZKVOTE_BIN, path.join(temp.path, String(sid), 'zoo.cfg')];
      if (opts.fastDecision === false) extra['zkvote.fastDecision'] = 'false';
    }
    for (const n of ports) {
      const dir = path.join(temp.path, String(n.sid));
      await mkdir(path.join(dir, 'data'), { recursive: true });
      const servers: ServerEntry[] = ports.map((p) => {
        const at = p.sid === n.sid || opts.peerAddress === undefined ? p : opts.peerAddress(n.sid, p.sid);
        return { sid: p.sid, quorumPort: at.quorumPort, electionPort: at.electionPort };
      });
      await writeFile(
        path.join(dir, 'zoo.cfg'),
        zooCfgText({ dataDir: path.join(dir, 'data'), clientPort: n.clientPort, adminPort: n.adminPort, servers, extraConfig: extra }),
      );
      await writeFile(path.join(dir, 'data', 'myid'), `${n.sid}\n`);
      if (opts.kind === 'zookeeper') await writeFile(path.join(dir, 'log4j.properties'), LOG4J_PROPERTIES);
    }
    const label = opts.kind === 'zookeeper' ? 'ZooKeeper 3.8' : opts.fastDecision === false ? 'zkvote strict' : 'zkvote fast';
    let cluster: Cluster | null = null;
    const untrack = trackCloser(() => cluster?.killAllNow());
    cluster = new Cluster(opts.kind, temp.path, nodes, label, command, argsFor, removeDir, keepDir, untrack, opts.probeTimeoutMs ?? (opts.kind === 'zookeeper' ? 1000 : 250));
    return cluster;
  }

  proc(sid: number): ManagedProcess | null {
    return this.#procs.get(sid) ?? null;
  }

  running(sid: number): boolean {
    return this.#procs.get(sid)?.running ?? false;
  }

  /** Spawns the node's process (synchronously issues the spawn). */
  start(sid: number): ManagedProcess {
    if (this.#stopped) throw new Error(`${this.label}: start(${sid}) after stop()`);
    if (this.running(sid)) throw new Error(`${this.label}: node ${sid} is already running`);
    const dir = path.join(this.dir, String(sid));
    const p = new ManagedProcess({
      name: `${this.kind}-${sid}`,
      command: this.command,
      args: this.argsFor(sid),
      cwd: dir,
      logFile: path.join(dir, 'server.log'),
      maxLines: 5000,
    });
    this.#procs.set(sid, p);
    return p;
  }

  startAll(): void {
    for (const sid of this.sids) this.start(sid);
  }

  /** SIGKILL without waiting (the caller times from here). */
  killNow(sid: number): void {
    const p = this.#procs.get(sid);
    if (p?.running) p.kill('SIGKILL');
  }

  async kill(sid: number): Promise<void> {
    const p = this.#procs.get(sid);
    if (p === undefined || p === null) return;
    if (p.running) p.kill('SIGKILL');
    await p.waitForExit(10_000).catch(() => undefined);
  }

  async restart(sid: number): Promise<void> {
    await this.kill(sid);
    this.start(sid);
  }

  pause(sid: number): void {
    this.#procs.get(sid)?.pause();
  }

  resume(sid: number): void {
    this.#procs.get(sid)?.resume();
  }

  rss(sid: number): number | null {
    return this.#procs.get(sid)?.rssBytes() ?? null;
  }

  client(sid: number): AdminClient {
    const c = this.#clients.get(sid);
    if (c === undefined) throw new Error(`${this.label}: no node ${sid}`);
    return c;
  }

  async observe(sid: number): Promise<Observation> {
    if (!this.running(sid)) return DOWN;
    return this.client(sid).observe();
  }

  async observeAll(sids: readonly number[]): Promise<Map<number, Observation>> {
    const obs = await Promise.all(sids.map(async (s) => [s, await this.observe(s)] as const));
    return new Map(obs);
  }

  /** zkvote's /commands/election (state, leader, epochs, message counters), or null. */
  election(sid: number): Promise<Record<string, unknown> | null> {
    return this.running(sid) ? this.client(sid).get('election', 2000) : Promise.resolve(null);
  }

  /** Arrival times (performance.now()) of "ELECTION TOOK" lines after `since` (a mark). */
  electionLines(sid: number, since: number): { at: number; state: string; tookMs: number }[] {
    const p = this.#procs.get(sid);
    if (!p) return [];
    const out: { at: number; state: string; tookMs: number }[] = [];
    for (const l of p.lines()) {
      if (l.seq < since) continue;
      const m = ELECTION_TOOK.exec(l.text);
      if (m) out.push({ at: l.at, state: m[1] as string, tookMs: Number(m[2]) });
    }
    return out;
  }

  /** Waits (polling every `intervalMs`) until the running nodes agree on one leader. */
  async waitForAgreement(timeoutMs: number, intervalMs: number, among?: readonly number[]): Promise<number> {
    const sids = among ?? this.sids.filter((s) => this.running(s));
    const deadline = performance.now() + timeoutMs;
    for (let i = 0; i < 1_000_000 && performance.now() < deadline; i++) {
      const crashed = sids.find((s) => !this.running(s));
      if (crashed !== undefined) throw new Error(`${this.label}: node ${crashed} exited: ${this.proc(crashed)?.output(15) ?? ''}`);
      const leader = agreedLeader(await this.observeAll(sids));
      if (leader !== null) return leader;
      await sleep(intervalMs);
    }
    throw new Error(`${this.label}: no agreement among ${sids.join(',')} within ${timeoutMs} ms`);
  }

  killAllNow(): void {
    for (const p of this.#procs.values()) if (p?.running) p.kill('SIGKILL');
  }

  /** Kills every process and removes the temp dir (kept with `keepDir`, e.g. to read the logs of a failure). */
  async stop(opts: { keepDir?: boolean } = {}): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const p of this.#procs.values()) {
      if (p === null) continue;
      p.resume();
      if (p.running) p.kill('SIGKILL');
    }
    await Promise.all([...this.#procs.values()].map((p) => p?.waitForExit(10_000).catch(() => undefined)));
    for (const c of this.#clients.values()) c.close();
    this.untrack();
    if (opts.keepDir) this.keepDir();
    else this.removeDir();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
