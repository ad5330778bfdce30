// Acceptance 2: messages flow both ways; resend-on-reconnect and newest-wins are observable
// (PROTOCOL.md 2.3); the receive queue is bounded drop-oldest (2.4); someQueueEmpty (2.5).

import { afterEach, describe, expect, it } from 'vitest';
import { QuorumCnxManager, type ReceivedMessage } from '../src/index.js';
import { bytes, freePorts, loopback, mesh, meshFormed, text, waitFor, type Mesh } from './helpers.js';

let current: Mesh | null = null;
const extra: QuorumCnxManager[] = [];
afterEach(async () => {
  await current?.haltAll();
  await Promise.all(extra.splice(0).map((m) => m.halt()));
  current = null;
});

function collect(m: QuorumCnxManager): string[] {
  const seen: string[] = [];
  m.on('message', (sid, payload) => seen.push(`${sid}:${text(payload)}`));
  return seen;
}

async function pair(): Promise<{ m: Mesh; small: QuorumCnxManager; big: QuorumCnxManager }> {
  const m = await mesh([1n, 2n]);
  current = m;
  const small = await m.launch(1n);
  const big = await m.launch(2n);
  await waitFor(() => meshFormed([small, big]), 'the pair connected');
  return { m, small, big };
}

describe('message flow', () => {
  it('delivers in both directions, tagged with the connection sid', async () => {
    const { small, big } = await pair();
    const atSmall = collect(small);
    const atBig = collect(big);
    small.send(2n, bytes('up'));
    big.send(1n, bytes('down'));
    await waitFor(() => atSmall.includes('2:down') && atBig.includes('1:up'), 'both messages');
    const first = await small.poll(1000);
    expect(first?.sid).toBe(2n);
  });

  it('loops a message to our own sid back into the receive queue', async () => {
    const { small } = await pair();
    small.send(1n, bytes('self'));
    let m: ReceivedMessage | null;
    do m = await small.poll(1000);
    while (m !== null && text(m.payload) !== 'self');
    expect(m?.sid).toBe(1n);
  });

  it('re-sends the last message on a new connection (resend rule)', async () => {
    const { small, big } = await pair();
    const atSmall = collect(small);
    big.send(1n, bytes('vote-1'));
    await waitFor(() => atSmall.filter((s) => s === '2:vote-1').length === 1, 'vote-1 once');
    const back = new Promise((resolve) => big.once('connected', resolve));
    small.disconnect(2n);
    await waitFor(() => big.peerTable().get(1n)!.state !== 'connected', 'big sees the drop');
    big.connectAll();
    await back;
    await waitFor(() => atSmall.filter((s) => s === '2:vote-1').length === 2, 'vote-1 re-sent on the new connection');
    expect(atSmall.filter((s) => s.startsWith('2:'))).toEqual(['2:vote-1', '2:vote-1']);
  });

  it('keeps only the newest message for a disconnected peer (newest wins)', async () => {
    const [p1, p2] = await freePorts(2);
    const peers = new Map([
      [1n, loopback(p1!)],
      [2n, loopback(p2!)],
    ]);
    const big = new QuorumCnxManager({ myid: 2n, listen: loopback(p2!), peers });
    extra.push(big);
    await big.start();
    for (const v of ['a', 'b', 'c']) big.send(1n, bytes(v));
    await waitFor(() => big.peerTable().get(1n)!.state === 'idle', 'the refused connect to be over');
    expect(big.stats().sendOverwrites).toBe(2);
    expect(big.someQueueEmpty()).toBe(false);
    const small = new QuorumCnxManager({ myid: 1n, listen: loopback(p1!), peers });
    extra.push(small);
    const atSmall = collect(small);
    await small.start();
    big.connectAll();
    await waitFor(() => atSmall.length === 1, 'one message at the late peer');
    expect(atSmall).toEqual(['2:c']);
    expect(big.someQueueEmpty()).toBe(true);
  });

  it('tries the addresses of a multi-address peer in order', async () => {
    const [dead, p1, p2] = (await freePorts(3)) as [number, number, number];
    const one = new QuorumCnxManager({ myid: 1n, listen: loopback(p1), peers: new Map([[2n, loopback(p2)]]) });
    const two = new QuorumCnxManager({ myid: 2n, listen: loopback(p2), peers: new Map([[1n, [loopback(dead), loopback(p1)]]]) });
    extra.push(one, two);
    await Promise.all([one.start(), two.start()]);
    const atOne = collect(one);
    two.send(1n, bytes('via the second address'));
    await waitFor(() => atOne.includes('2:via the second address'), 'delivery through the second address');
    expect(two.stats().connectFailures).toBe(0);
  });

  it('delivers messages queued before start() once the listener is up', async () => {
    const [p1, p2] = (await freePorts(2)) as [number, number];
    const peers = new Map([[1n, loopback(p1)], [2n, loopback(p2)]]);
    const one = new QuorumCnxManager({ myid: 1n, listen: loopback(p1), peers });
    const two = new QuorumCnxManager({ myid: 2n, listen: loopback(p2), peers });
    extra.push(one, two);
    await one.start();
    const atOne = collect(one);
    two.send(1n, bytes('early'));
    await two.start();
    await waitFor(() => atOne.includes('2:early'), 'the early message');
  });

  it('someQueueEmpty is false without queues (ZooKeeper haveDelivered semantics)', async () => {
    const [p] = await freePorts(1);
    const m = new QuorumCnxManager({ myid: 1n, listen: loopback(p!) });
    extra.push(m);
    expect(m.someQueueEmpty()).toBe(false);
  });

  it('drops the oldest received message beyond recvCapacity and counts it', async () => {
    const m = await mesh([1n, 2n], { recvCapacity: 3 });
    current = m;
    const small = await m.launch(1n);
    const big = await m.launch(2n);
    await waitFor(() => meshFormed([small, big]), 'pair');
    // Consume the hellos, then send more than fit: only the newest three stay.
    await waitFor(() => small.peerTable().get(2n)!.messagesIn >= 1, 'hello');
    while ((await small.poll(0)) !== null);
    const drops = small.stats().recvDrops;
    for (let i = 0; i < 5; i++) small.send(1n, bytes(`m${i}`));
    await waitFor(() => small.stats().recvDrops === drops + 2, 'two drops');
    const got: string[] = [];
    for (let i = 0; i < 3; i++) got.push(text((await small.poll(1000))!.payload));
    expect(got).toEqual(['m2', 'm3', 'm4']);
  });

  it('flags messages from sids outside the voter set', async () => {
    const m = await mesh([1n, 2n, 9n], { voters: new Set([1n, 2n]) });
    current = m;
    const one = await m.launch(1n);
    const flags = new Map<bigint, boolean>();
    one.on('message', (sid, _p, meta) => flags.set(sid, meta.fromNonVoter));
    await m.launch(2n);
    await m.launch(9n);
    await waitFor(() => flags.has(2n) && flags.has(9n), 'messages from 2 and 9');
    expect(flags.get(2n)).toBe(false);
    expect(flags.get(9n)).toBe(true);
    expect(one.peerTable().get(9n)!.nonVoter).toBe(true);
  });

  it('ends async iteration and pending polls on halt', async () => {
    const [p] = await freePorts(1);
    const m = new QuorumCnxManager({ myid: 1n, listen: loopback(p!) });
    await m.start();
    m.send(1n, bytes('x'));
    const seen: string[] = [];
    const loop = (async () => {
      for await (const msg of m) seen.push(text(msg.payload));
    })();
    await waitFor(() => seen.length === 1, 'the loopback message');
    const pending = m.poll();
    await m.halt();
    await loop;
    expect(await pending).toBeNull();
  });
});
