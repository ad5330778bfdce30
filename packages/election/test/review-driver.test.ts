// Review of ElectionDriver: misuse rejects instead of throwing or orphaning the running election,
// a 'decided' listener may start the next election, arbitrary network input never throws, and
// close() leaves no timer behind.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildMsg, ServerState } from '@zkvote/wire';
import { parseDynamicConfig } from '@zkvote/quorum';
import type { PeerInfo } from '@zkvote/cnxmanager';
import { ElectionDriver, ElectionError, type Decision, type ElectionTransport } from '../src/index.js';
import { ManualClock } from './manual-clock.js';


class FakeCnx extends EventEmitter implements ElectionTransport {
  readonly sent: { to: bigint; payload: Uint8Array }[] = [];
  send(to: bigint, payload: Uint8Array): void {
    this.sent.push({ to, payload });
  }
  someQueueEmpty(): boolean {
    return true;
  }
  connectAll(): void {}
  peerTable(): Map<bigint, PeerInfo> {
    return new Map();
  }
}

const verifier = parseDynamicConfig(
  ['server.1=127.0.0.1:2001:3001:participant', 'server.2=127.0.0.1:2002:3002:participant', 'server.3=127.0.0.1:2003:3003:participant'].join('\n'),
).verifier;

function setup() {
  const cnx = new FakeCnx();
  const clock = new ManualClock();
  const driver = new ElectionDriver({ myid: 1n, verifier, cnx, clock, fastDecision: false });
  const deliverOwn = (): void => {
    for (const m of cnx.sent.splice(0)) if (m.to === 1n) cnx.emit('message', 1n, m.payload, { fromNonVoter: false });
  };
  return { cnx, clock, driver, deliverOwn };
}

const msg = (state: number, leader: bigint, round: bigint, config = verifier.toString()): Uint8Array =>
  buildMsg({ state, leader, zxid: 0n, electionEpoch: round, peerEpoch: 0n, config });

const isCode = (code: string) => (e: unknown) => ElectionError.isInstance(e) && e.code === code;

describe('ElectionDriver under review', () => {
  it('a second lookForLeader while looking rejects, and the running election still resolves', async () => {
    const { cnx, clock, driver, deliverOwn } = setup();
    const first = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
    let second: Promise<Decision> | undefined;
    expect(() => {
      second = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
    }).not.toThrow();
    await expect(second).rejects.toSatisfy(isCode('ALREADY_LOOKING'));
    deliverOwn();
    cnx.emit('message', 3n, msg(ServerState.LOOKING, 3n, 1n), { fromNonVoter: false });
    deliverOwn();
    clock.advance(200);
    expect(await first).toMatchObject({ vote: { leader: 3n } });
    driver.close();
  });

  it('after a restart, lookForLeader rejects instead of throwing', async () => {
    const { cnx, clock, driver } = setup();
    const first = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
    const newer = parseDynamicConfig(
      ['server.1=127.0.0.1:2001:3001:participant', 'server.2=127.0.0.1:2002:3002:participant', 'server.4=127.0.0.1:2004:3004:participant'].join('\n'),
      { version: 0x100000000n },
    ).verifier;
    cnx.emit('message', 2n, msg(ServerState.LOOKING, 2n, 1n, newer.toString()), { fromNonVoter: false });
    await expect(first).rejects.toSatisfy(isCode('RESTART'));
    expect(clock.timers.size).toBe(0);
    let again: Promise<Decision> | undefined;
    expect(() => {
      again = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
    }).not.toThrow();
    await expect(again).rejects.toSatisfy(isCode('STOPPED'));
    driver.close();
  });

  it("a 'decided' listener that starts the next election gets a fresh, pending promise", async () => {
    const { cnx, clock, driver, deliverOwn } = setup();
    let next: Promise<Decision> | undefined;
    let nextSettled = false;
    driver.once('decided', () => {
      next = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
      next.then(
        () => (nextSettled = true),
        () => (nextSettled = true),
      );
    });
    const first = driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n });
    deliverOwn();
    cnx.emit('message', 3n, msg(ServerState.LOOKING, 3n, 1n), { fromNonVoter: false });
    deliverOwn();
    clock.advance(200);
    expect(await first).toMatchObject({ vote: { leader: 3n, electionEpoch: 1n } });
    await Promise.resolve();
    expect(next).toBeDefined();
    expect(nextSettled).toBe(false);
    expect(driver.core.logicalclock).toBe(2n);
    driver.close();
    await expect(next).rejects.toSatisfy(isCode('CLOSED'));
  });

  it('a throwing listener does not stop the driver from carrying out the rest of the actions', () => {
    const { cnx, clock, driver, deliverOwn } = setup();
    driver.on('event', () => {
      throw new Error('listener bug');
    });
    expect(() => driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n }).catch(() => undefined)).toThrow('listener bug');
    expect(cnx.sent.map((m) => m.to)).toEqual([1n, 2n, 3n]);
    expect(clock.timers.size).toBe(1); // the notification timer is armed all the same
    cnx.sent.length = 0;
    expect(() => clock.advance(200)).toThrow('listener bug');
    expect(cnx.sent).toHaveLength(3); // re-sent on the timeout, and re-armed
    expect(clock.timers.size).toBe(1);
    void deliverOwn;
    driver.close();
    expect(clock.timers.size).toBe(0);
  });

  it('never throws on arbitrary payloads or notifications from any sid, counts malformed ones, and close() clears every timer', () => {
    const sid = fc.bigInt({ min: -3n, max: 6n });
    const notification = fc.record({
      state: fc.integer({ min: -1, max: 5 }),
      leader: fc.bigInt({ min: -2n, max: 5n }),
      zxid: fc.constantFrom(-1n, 0n, 1n, 0x100000000n),
      electionEpoch: fc.bigInt({ min: 0n, max: 4n }),
      peerEpoch: fc.bigInt({ min: -1n, max: 2n }),
    });
    const input = fc.oneof(
      fc.record({ kind: fc.constant('bytes' as const), sid, bytes: fc.uint8Array({ maxLength: 80 }) }),
      fc.record({ kind: fc.constant('vote' as const), sid, n: notification }),
      fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 500 }) }),
      fc.record({ kind: fc.constantFrom('up' as const, 'down' as const), sid }),
    );
    fc.assert(
      fc.property(fc.array(input, { maxLength: 60 }), (inputs) => {
        const { cnx, clock, driver, deliverOwn } = setup();
        driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n }).catch(() => undefined);
        let malformed = 0;
        for (const i of inputs) {
          if (i.kind === 'bytes') {
            if (i.bytes.length < 28) malformed++;
            cnx.emit('message', i.sid, i.bytes, { fromNonVoter: false });
          } else if (i.kind === 'vote') {
            cnx.emit('message', i.sid, buildMsg({ ...i.n, config: verifier.toString() }), { fromNonVoter: false });
          } else if (i.kind === 'tick') {
            clock.advance(i.ms);
          } else {
            cnx.emit(i.kind === 'up' ? 'connected' : 'disconnected', i.sid);
          }
          deliverOwn();
          if (!driver.core.looking && !driver.core.stopped) driver.lookForLeader({ lastZxid: 0n, currentEpoch: 0n }).catch(() => undefined);
        }
        expect(driver.stats.malformed).toBeGreaterThanOrEqual(malformed);
        driver.close();
        expect(clock.timers.size).toBe(0);
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
