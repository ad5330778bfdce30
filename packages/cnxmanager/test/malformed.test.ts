// Acceptance 3: each malformed input ZooKeeper 3.8.0 was probed with (fixtures copied from
// shared/vectors), our own sid, a silent connection and a flood of bogus connections close only
// the offending sockets; a real peer keeps exchanging messages and bookkeeping returns to rest.

import { readFileSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHandshake, encodeFrame, parse, parseHandshake } from '@zkvote/wire';
import { QuorumCnxManager } from '../src/index.js';
import { bytes, freePorts, loopback, ManualClock, RawClient, text, waitFor } from './helpers.js';

interface Case {
  target_sid: number;
  case: string;
  sent_hex: string[];
  server_closed: string;
}
const cases = JSON.parse(
  readFileSync(new URL('./fixtures/zk-3.8.0-malformed-inputs.json', import.meta.url), 'utf8'),
) as Case[];

let target: QuorumCnxManager;
let peer: QuorumCnxManager;
let clock: ManualClock;
const clients: RawClient[] = [];
const servers: net.Server[] = [];

async function setup(targetSid: bigint, opts: { maxPendingHandshakes?: number } = {}): Promise<void> {
  const [pt, pp] = await freePorts(2);
  const peers = new Map([
    [targetSid, loopback(pt!)],
    [2n, loopback(pp!)],
  ]);
  clock = new ManualClock();
  const voters = new Set([targetSid, 2n]);
  target = new QuorumCnxManager({ myid: targetSid, listen: loopback(pt!), peers, voters, clock, ...opts });
  peer = new QuorumCnxManager({ myid: 2n, listen: loopback(pp!), peers, voters });
  await Promise.all([target.start(), peer.start()]);
  peer.send(targetSid, bytes('hi'));
  target.send(2n, bytes('hi'));
  await waitFor(() => target.peerTable().get(2n)!.state === 'connected' && peer.peerTable().get(targetSid)!.state === 'connected', 'target and peer connected');
}

/** The real peer still gets through in both directions. */
async function stillWorks(tag: string): Promise<void> {
  const atTarget: string[] = [];
  const atPeer: string[] = [];
  const a = (_s: bigint, p: Uint8Array) => atTarget.push(text(p));
  const b = (_s: bigint, p: Uint8Array) => atPeer.push(text(p));
  target.on('message', a);
  peer.on('message', b);
  peer.send(target.myid, bytes(`to-target ${tag}`));
  target.send(2n, bytes(`to-peer ${tag}`));
  await waitFor(() => atTarget.includes(`to-target ${tag}`) && atPeer.includes(`to-peer ${tag}`), `messages after ${tag}`);
  target.off('message', a);
  peer.off('message', b);
}

function client(): RawClient {
  const c = new RawClient(target.address().port);
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await Promise.all([target?.halt(), peer?.halt()]);
});

for (const targetSid of [1, 3]) {
  describe(`ZooKeeper 3.8.0 malformed inputs against sid ${targetSid}`, () => {
    beforeEach(() => setup(BigInt(targetSid)));
    const mine = cases.filter((c) => c.target_sid === targetSid);

    it('covers every case of the fixture', () => {
      expect(mine.map((c) => c.case)).toEqual(['i-a', 'i-b', 'ii', 'iii', 'iii-b', 'iv', 'v']);
    });

    for (const k of mine) {
      it(`case ${k.case}: closes iff ZooKeeper closed (${k.server_closed}) and keeps working`, async () => {
        const before = target.stats();
        const c = await client().connected();
        const messages: Array<{ sid: bigint; payload: Uint8Array; nonVoter: boolean }> = [];
        target.on('message', (sid, payload, m) => {
          if (sid !== 2n) messages.push({ sid, payload, nonVoter: m.fromNonVoter });
        });
        for (const hex of k.sent_hex) c.write(hex);
        switch (k.case) {
          case 'i-a':
          case 'ii':
            await waitFor(() => c.closed, 'the bad handshake to be closed');
            expect(target.stats().rejections['bad-handshake']).toBe(before.rejections['bad-handshake'] + 1);
            break;
          case 'i-b': {
            // A non-negative first long is a legacy sid-only handshake: a larger unknown sid, kept.
            const handshake = parseHandshake(Buffer.from(k.sent_hex[0]!, 'hex'));
            const sid = handshake.status === 'ok' ? handshake.handshake.sid : -1n;
            await waitFor(() => target.peerTable().get(sid)?.state === 'connected', 'the legacy peer to be registered');
            expect(target.peerTable().get(sid)!.nonVoter).toBe(true);
            break;
          }
          case 'iii':
            await waitFor(() => messages.length === 1, 'the 10-byte payload to be delivered');
            // Framing is fine; the election layer drops it as a short notification.
            expect(messages[0]!.sid).toBe(99n);
            expect(messages[0]!.payload.length).toBe(10);
            expect(messages[0]!.nonVoter).toBe(true);
            break;
          case 'iii-b':
            await waitFor(() => messages.length === 1, 'the notification to be delivered');
            expect(parse(messages[0]!.payload).leader).toBe(99n);
            expect(messages[0]!.nonVoter).toBe(true);
            break;
          case 'iv':
            await waitFor(() => c.closed, 'the bad frame length to close the socket');
            expect(target.stats().rejections['bad-frame']).toBe(before.rejections['bad-frame'] + 1);
            break;
          case 'v':
            // sid 0 is smaller: close, and connect back to the address it sent (nothing listens).
            await waitFor(() => c.closed, 'the tie-break close');
            await waitFor(() => target.stats().connectAttempts > before.connectAttempts, 'a connect-back attempt');
            expect(target.stats().tieBreakCloses).toBe(before.tieBreakCloses + 1);
            break;
          default:
            throw new Error(`unexpected fixture case ${k.case}`);
        }
        await stillWorks(k.case);
        expect(c.closed).toBe(k.server_closed.startsWith('yes'));
        expect(target.stats().pendingHandshakes).toBe(0);
        await c.destroy();
        await waitFor(() => target.stats().openSockets === 1, 'only the real peer socket left');
        // Strangers leave no per-sid state behind once their socket is gone.
        await waitFor(() => target.peerTable().size === 1, 'only the configured peer in the table');
      });
    }
  });
}

describe('other hostile inputs', () => {
  beforeEach(() => setup(3n));

  it('closes a handshake carrying our own sid', async () => {
    const c = await client().connected();
    c.write(buildHandshake({ sid: 3n, addresses: [loopback(1)], protocol: 'v1' }));
    await waitFor(() => c.closed, 'own-sid close');
    expect(target.stats().rejections['own-sid']).toBe(1);
    await stillWorks('own-sid');
  });

  it('maps an id-less observer (Long.MAX_VALUE) to a local negative sid that loses the tie-break', async () => {
    const before = target.stats();
    const c = await client().connected();
    c.write(Buffer.from('7fffffffffffffff', 'hex'));
    await waitFor(() => c.closed, 'the observer socket to be closed');
    expect(target.stats().tieBreakCloses).toBe(before.tieBreakCloses + 1);
    // No address in a legacy handshake and none configured for -1: no connect-back.
    expect(target.stats().connectAttempts).toBe(before.connectAttempts);
    expect([...target.peerTable().keys()]).toEqual([2n]);
  });

  it('lets a newer connection for a sid replace the older one', async () => {
    const hs = buildHandshake({ sid: 40n, addresses: [loopback(1)], protocol: 'v1' });
    const first = await client().connected();
    first.write(hs);
    await waitFor(() => target.peerTable().get(40n)?.state === 'connected', 'first connection from 40');
    const firstLocal = target.peerTable().get(40n)!.remoteAddress;
    const second = await client().connected();
    second.write(hs);
    await waitFor(() => first.closed, 'the older connection to be closed');
    expect(second.closed).toBe(false);
    expect(target.peerTable().get(40n)!.remoteAddress).not.toBe(firstLocal);
    second.write(encodeFrame(bytes('on the new one')));
    let m;
    do m = await target.poll(5000);
    while (m !== null && m.sid !== 40n);
    expect(m && text(m.payload)).toBe('on the new one');
  });

  it('connects back to the address a smaller sid advertises and keeps that connection', async () => {
    const server = net.createServer();
    servers.push(server);
    const accepted = once(server, 'connection');
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    const c = await client().connected();
    c.write(buildHandshake({ sid: 0n, addresses: [loopback(port)], protocol: 'v1' }));
    const [sock] = (await accepted) as [net.Socket];
    let got = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
    await waitFor(() => parseHandshake(got).status === 'ok', 'our handshake on the connect-back');
    const hs = parseHandshake(got);
    expect(hs.status === 'ok' && hs.handshake.sid).toBe(3n);
    expect(hs.status === 'ok' && hs.handshake.addresses).toEqual([target.address()]);
    await waitFor(() => target.peerTable().get(0n)?.state === 'connected', 'sid 0 registered (we are larger)');
    expect(target.peerTable().get(0n)!.direction).toBe('outgoing');
    sock.destroy();
  });

  it('closes a silent connection when the handshake timeout fires', async () => {
    const c = await client().connected();
    const partial = await client().connected();
    partial.write(buildHandshake({ sid: 50n, addresses: [loopback(1)], protocol: 'v1' }).subarray(0, 12));
    await waitFor(() => target.stats().pendingHandshakes === 2, 'two pending handshakes');
    clock.advance(9_999);
    expect(c.closed || partial.closed).toBe(false);
    clock.advance(1);
    await waitFor(() => c.closed && partial.closed, 'both closed by the timeout');
    expect(target.stats().rejections['handshake-timeout']).toBe(2);
    expect(target.stats().pendingHandshakes).toBe(0);
    await stillWorks('timeout');
  });

  it('caps concurrent unauthenticated connections', async () => {
    await Promise.all([target.halt(), peer.halt()]);
    await setup(3n, { maxPendingHandshakes: 8 });
    const silent = await Promise.all(Array.from({ length: 20 }, () => client().connected()));
    await waitFor(() => target.stats().accepted >= 21, 'all accepted');
    expect(target.stats().pendingHandshakes).toBe(8);
    expect(target.stats().rejections['too-many-pending']).toBe(12);
    await waitFor(() => silent.filter((c) => c.closed).length === 12, 'the over-cap sockets closed');
    await stillWorks('cap');
    clock.advance(10_000);
    await waitFor(() => silent.every((c) => c.closed), 'the rest timed out');
    expect(target.stats().pendingHandshakes).toBe(0);
  });

  it('survives a flood of 1000 bogus connections with bounded state', async () => {
    // Deterministic garbage: a seeded generator picks one of several hostile shapes per socket.
    let seed = 0x2545f491;
    const rnd = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const shapes = [
      () => Buffer.from('ee777d43bd655661', 'hex'), // bad version
      () => Buffer.from('ffffffffffff0000000000000000006300007fffffff', 'hex'), // huge address length
      () => Buffer.concat([Buffer.from(buildHandshake({ sid: 99n, addresses: [loopback(1)], protocol: 'v1' })), Buffer.from('7fffffff', 'hex')]), // bad frame
      () => Buffer.from(buildHandshake({ sid: 3n, addresses: [loopback(1)], protocol: 'v1' })), // own sid
      () => Buffer.from(Array.from({ length: 1 + rnd(64) }, () => rnd(256))), // noise
      () => Buffer.alloc(0), // connect and hang up
    ];
    const heapBefore = process.memoryUsage().heapUsed;
    for (let batch = 0; batch < 20; batch++) {
      const batchClients = await Promise.all(
        Array.from({ length: 50 }, async () => {
          const c = await client().connected();
          const shape = shapes[rnd(shapes.length)]!();
          if (shape.length > 0) c.write(shape);
          c.socket.end();
          return c;
        }),
      );
      await waitFor(() => batchClients.every((c) => c.closed), `batch ${batch} closed`);
      await Promise.all(clients.splice(0).map((c) => c.destroy()));
    }
    expect(target.stats().accepted).toBeGreaterThanOrEqual(1000);
    await stillWorks('flood');
    await waitFor(() => target.stats().openSockets === 1 && target.stats().pendingHandshakes === 0, 'sockets back to rest');
    await waitFor(() => target.peerTable().size === 1, 'no stranger entries left');
    // Loose bound only (GC timing varies): a leak of per-connection state would be far bigger.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});
