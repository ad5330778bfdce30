import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeerElectionEvent } from '../src/index.js';
import { Ensemble } from './helpers/ensemble.js';
import { until } from './helpers/wait.js';

let ensemble: Ensemble | undefined;
afterEach(async () => {
  await ensemble?.close();
  ensemble = undefined;
});

async function epochFiles(dir: string): Promise<[string, string]> {
  return [await readFile(path.join(dir, 'acceptedEpoch'), 'utf8'), await readFile(path.join(dir, 'currentEpoch'), 'utf8')];
}

describe('three in-process peers', () => {
  it('elect the largest sid, establish epoch 1, and persist it everywhere', async () => {
    ensemble = await Ensemble.create([1n, 2n, 3n]);
    const events: PeerElectionEvent[] = [];
    // 3 first: whichever peer joins it next forms a quorum that can only pick the largest sid.
    await ensemble.start(3n);
    const p1 = await ensemble.start(1n, {}, (p) => p.on('electionEvent', (e) => events.push(e)));
    await until(() => p1.state === 'FOLLOWING', '1 following');
    await ensemble.start(2n);
    const { leader, epoch } = await ensemble.settled();
    expect(leader).toBe(3n);
    expect(epoch).toBe(1n);
    for (const dir of ensemble.dirs.values()) expect(await epochFiles(dir)).toEqual(['1', '1']);
    expect(p1.currentVote?.peerEpoch).toBe(1n);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('looking');
    expect(types).toContain('decided');
    expect(types.at(-1)).toBe('established');
    const decided = events.find((e) => e.type === 'decided');
    expect(decided).toMatchObject({ state: 'FOLLOWING', leader: 3n });
    const info = p1.electionInfo();
    expect(info).toMatchObject({ state: 'FOLLOWING', leader: 3n, epoch: 1n, session: { kind: 'follower', phase: 'established' } });
    expect(info.connections.map((c) => c.sid)).toEqual([2n, 3n]);
    expect(info.messages.received).toBeGreaterThan(0);
    expect(info.lastElectionDurationMs).not.toBeNull();
  });

  it('re-elect with a higher epoch when the leader closes, and the old leader rejoins as follower', async () => {
    ensemble = await Ensemble.create([1n, 2n, 3n]);
    await ensemble.start(3n);
    const p1 = await ensemble.start(1n);
    await until(() => p1.state === 'FOLLOWING', '1 following');
    await ensemble.start(2n);
    const first = await ensemble.settled();
    expect(first).toEqual({ leader: 3n, epoch: 1n });

    await ensemble.stop(3n);
    const second = await ensemble.settled();
    expect(second.leader).toBe(2n);
    expect(second.epoch).toBeGreaterThan(first.epoch);

    const back = await ensemble.start(3n);
    const third = await ensemble.settled();
    expect(third.leader).toBe(2n);
    expect(third.epoch).toBe(second.epoch);
    expect(back.state).toBe('FOLLOWING');
    expect(await epochFiles(ensemble.dirs.get(3n) as string)).toEqual([String(second.epoch), String(second.epoch)]);
  });

  it('a leader left without a quorum steps down within syncLimit ticks', async () => {
    ensemble = await Ensemble.create([1n, 2n, 3n]);
    const leader = await ensemble.start(3n);
    const p1 = await ensemble.start(1n);
    await until(() => p1.state === 'FOLLOWING', '1 following');
    await ensemble.start(2n);
    await ensemble.settled();
    const steps: PeerElectionEvent[] = [];
    leader.on('electionEvent', (e) => {
      if (e.type === 'step-down') steps.push(e);
    });
    await ensemble.stop(1n);
    expect(leader.state).toBe('LEADING'); // 3 and 2 are still a quorum
    await ensemble.stop(2n);
    await until(() => leader.state === 'LOOKING', 'the lone leader steps down');
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ role: 'leader', leader: 3n });
    expect((steps[0] as { reason: string }).reason).toMatch(/lost quorum: only \[3\]/);
    expect(leader.epoch).toBeNull();
  });
});

describe('larger ensembles and observers', () => {
  it('five peers and an observer agree; the observer learns the established epoch', async () => {
    ensemble = await Ensemble.create([1n, 2n, 3n, 4n, 5n, 6n], { observers: [6n] });
    const observer = await ensemble.start(6n);
    for (const sid of [5n, 4n, 3n, 2n, 1n]) await ensemble.start(sid);
    const { leader, epoch } = await ensemble.settled();
    expect(epoch).toBe(1n);
    expect(observer.state).toBe('OBSERVING');
    expect(observer.leader).toBe(leader);
    const info = ensemble.peers.get(leader)?.electionInfo();
    expect(info?.session.kind).toBe('leader');
    const learners = (info?.session as { learners: Array<{ sid: bigint; role: string; stage: string }> }).learners;
    expect(learners.map((l) => [l.sid, l.role, l.stage]).sort()).toEqual(
      [1n, 2n, 3n, 4n, 5n, 6n].filter((s) => s !== leader).map((s) => [s, s === 6n ? 'observer' : 'participant', 'established']).sort(),
    );
  });
});

describe('startup failures leave nothing behind', () => {
  it('a port in use is one LISTEN_FAILED error and no epoch file is written', async () => {
    const { mkdtemp, readdir, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const net = await import('node:net');
    const { QuorumMaj } = await import('@zkvote/quorum');
    const { startPeer, PeerError } = await import('../src/index.js');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const busy = (blocker.address() as { port: number }).port;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zkvote-busy-'));
    try {
      const verifier = new QuorumMaj([
        { sid: 1n, addresses: [{ host: '127.0.0.1', quorumPort: busy, electionPort: busy + 1 }], type: 'participant', clientAddress: null },
      ]);
      const error = await startPeer({ myid: 1n, verifier, dataDir: dir }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(PeerError.isInstance(error)).toBe(true);
      expect((error as InstanceType<typeof PeerError>).code).toBe('LISTEN_FAILED');
      expect((error as Error).message).toMatch(new RegExp(`quorum port 127.0.0.1:${busy}, got EADDRINUSE`));
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a single-server ensemble leads on its own and establishes epoch 1', async () => {
    ensemble = await Ensemble.create([1n]);
    const p = await ensemble.start(1n);
    expect(await ensemble.settled()).toEqual({ leader: 1n, epoch: 1n });
    expect(p.state).toBe('LEADING');
  });
});
