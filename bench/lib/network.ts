// The chaos campaign's loopback "network": one proxy per ordered pair of nodes and port kind
// (node i reaches node j's election and quorum ports only through proxies i->j), so a partition
// is a set of blocked links while every process keeps running.

import { freePorts, startProxy, type Proxy } from '../../packages/testkit/dist/index.js';
import { startElectionProxy, type ElectionProxy } from './elproxy.js';
import type { NodePorts } from './cluster.js';
import { trackCloser } from './cleanup.js';

export class ProxyNetwork {
  readonly #election = new Map<string, ElectionProxy>();
  readonly #quorum = new Map<string, Proxy>();
  #untrack: () => void = () => undefined;

  private constructor(readonly sids: readonly number[]) {}

  /** `listenPorts`: 2 x N x (N-1) ports for the proxies (default: fresh ones). */
  static async create(nodes: readonly NodePorts[], listenPorts?: number[]): Promise<ProxyNetwork> {
    const net = new ProxyNetwork(nodes.map((n) => n.sid));
    const pool = listenPorts ?? (await freePorts(2 * nodes.length * (nodes.length - 1)));
    let next = 0;
    const take = (): number => {
      const p = pool[next++];
      if (p === undefined) throw new Error(`ProxyNetwork: expected ${2 * nodes.length * (nodes.length - 1)} listen ports, got ${pool.length}`);
      return p;
    };
    const key = (a: number, b: number): string => `${a}>${b}`;
    for (const from of nodes) {
      for (const to of nodes) {
        if (from.sid === to.sid) continue;
        const k = key(from.sid, to.sid);
        const reverse = key(to.sid, from.sid);
        net.#election.set(k, await startElectionProxy({ listenPort: take(), targetPort: to.electionPort, advertise: () => net.#election.get(reverse)?.port ?? from.electionPort }));
        net.#quorum.set(k, await startProxy({ listenPort: take(), target: { host: '127.0.0.1', port: to.quorumPort } }));
      }
    }
    net.#untrack = trackCloser(() => net.blockAllNow());
    return net;
  }

  /** Where `from` must reach `to` (for its zoo.cfg). */
  address(from: number, to: number): { quorumPort: number; electionPort: number } {
    const e = this.#election.get(`${from}>${to}`);
    const q = this.#quorum.get(`${from}>${to}`);
    if (e === undefined || q === undefined) throw new Error(`no proxy for link ${from} -> ${to}`);
    return { electionPort: e.port, quorumPort: q.port };
  }

  #links(a: number, b: number): [ElectionProxy, Proxy][] {
    return [`${a}>${b}`, `${b}>${a}`].map((k) => [this.#election.get(k) as ElectionProxy, this.#quorum.get(k) as Proxy]);
  }

  /** Cuts every link between different groups (nodes in no group are cut from everyone). */
  partition(groups: readonly (readonly number[])[]): void {
    const groupOf = new Map<number, number>();
    groups.forEach((g, i) => g.forEach((s) => groupOf.set(s, i)));
    for (const a of this.sids) {
      for (const b of this.sids) {
        if (a >= b) continue;
        const ga = groupOf.get(a);
        if (ga !== undefined && ga === groupOf.get(b)) continue;
        for (const [e, q] of this.#links(a, b)) {
          e.block();
          q.block();
        }
      }
    }
  }

  heal(): void {
    for (const e of this.#election.values()) e.unblock();
    for (const q of this.#quorum.values()) q.unblock();
  }

  rewrittenHandshakes(): number {
    let n = 0;
    for (const e of this.#election.values()) n += e.rewritten;
    return n;
  }

  blockAllNow(): void {
    for (const e of this.#election.values()) e.block();
  }

  async close(): Promise<void> {
    this.#untrack();
    await Promise.all([...this.#election.values()].map((e) => e.close()));
    await Promise.all([...this.#quorum.values()].map((q) => q.close()));
  }
}
