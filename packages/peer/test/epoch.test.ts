import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeQuorumMessage, RejectReason } from '../src/epoch/messages.js';
import { EpochHarness, MemoryEpochs, TICK } from './helpers/epoch-harness.js';
import { once, until } from './helpers/wait.js';

let h: EpochHarness;
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await h?.close();
});

function rawClient(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', reject);
    sockets.push(s);
  });
}

/** One tick at a time, letting every established learner answer the heartbeat in between. */
async function ticksWithAcks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    h.clock.advance(TICK);
    await until(
      () => h.leader.learnerViews().every((l) => l.stage !== 'established' || l.lastHeard === h.clock.now()),
      'heartbeat acks',
    );
  }
}

function closed(s: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (s.destroyed) resolve();
    else s.once('close', () => resolve());
  });
}

describe('epoch establishment', () => {
  it('establishes an epoch above every acceptedEpoch heard, with a quorum', async () => {
    h = new EpochHarness();
    const leaderStore = new MemoryEpochs(3n, 3n);
    await h.start([1n, 2n, 3n], 3n, leaderStore);
    const s1 = new MemoryEpochs(7n, 2n);
    const f1 = h.follower(1n, s1);
    const established = once<[bigint]>(h.leader, 'established');
    const followerEstablished = once<[bigint]>(f1, 'established');
    f1.start();
    const [epoch] = await established;
    expect(epoch).toBe(8n);
    expect(await followerEstablished).toEqual([8n]);
    expect(leaderStore.writes).toEqual(['accepted=8', 'current=8']);
    expect(s1.writes).toEqual(['accepted=8', 'current=8']);
    expect(h.leader.epoch).toBe(8n);
    expect(f1.epoch).toBe(8n);

    // A late follower joins the established epoch.
    const s2 = new MemoryEpochs(0n, 0n);
    const f2 = h.follower(2n, s2);
    f2.start();
    expect(await once<[bigint]>(f2, 'established')).toEqual([8n]);
    expect(s2.writes).toEqual(['accepted=8', 'current=8']);
    expect(h.leader.learnerViews().map((l) => [l.sid, l.stage])).toEqual([
      [1n, 'established'],
      [2n, 'established'],
    ]);
  });

  it('accepts a learner that reconnects having accepted the established epoch already', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs());
    const s1 = new MemoryEpochs();
    const f1 = h.follower(1n, s1);
    f1.start();
    await once(f1, 'established');
    f1.stop('test: drop');
    const again = h.follower(1n, s1);
    again.start();
    expect(await once<[bigint]>(again, 'established')).toEqual([1n]);
    expect(s1.writes).toEqual(['accepted=1', 'current=1']);
  });

  it('does not count observers toward the quorum', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n, 4n], 3n, new MemoryEpochs(), { observers: [4n] });
    const obs = h.follower(4n, new MemoryEpochs(), 'observer');
    obs.start();
    await until(() => h.leader.learnerViews().length === 1, 'observer connected');
    expect(h.leader.proposedEpoch).toBeNull();
    const f1 = h.follower(1n, new MemoryEpochs());
    f1.start();
    expect(await once<[bigint]>(h.leader, 'established')).toEqual([1n]);
    expect(await once<[bigint]>(obs, 'established')).toEqual([1n]);
  });

  it('steps down when no quorum connects within initLimit ticks', async () => {
    h = new EpochHarness();
    const store = new MemoryEpochs();
    await h.start([1n, 2n, 3n], 3n, store);
    const stepDown = once<[string]>(h.leader, 'stepDown');
    h.clock.advance(TICK * 10 - 1);
    expect(h.leader.state).toBe('gathering');
    h.clock.advance(1);
    const [reason] = await stepDown;
    expect(reason).toMatch(/no quorum within initLimit \(10 ticks\)/);
    expect(h.leader.state).toBe('stopped');
    expect(store.writes).toEqual([]);
  });

  it('a follower goes back to LOOKING when the leader is silent for syncLimit ticks', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs());
    const f1 = h.follower(1n, new MemoryEpochs());
    f1.start();
    await once(f1, 'established');
    // The leader heartbeats on each tick; the follower answers.
    await ticksWithAcks(8);
    expect(f1.state).toBe('established');

    // Freeze the leader: its timers stop, the connection stays open.
    const lost = once<[string]>(f1, 'lost');
    h.leader.removeAllListeners();
    (h.leader as unknown as { onTick: () => void }).onTick = () => {};
    h.clock.advance(TICK * 5 - 1);
    expect(f1.state).toBe('established');
    h.clock.advance(1);
    expect((await lost)[0]).toMatch(/leader silent for syncLimit \(5 ticks\)/);
  });

  it('a follower goes back to LOOKING when the connection drops', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs());
    const f1 = h.follower(1n, new MemoryEpochs());
    f1.start();
    await once(f1, 'established');
    const lost = once<[string]>(f1, 'lost');
    h.leader.stop('test');
    expect((await lost)[0]).toMatch(/connection to leader dropped/);
  });

  it('the leader steps down when the quorum stops acking heartbeats for syncLimit ticks', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs());
    const f1 = h.follower(1n, new MemoryEpochs());
    f1.start();
    await once(f1, 'established');
    // The follower stops answering pings but keeps the connection.
    const channel = (f1 as unknown as { channel: { removeAllListeners(e: string): void } }).channel;
    channel.removeAllListeners('message');
    const stepDown = once<[string]>(h.leader, 'stepDown');
    for (let i = 0; i < 4; i++) h.clock.advance(TICK);
    expect(h.leader.state).toBe('established');
    h.clock.advance(TICK);
    expect((await stepDown)[0]).toMatch(/lost quorum: only \[3\] acked within syncLimit \(5 ticks\)/);
  });

  it('a follower retries each tick while the leader is not leading yet', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { lead: false });
    const f1 = h.follower(1n, new MemoryEpochs());
    f1.start();
    await until(() => h.listener.stats.accepted === 1 && f1.state === 'connecting', 'first refusal');
    h.lead();
    h.clock.advance(TICK);
    expect(await once<[bigint]>(f1, 'established')).toEqual([1n]);
  });

  it('a follower gives up after initLimit ticks without a leader', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { lead: false });
    const f1 = h.follower(1n, new MemoryEpochs());
    const lost = once<[string]>(f1, 'lost');
    f1.start();
    for (let i = 0; i < 10; i++) {
      await until(() => f1.state === 'connecting' || f1.state === 'stopped', 'refusal');
      h.clock.advance(TICK);
    }
    expect((await lost)[0]).toMatch(/not established within initLimit \(10 ticks\)/);
  });

  it('a follower whose leader refuses the quorum connection leaves at once, not after initLimit', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs());
    // The leader process is gone: nothing listens on its quorum port any more.
    await h.listener.close();
    const f1 = h.follower(1n, new MemoryEpochs());
    const lost = once<[string]>(f1, 'lost');
    const startedAt = h.clock.now();
    f1.start();
    expect((await lost)[0]).toMatch(/refused the quorum connection/);
    expect(h.clock.now()).toBe(startedAt);
  });

  it('a follower whose leader follows someone else leaves at once, not after initLimit', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { lead: false });
    h.status = { state: 'FOLLOWING', leader: 2n, round: 1n };
    const f1 = h.follower(1n, new MemoryEpochs(), 'participant', { round: 1n, lookingGraceMs: TICK * 4 });
    const lost = once<[string]>(f1, 'lost');
    const startedAt = h.clock.now();
    f1.start();
    expect((await lost)[0]).toMatch(/leader 3 is FOLLOWING 2 \(round 1\), not leading/);
    expect(h.clock.now()).toBe(startedAt);
    expect(h.listener.stats.accepted).toBe(1);
  });

  it('a follower whose leader observes someone else leaves at once too', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { lead: false });
    h.status = { state: 'OBSERVING', leader: 1n, round: 7n };
    const f2 = h.follower(2n, new MemoryEpochs());
    const lost = once<[string]>(f2, 'lost');
    f2.start();
    expect((await lost)[0]).toMatch(/leader 3 is OBSERVING 1/);
  });

  it('a follower keeps retrying a LOOKING leader of its round and establishes once it leads', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { lead: false });
    h.status = { state: 'LOOKING', leader: null, round: 1n };
    const f1 = h.follower(1n, new MemoryEpochs(), 'participant', { round: 1n, lookingGraceMs: TICK * 4 });
    f1.start();
    for (let i = 1; i <= 3; i++) {
      await until(() => h.listener.stats.accepted === i && f1.state === 'connecting', `refusal ${i}`);
      h.clock.advance(TICK);
    }
    h.lead();
    expect(await once<[bigint]>(f1, 'established')).toEqual([1n]);
    expect(h.listener.stats.accepted).toBe(4);
  });

  it('a follower gives up on a leader still LOOKING after lookingGraceMs, well before initLimit', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { lead: false });
    const f1 = h.follower(1n, new MemoryEpochs(), 'participant', { round: 1n, lookingGraceMs: TICK * 3 });
    const lost = once<[string]>(f1, 'lost');
    const startedAt = h.clock.now();
    f1.start();
    for (let i = 1; i <= 4 && f1.state !== 'stopped'; i++) {
      await until(() => (h.listener.stats.accepted === i && f1.state === 'connecting') || f1.state === 'stopped', `refusal ${i}`);
      h.clock.advance(TICK);
    }
    expect((await lost)[0]).toMatch(/leader 3 still LOOKING \(round 1\) 150 ms after first asked/);
    expect(h.clock.now() - startedAt).toBeLessThan(TICK * 10);
  });

  it('a follower gives up at once on a leader LOOKING in a later round', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { lead: false });
    h.status = { state: 'LOOKING', leader: null, round: 3n };
    const f1 = h.follower(1n, new MemoryEpochs(), 'participant', { round: 2n, lookingGraceMs: TICK * 4 });
    const lost = once<[string]>(f1, 'lost');
    const startedAt = h.clock.now();
    f1.start();
    expect((await lost)[0]).toMatch(/leader 3 is LOOKING in round 3, after our round 2/);
    expect(h.clock.now()).toBe(startedAt);
  });

  it('a NOT_LEADING with an invalid state byte closes that socket, and the follower only retries', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { lead: false });
    const bogus = Buffer.from('00000013 07 01 09 0000000000000002 0000000000000001'.replace(/\s+/g, ''), 'hex');
    // Answer the follower's FOLLOWERINFO with a malformed status instead of the listener's own.
    const served: net.Socket[] = [];
    h.listener.setHandler((channel) => {
      served.push(channel.socket);
      channel.socket.write(bogus);
    });
    const f1 = h.follower(1n, new MemoryEpochs(), 'participant', { round: 1n, lookingGraceMs: TICK * 4 });
    f1.start();
    await until(() => served.length === 1, 'the bad reject sent');
    // The follower, not the server, hangs up: it could not decode the reject.
    await closed(served[0] as net.Socket);
    await until(() => f1.state === 'connecting', 'a retry scheduled');
    h.lead();
    h.clock.advance(TICK);
    expect(await once<[bigint]>(f1, 'established')).toEqual([1n]);
    expect(h.listener.stats.accepted).toBe(2);
  });

  it('a follower refuses a leader whose epoch is below its acceptedEpoch', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { lead: false });
    const f2 = h.follower(2n, new MemoryEpochs());
    f2.start();
    h.lead();
    h.clock.advance(TICK);
    await once(h.leader, 'established');
    const f1 = h.follower(1n, new MemoryEpochs(5n, 5n));
    const lost = once<[string]>(f1, 'lost');
    f1.start();
    expect((await lost)[0]).toMatch(/STALE_EPOCH/);
  });

  it('rejects an unknown sid and a learner ahead of the leader', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(1n, 1n));
    const stranger = h.follower(9n, new MemoryEpochs());
    const lost = once<[string]>(stranger, 'lost');
    stranger.start();
    expect((await lost)[0]).toMatch(/UNKNOWN_SID/);
    const ahead = h.follower(1n, new MemoryEpochs(1n, 1n));
    (ahead as unknown as { ctx: { lastZxid: () => bigint } }).ctx.lastZxid = () => 0x100000005n;
    const lostAhead = once<[string]>(ahead, 'lost');
    ahead.start();
    expect((await lostAhead)[0]).toMatch(/LEARNER_AHEAD/);
    expect(h.leader.epoch).toBeNull();
  });
});

describe('quorum port robustness', () => {
  it('garbage closes only that socket; the established follower is unaffected', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs());
    const f1 = h.follower(1n, new MemoryEpochs());
    f1.start();
    await once(f1, 'established');
    const junk = await rawClient(h.port);
    junk.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await closed(junk);
    const wrongFirst = await rawClient(h.port);
    wrongFirst.write(encodeQuorumMessage({ type: 'PONG', seq: 1n }));
    await closed(wrongFirst);
    expect(h.listener.stats.rejectedHandshakes).toBe(2);
    h.clock.advance(TICK * 3);
    expect(f1.state).toBe('established');
    expect(h.leader.state).toBe('established');
  });

  it('a slow handshake is closed after the handshake timeout, others go on', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { handshakeTimeoutMs: TICK * 2 });
    const slow = await rawClient(h.port);
    const bytes = encodeQuorumMessage({ type: 'FOLLOWERINFO', role: 'participant', sid: 2n, acceptedEpoch: 0n, lastZxid: 0n });
    slow.write(bytes.subarray(0, 10));
    const f1 = h.follower(1n, new MemoryEpochs());
    f1.start();
    await once(f1, 'established');
    await until(() => h.clock.pendingTimers > 0, 'timers armed');
    h.clock.advance(TICK * 2);
    await closed(slow);
    expect(f1.state).toBe('established');
  });

  it('a connection flood is shed without disturbing the session', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs());
    const f1 = h.follower(1n, new MemoryEpochs());
    f1.start();
    await once(f1, 'established');
    const flood = await Promise.all(Array.from({ length: 60 }, () => rawClient(h.port)));
    await until(() => h.listener.stats.droppedForLoad + h.listener.pendingHandshakes === 60, 'all flood connections seen');
    expect(h.listener.stats.droppedForLoad).toBe(60 - 32);
    // A learner arriving in the middle of the flood still gets in.
    const late = h.follower(2n, new MemoryEpochs());
    late.start();
    expect(await once<[bigint]>(late, 'established')).toEqual([1n]);
    await ticksWithAcks(5); // the handshake timeout of the pending ones
    await Promise.all(flood.map(closed));
    await ticksWithAcks(1);
    expect(f1.state).toBe('established');
    expect(h.leader.state).toBe('established');
  });

  it('a REJECT NOT_LEADING is sent to learners while nobody leads', async () => {
    h = new EpochHarness();
    await h.start([1n, 2n, 3n], 3n, new MemoryEpochs(), { lead: false });
    const s = await rawClient(h.port);
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.write(encodeQuorumMessage({ type: 'FOLLOWERINFO', role: 'participant', sid: 1n, acceptedEpoch: 0n, lastZxid: 0n }));
    await closed(s);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(encodeQuorumMessage({ type: 'REJECT', reason: RejectReason.NOT_LEADING, status: h.status })));
  });
});
