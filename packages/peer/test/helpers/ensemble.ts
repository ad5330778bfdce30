// In-process zkvote ensembles on loopback: ports allocated up front (so every verifier carries
// real ports), one temp dataDir per sid, small ticks and election intervals for speed.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { QuorumMaj, type QuorumServer } from '@zkvote/quorum';
import { freePorts } from '@zkvote/testkit';
import { createPeer, type Peer, type PeerOptions, type PeerState } from '../../src/index.js';
import { until } from './wait.js';

export const TICK_MS = 50;

export class Ensemble {
  readonly peers = new Map<bigint, Peer>();
  readonly dirs = new Map<bigint, string>();
  verifier!: QuorumMaj;

  static async create(
    sids: bigint[],
    options: { observers?: bigint[]; extra?: Partial<PeerOptions> } = {},
  ): Promise<Ensemble> {
    const e = new Ensemble();
    const ports = await freePorts(sids.length * 2);
    const observers = new Set(options.observers ?? []);
    const servers: QuorumServer[] = sids.map((sid, i) => ({
      sid,
      addresses: [{ host: '127.0.0.1', quorumPort: ports[2 * i] as number, electionPort: ports[2 * i + 1] as number }],
      type: observers.has(sid) ? 'observer' : 'participant',
      clientAddress: null,
    }));
    e.verifier = new QuorumMaj(servers);
    for (const sid of sids) e.dirs.set(sid, await mkdtemp(path.join(os.tmpdir(), `zkvote-peer-${sid}-`)));
    e.extra = options.extra ?? {};
    return e;
  }

  private extra: Partial<PeerOptions> = {};

  async start(sid: bigint, extra: Partial<PeerOptions> = {}, before?: (peer: Peer) => void): Promise<Peer> {
    const peer = await createPeer({
      myid: sid,
      verifier: this.verifier,
      dataDir: this.dirs.get(sid) as string,
      tickTime: TICK_MS,
      initLimit: 10,
      syncLimit: 5,
      election: { minNotificationIntervalMs: 50, maxNotificationIntervalMs: 400, finalizeWaitMs: 50 },
      ...this.extra,
      ...extra,
    });
    this.peers.set(sid, peer);
    before?.(peer);
    await peer.start();
    return peer;
  }

  async stop(sid: bigint): Promise<void> {
    const peer = this.peers.get(sid);
    this.peers.delete(sid);
    await peer?.close();
  }

  /** Waits until every running peer agrees on one leader with an established epoch. */
  async settled(timeoutMs = 15_000): Promise<{ leader: bigint; epoch: bigint }> {
    let result: { leader: bigint; epoch: bigint } | null = null;
    await until(
      () => {
        const peers = [...this.peers.values()];
        const leaders = new Set(peers.map((p) => p.leader));
        const epochs = new Set(peers.map((p) => p.epoch));
        const [leader] = leaders;
        const [epoch] = epochs;
        const ok =
          peers.length > 0 && leaders.size === 1 && epochs.size === 1 && leader != null && epoch != null &&
          peers.every((p) => (p.state as PeerState) !== 'LOOKING') &&
          peers.filter((p) => p.state === 'LEADING').length === 1;
        result = ok ? { leader: leader as bigint, epoch: epoch as bigint } : null;
        return ok;
      },
      'an agreed leader with an established epoch',
      timeoutMs,
    );
    return result as unknown as { leader: bigint; epoch: bigint };
  }

  async close(): Promise<void> {
    await Promise.all([...this.peers.values()].map((p) => p.close()));
    this.peers.clear();
    await Promise.all([...this.dirs.values()].map((d) => rm(d, { recursive: true, force: true })));
  }
}
