// ElectionDriver with a fake transport and a manual clock: decoding, malformed payloads,
// timers, reconnect requests, connection events, restart on a newer config, and close().

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { buildMsg, parse, ServerState } from '@zkvote/wire';
import { parseDynamicConfig } from '@zkvote/quorum';
import type { PeerInfo } from '@zkvote/cnxmanager';
import { ElectionDriver, ElectionError, type ElectionTransport } from '../src/index.js';
import { ManualClock } from './manual-clock.js';


class FakeCnx extends EventEmitter implements ElectionTransport {
  readonly sent: { to: bigint; payload: Uint8Array }[] = [];
  connectAlls = 0;
  queueEmpty = true;
  readonly table = new Map<bigint, PeerInfo>();
  send(to: bigint, payload: Uint8Array): void {
    this.sent.push({ to, payload });
  }
  someQueueEmpty(): boolean {
    return this.queueEmpty;
  }
  connectAll(): void {
    this.connectAlls++;
  }
  peerTable(): Map<bigint, PeerInfo> {
    return this.table;
  }
}

const verifier = parseDynamicConfig(
  ['server.1=127.0.0.1:2001:3001:participant', 'server.2=127.0.0.1:2002:3002:participant', 'server.3=127.0.0.1:2003:3003:participant'].join('\n'),
).verifier;

function setup(fastDecision = true) {
  const cnx = new FakeCnx();
  const clock = new ManualClock();
  const driver = new ElectionDriver({ myid: 1n, verifier, cnx, clock, fastDecision });
  const deliverOwn = (): void => {
    for (const m of cnx.sent.splice(0)) if (m.to === 1n) cnx.emit('message', 1n, m.payload, { fromNonVoter: false });
  };
  return { cnx, clock, driver, deliverOwn };
}

const vote = (leader: bigint, round = 1n, state = ServerState.LOOKING): Uint8Array =>
  buildMsg({ state, leader, zxid: 0n, electionEpoch: round, peerEpoch: 0n, config: verifier.toString() });

describe('ElectionDriver', () => {
  it('sends encoded notifications to every voter including itself, and decides', async () => {
    const { cnx, driver, deliverOwn } = setup();
    const states: ServerState[] = [];
    driver.on('state', (s) => states.push(s));
    cnx.emit('connected', 2n); // 2 was up once and is gone before the election: not waited for
    cnx.emit('disconnected', 2n);
    const result = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
    expect(cnx.sent.map((m) => m.to)).toEqual([1n, 2n, 3n]);
    expect(parse(cnx.sent[0]?.payload as Uint8Array)).toMatchObject({ leader: 1n, electionEpoch: 1n, version: 2 });
    deliverOwn();
    cnx.emit('message', 3n, vote(3n), { fromNonVoter: false });
    deliverOwn();
    const d = await result;
    expect(d).toMatchObject({ state: ServerState.FOLLOWING, fast: true, vote: { leader: 3n } });
    expect(states).toEqual([ServerState.LOOKING, ServerState.FOLLOWING]);
    driver.close();
  });

  it('drops and counts malformed payloads', () => {
    const { cnx, driver } = setup();
    void driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n }).catch(() => {});
    cnx.emit('message', 2n, new Uint8Array(36), { fromNonVoter: false });
    cnx.emit('message', 2n, new Uint8Array(5), { fromNonVoter: false });
    expect(driver.stats).toMatchObject({ received: 2, malformed: 2 });
    driver.close();
  });

  it('re-sends on the notification timeout, or asks for reconnection when every queue is busy', () => {
    const { cnx, clock, driver } = setup();
    void driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n }).catch(() => {});
    cnx.sent.length = 0;
    clock.advance(200);
    expect(cnx.sent).toHaveLength(3);
    cnx.queueEmpty = false;
    clock.advance(399);
    expect(cnx.connectAlls).toBe(0);
    clock.advance(1);
    expect(cnx.connectAlls).toBe(1);
    expect(cnx.sent).toHaveLength(3);
    driver.close();
    expect(clock.timers.size).toBe(0);
  });

  it('waits finalizeWait on the clock with fast decision off', async () => {
    const { cnx, clock, driver, deliverOwn } = setup(false);
    let decided = false;
    const result = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n }).then((d) => {
      decided = true;
      return d;
    });
    deliverOwn();
    cnx.emit('message', 3n, vote(3n), { fromNonVoter: false });
    deliverOwn();
    await Promise.resolve();
    expect(decided).toBe(false);
    clock.advance(200);
    expect(await result).toMatchObject({ fast: false, vote: { leader: 3n } });
    driver.close();
  });

  it('feeds connection events: a drop during the election is not trusted, the old leader\'s is', async () => {
    const { cnx, clock, driver, deliverOwn } = setup();
    cnx.emit('connected', 2n);
    cnx.emit('connected', 3n);
    const result = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
    deliverOwn();
    cnx.emit('message', 3n, vote(3n), { fromNonVoter: false });
    deliverOwn();
    expect(driver.core.snapshot().finalizing).toBe(true); // 2 is connected and has not voted
    cnx.emit('disconnected', 2n); // maybe a tie-break reconnect: still waited for
    expect(driver.core.snapshot().finalizing).toBe(true);
    clock.advance(200);
    expect(await result).toMatchObject({ fast: false, vote: { leader: 3n } });

    // Round 2: the leader we followed (3) drops while we look; that loss is trusted.
    cnx.emit('connected', 2n);
    const next = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
    deliverOwn();
    cnx.emit('message', 2n, vote(2n, 2n), { fromNonVoter: false });
    deliverOwn();
    cnx.emit('message', 2n, vote(2n, 2n), { fromNonVoter: false });
    expect(driver.core.snapshot().finalizing).toBe(true); // 3 is still connected
    cnx.emit('disconnected', 3n);
    expect(await next).toMatchObject({ fast: true, vote: { leader: 2n, electionEpoch: 2n } });
    driver.close();
  });

  it('rejects lookForLeader on close, and stops listening', async () => {
    const { cnx, driver } = setup();
    const result = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
    driver.close();
    await expect(result).rejects.toSatisfy((e: unknown) => ElectionError.isInstance(e) && e.code === 'CLOSED');
    expect(cnx.listenerCount('message')).toBe(0);
    await expect(driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n })).rejects.toThrow(/after close/);
  });

  it('stops and reports a restart when a newer, different config arrives', async () => {
    const { cnx, driver } = setup();
    const restarts: bigint[] = [];
    driver.on('restart', (r) => restarts.push(r.verifier.version));
    const result = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
    const newer = parseDynamicConfig(
      ['server.1=127.0.0.1:2001:3001:participant', 'server.2=127.0.0.1:2002:3002:participant', 'server.4=127.0.0.1:2004:3004:participant'].join('\n'),
      { version: 0x100000000n },
    ).verifier;
    cnx.emit('message', 2n, buildMsg({ state: 0, leader: 2n, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n, config: newer.toString() }), { fromNonVoter: false });
    await expect(result).rejects.toSatisfy((e: unknown) => ElectionError.isInstance(e) && e.code === 'RESTART');
    expect(restarts).toEqual([0x100000000n]);
    expect(driver.core.stopped).toBe(true);
    driver.close();
  });
});
