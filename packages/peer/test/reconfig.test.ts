// PROTOCOL.md 3.6 at the peer: a LOOKING peer that hears a strictly newer, different config
// restarts its election, and adopts that config only with reconfigEnabled (ZooKeeper's default
// is off, where the committed config is kept and every such notification restarts again).

import { QuorumCnxManager } from '@zkvote/cnxmanager';
import { QuorumMaj, parseNotificationConfig, type QuorumServer } from '@zkvote/quorum';
import { ServerState, buildMsg, parse, type ParsedNotification } from '@zkvote/wire';
import { afterEach, describe, expect, it } from 'vitest';
import type { Peer, PeerElectionEvent } from '../src/index.js';
import { Ensemble } from './helpers/ensemble.js';
import { until } from './helpers/wait.js';

let ensemble: Ensemble | undefined;
let fake: QuorumCnxManager | undefined;
afterEach(async () => {
  await fake?.halt();
  fake = undefined;
  await ensemble?.close();
  ensemble = undefined;
});

const NEW_VERSION = 0x100000000n;

interface Rig {
  peer: Peer;
  looking: Extract<PeerElectionEvent, { type: 'looking' }>[];
  /** Notifications peer 1 sent to the fake sid 2, each with its config's version. */
  fromPeer: { n: ParsedNotification; configVersion: bigint | null }[];
  /** Sends peer 1 a LOOKING notification carrying a newer config that adds server 4. */
  gossip(): void;
}

/** Peer 1 of {1,2,3} alone (so it stays LOOKING); sid 2 is a bare connection manager we drive. */
async function rig(reconfigEnabled: boolean | undefined): Promise<Rig> {
  ensemble = await Ensemble.create([1n, 2n, 3n, 4n]);
  const all = ensemble.verifier;
  const server = (sid: bigint): QuorumServer => all.members.get(sid) as QuorumServer;
  // The committed config is {1,2,3} at version 0; the gossiped one adds 4 at a higher version.
  const committed = new QuorumMaj([1n, 2n, 3n].map(server));
  const newer = new QuorumMaj([1n, 2n, 3n, 4n].map(server), NEW_VERSION);
  ensemble.verifier = committed;
  const looking: Rig['looking'] = [];
  const peer = await ensemble.start(1n, reconfigEnabled === undefined ? {} : { reconfigEnabled }, (p) =>
    p.on('electionEvent', (e) => {
      if (e.type === 'looking') looking.push(e);
    }),
  );
  const address = (sid: bigint): { host: string; port: number } => {
    const a = server(sid).addresses[0] as QuorumServer['addresses'][number];
    return { host: a.host, port: a.electionPort };
  };
  fake = new QuorumCnxManager({ myid: 2n, listen: address(2n), peers: new Map([[1n, address(1n)]]), voters: new Set([1n, 2n, 3n]), recvCapacity: 0 });
  const fromPeer: Rig['fromPeer'] = [];
  fake.on('message', (sid, payload) => {
    if (sid !== 1n) return;
    const n = parse(payload);
    const cfg = n.config === null ? null : parseNotificationConfig(n.config);
    fromPeer.push({ n, configVersion: cfg?.ok === true ? cfg.verifier.version : null });
  });
  await fake.start();
  await until(() => fromPeer.length > 0, 'peer 1 reaches the fake sid 2');
  const text = newer.toString();
  const f = fake;
  return {
    peer,
    looking,
    fromPeer,
    gossip: () => f.send(1n, buildMsg({ state: ServerState.LOOKING, leader: 2n, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n, config: text })),
  };
}

const sids = (peer: Peer): bigint[] => peer.electionInfo().connections.map((c) => c.sid);

describe('a newer, different config heard while LOOKING', () => {
  it('reconfig disabled (default): restarts the election but keeps the committed config, and restarts again on the next one', async () => {
    const r = await rig(undefined);
    expect(r.looking).toHaveLength(1);
    r.gossip();
    await until(() => r.looking.length === 2, 'first restart');
    expect(r.looking[1]).toMatchObject({ round: 1n, reason: `newer configuration ${NEW_VERSION.toString(16)} not adopted` });
    const mark = r.fromPeer.length;
    await until(() => r.fromPeer.length > mark, 'a notification after the restart');
    expect(r.fromPeer.every((m) => m.configVersion === 0n)).toBe(true); // still advertises ours
    expect(sids(r.peer)).toEqual([2n, 3n]); // server 4 was never added
    r.gossip();
    await until(() => r.looking.length === 3, 'second restart');
    expect(r.peer.state).toBe('LOOKING');
  });

  it('reconfig enabled: adopts it, advertises it, and a repeat of it is no longer newer', async () => {
    const r = await rig(true);
    r.gossip();
    await until(() => r.looking.length === 2, 'restart');
    expect(r.looking[1]).toMatchObject({ round: 1n, reason: 'configuration changed' });
    await until(() => r.fromPeer.some((m) => m.configVersion === NEW_VERSION), 'peer 1 advertises the new config');
    expect(sids(r.peer)).toEqual([2n, 3n, 4n]);
    // The same config again is ours now: processed as an ordinary vote, no restart.
    const mark = r.fromPeer.length;
    r.gossip();
    await until(() => r.fromPeer.length > mark, 'an answer to the repeat');
    expect(r.looking).toHaveLength(2);
  });

  it('rejects a non-boolean reconfigEnabled', async () => {
    ensemble = await Ensemble.create([1n]);
    await expect(ensemble.start(1n, { reconfigEnabled: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'BAD_OPTIONS' });
  });
});
