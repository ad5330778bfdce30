import { EventEmitter } from 'node:events';
import type { QuorumCnxManager } from '@zkvote/cnxmanager';
import { QuorumMaj } from '@zkvote/quorum';
import { ServerState, parse, type Notification } from '@zkvote/wire';
import { describe, expect, it } from 'vitest';
import { PassiveFollow } from '../src/passive.js';
import { server } from './helpers/epoch-harness.js';
import { ManualClock } from './helpers/manual-clock.js';

const TICK = 100;

class FakeCnx extends EventEmitter {
  sent: Array<{ to: bigint; n: Notification }> = [];
  send(to: bigint, payload: Uint8Array): void {
    this.sent.push({ to, n: parse(payload) });
  }
}

function setup(voters: bigint[], leader = 1n, heartbeat = true) {
  const clock = new ManualClock();
  const cnx = new FakeCnx();
  const verifier = new QuorumMaj(voters.map((sid) => server(sid, 2000 + Number(sid))));
  const ended: string[] = [];
  const watch = new PassiveFollow({
    leader,
    round: 4n,
    myid: 9n,
    verifier,
    cnx: cnx as unknown as QuorumCnxManager,
    clock,
    tickTime: TICK,
    initLimit: 10,
    syncLimit: 5,
    heartbeat,
    probe: () => ({ state: ServerState.LOOKING, leader, zxid: 0n, electionEpoch: 4n, peerEpoch: 1n }),
    onEnd: (r) => ended.push(r),
  });
  watch.start();
  return { clock, cnx, watch, ended };
}

function note(state: ServerState, leader: bigint, electionEpoch = 4n): Notification {
  return { state, leader, zxid: 0n, electionEpoch, peerEpoch: 1n, version: 2, config: null };
}

describe('following a ZooKeeper leader on election knowledge', () => {
  it('probes the leader once a tick with our vote as LOOKING', () => {
    const { clock, cnx } = setup([1n, 2n, 3n]);
    clock.advance(TICK * 3);
    expect(cnx.sent.map((s) => s.to)).toEqual([1n, 1n, 1n, 1n]);
    expect(cnx.sent[0]?.n).toMatchObject({ state: ServerState.LOOKING, leader: 1n, electionEpoch: 4n });
  });

  it('stays while the leader answers LEADING; leaves after syncLimit ticks of silence', () => {
    const { clock, watch, ended } = setup([1n, 2n, 3n]);
    for (let i = 0; i < 20; i++) {
      clock.advance(TICK);
      watch.notification(1n, note(ServerState.LEADING, 1n));
    }
    expect(ended).toEqual([]);
    clock.advance(TICK * 4);
    expect(ended).toEqual([]);
    clock.advance(TICK);
    expect(ended).toEqual(['leader 1 silent for syncLimit (5 ticks)']);
  });

  it('a participant stops probing once the leader confirmed (no log flood on ZooKeeper)', () => {
    const { clock, cnx, watch, ended } = setup([1n, 2n, 3n], 1n, false);
    clock.advance(TICK * 2);
    watch.notification(1n, note(ServerState.LEADING, 1n));
    const probes = cnx.sent.length;
    clock.advance(TICK * 50);
    expect(cnx.sent.length).toBe(probes);
    expect(ended).toEqual([]);
  });

  it('leaves when the leader never confirms within initLimit ticks', () => {
    const { clock, ended } = setup([1n, 2n, 3n]);
    clock.advance(TICK * 9);
    expect(ended).toEqual([]);
    clock.advance(TICK);
    expect(ended).toEqual(['leader 1 did not confirm LEADING within initLimit (10 ticks)']);
  });

  it('leaves when the leader says it follows someone else', () => {
    const { watch, ended } = setup([1n, 2n, 3n]);
    watch.notification(1n, note(ServerState.FOLLOWING, 3n));
    expect(ended).toEqual(['leader 1 reports following 3']);
  });

  it('leaves when a quorum of voters report a new election, not before', () => {
    const { watch, ended } = setup([1n, 2n, 3n, 4n, 5n]);
    watch.notification(1n, note(ServerState.LEADING, 1n));
    watch.notification(2n, note(ServerState.LOOKING, 2n, 5n));
    watch.notification(3n, note(ServerState.FOLLOWING, 5n));
    watch.notification(3n, note(ServerState.FOLLOWING, 1n)); // 3 is back with our leader
    watch.notification(4n, note(ServerState.LOOKING, 4n, 5n));
    expect(ended).toEqual([]);
    expect(watch.reportingNewElection()).toEqual([2n, 4n]);
    watch.notification(5n, note(ServerState.LEADING, 5n));
    expect(ended).toEqual(['a quorum of voters report a new election: [2,4,5]']);
  });

  it('does not count a late LOOKING message of the round we decided in', () => {
    const { watch, ended } = setup([1n, 2n, 3n]);
    watch.notification(1n, note(ServerState.LEADING, 1n));
    watch.notification(2n, note(ServerState.LOOKING, 2n, 4n)); // sent before 2 decided, arriving after us
    watch.notification(3n, note(ServerState.LOOKING, 3n, 3n));
    expect(watch.reportingNewElection()).toEqual([]);
    expect(ended).toEqual([]);
    watch.notification(2n, note(ServerState.LOOKING, 2n, 5n)); // a new election: one report
    expect(watch.reportingNewElection()).toEqual([2n]);
  });

  it("leaves when the leader's election connection drops", () => {
    const { cnx, ended } = setup([1n, 2n, 3n]);
    cnx.emit('disconnected', 2n);
    expect(ended).toEqual([]);
    cnx.emit('disconnected', 1n);
    expect(ended).toEqual(['election connection to leader 1 dropped']);
  });
});
