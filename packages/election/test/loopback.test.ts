// Real sockets: 3, 5 and 7 in-process peers, each an ElectionDriver over its own
// QuorumCnxManager on 127.0.0.1, elect the highest (peerEpoch, zxid, sid), fast decision on and off.

import { afterEach, describe, expect, it } from 'vitest';
import { QuorumCnxManager } from '@zkvote/cnxmanager';
import { parseDynamicConfig } from '@zkvote/quorum';
import { ServerState } from '@zkvote/wire';
import { ElectionDriver, type Decision } from '../src/index.js';

const managers: QuorumCnxManager[] = [];
const drivers: ElectionDriver[] = [];

afterEach(async () => {
  for (const d of drivers.splice(0)) d.close();
  await Promise.all(managers.splice(0).map((m) => m.halt()));
});

/**
 * Resolves when every pair has the connection the sid tie-break keeps (opened by the larger sid),
 * so no connection flaps once the election starts (bounded).
 */
function allConnected(ms: QuorumCnxManager[], timeoutMs = 10_000): Promise<void> {
  const settled = (m: QuorumCnxManager): boolean =>
    [...m.peerTable().values()].filter((p) => p.state === 'connected' && p.direction === (p.sid < m.myid ? 'outgoing' : 'incoming')).length ===
    ms.length - 1;
  const done = (): boolean => ms.every(settled);
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!done()) return;
      clearTimeout(timer);
      for (const m of ms) m.off('connected', check);
      resolve();
    };
    const timer = setTimeout(() => reject(new Error(`peers not all connected after ${timeoutMs} ms`)), timeoutMs);
    for (const m of ms) m.on('connected', check);
    check();
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

interface PeerData {
  sid: bigint;
  zxid: bigint;
  epoch: bigint;
}

async function elect(peers: PeerData[], fastDecision: boolean): Promise<Map<bigint, Decision>> {
  const { decisions } = await electWith(peers, fastDecision);
  return decisions;
}

async function electWith(
  peers: PeerData[],
  fastDecision: boolean,
): Promise<{ decisions: Map<bigint, Decision>; ms: QuorumCnxManager[]; ds: ElectionDriver[] }> {
  const sids = peers.map((p) => p.sid);
  const ms = sids.map((sid) => new QuorumCnxManager({ myid: sid, listen: { host: '127.0.0.1', port: 0 }, recvCapacity: 0 }));
  managers.push(...ms);
  await Promise.all(ms.map((m) => m.start()));
  const text = ms.map((m) => `server.${m.myid}=127.0.0.1:${1000 + Number(m.myid)}:${m.address().port}:participant`).join('\n');
  const verifier = parseDynamicConfig(text).verifier;
  const addresses = new Map(ms.map((m) => [m.myid, m.address()]));
  for (const m of ms) {
    m.setPeers(new Map([...addresses].filter(([sid]) => sid !== m.myid)));
    m.setVoters(new Set(sids));
  }
  // Dial only in the direction the sid tie-break keeps (larger to smaller): no churn to wait out.
  for (const m of ms) for (const sid of sids) if (sid < m.myid) m.connectOne(sid);
  await allConnected(ms);

  const ds = ms.map((m) => new ElectionDriver({ myid: m.myid, verifier, cnx: m, fastDecision }));
  drivers.push(...ds);
  const results = await withTimeout(
    Promise.all(ds.map((d, i) => d.lookForLeader({ lastZxid: (peers[i] as PeerData).zxid, currentEpoch: (peers[i] as PeerData).epoch }))),
    15_000,
    'every peer to decide',
  );
  return { decisions: new Map(results.map((r, i) => [sids[i] as bigint, r])), ms, ds };
}

function best(peers: PeerData[]): PeerData {
  return peers.reduce((a, b) => (b.epoch > a.epoch || (b.epoch === a.epoch && (b.zxid > a.zxid || (b.zxid === a.zxid && b.sid > a.sid))) ? b : a));
}

describe('election over real connection managers on loopback', () => {
  const ensembles: [string, PeerData[]][] = [
    ['3 fresh peers', [1n, 2n, 3n].map((sid) => ({ sid, zxid: 0n, epoch: 0n }))],
    [
      '5 peers with data',
      [
        { sid: 1n, zxid: 0x100000007n, epoch: 1n },
        { sid: 2n, zxid: 0x100000009n, epoch: 1n },
        { sid: 3n, zxid: 0x100000009n, epoch: 1n },
        { sid: 4n, zxid: 0x100000003n, epoch: 1n },
        { sid: 5n, zxid: 0x100000008n, epoch: 1n },
      ],
    ],
    [
      '7 peers, a newer epoch beats a longer log',
      [
        { sid: 1n, zxid: 0x200000001n, epoch: 2n },
        { sid: 2n, zxid: 0x1000000ffn, epoch: 1n },
        { sid: 3n, zxid: 0x100000010n, epoch: 1n },
        { sid: 4n, zxid: 0x100000010n, epoch: 1n },
        { sid: 5n, zxid: 0n, epoch: 0n },
        { sid: 6n, zxid: 0x100000001n, epoch: 1n },
        { sid: 7n, zxid: 0x100000002n, epoch: 1n },
      ],
    ],
  ];

  for (const fast of [true, false]) {
    for (const [name, peers] of ensembles) {
      it(`${name} elect the highest (peerEpoch, zxid, sid) (fast decision ${fast ? 'on' : 'off'})`, async () => {
        const decisions = await elect(peers, fast);
        const leader = best(peers);
        for (const [sid, d] of decisions) {
          expect(d.vote.leader, `leader seen by ${sid}`).toBe(leader.sid);
          expect(d.vote.zxid).toBe(leader.zxid);
          expect(d.vote.peerEpoch).toBe(leader.epoch);
          expect(d.state).toBe(sid === leader.sid ? ServerState.LEADING : ServerState.FOLLOWING);
          if (!fast) expect(d.fast).toBe(false);
        }
        const rounds = new Set([...decisions.values()].map((d) => d.vote.electionEpoch));
        expect(rounds).toEqual(new Set([1n]));
      });
    }
  }

  it('after the leader dies, the survivors elect the next best in round 2', async () => {
    const peers = [1n, 2n, 3n, 4n, 5n].map((sid) => ({ sid, zxid: 0x100000000n + sid, epoch: 1n }));
    const { ms, ds } = await electWith(peers, true);
    const leader = ms.findIndex((m) => m.myid === 5n);
    (ds[leader] as ElectionDriver).close();
    await (ms[leader] as QuorumCnxManager).halt();
    const survivors = ds.filter((_, i) => i !== leader);
    const lost = (d: ElectionDriver): boolean => !d.core.snapshot().connected.includes(5n);
    await withTimeout(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (survivors.every(lost)) resolve();
        };
        for (const m of ms) m.on('disconnected', check);
        check();
      }),
      10_000,
      'the survivors to notice the leader is gone',
    );
    const results = await withTimeout(
      Promise.all(survivors.map((d, i) => d.lookForLeader({ lastZxid: (peers.filter((p) => p.sid !== 5n)[i] as PeerData).zxid, currentEpoch: 1n }))),
      15_000,
      'the survivors to decide',
    );
    for (const d of results) {
      // (That this happens without finalizeWait is a timing property; test/finalize-fast.test.ts pins it.)
      expect(d.vote).toMatchObject({ leader: 4n, electionEpoch: 2n });
    }
  });
});
