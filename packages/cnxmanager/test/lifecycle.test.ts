// start/halt: options are validated, halt releases every socket, server and timer (no leaked
// handles), is idempotent, and a halted manager ignores sends and network events.

import net from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CnxError, QuorumCnxManager } from '../src/index.js';
import { bytes, freePorts, loopback, ManualClock, mesh, meshFormed, RawClient, waitFor } from './helpers.js';

function netHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'TLSWrap').length;
}

describe('options', () => {
  const listen = loopback(0);
  it.each([
    ['a non-bigint myid', { myid: 1 as unknown as bigint, listen }],
    ['a port out of range', { myid: 1n, listen: loopback(70000) }],
    ['a zero connect timeout', { myid: 1n, listen, connectTimeoutMs: 0 }],
    ['two advertised addresses with v1', { myid: 1n, listen, advertise: [loopback(1), loopback(2)] }],
    ['a peer without address', { myid: 1n, listen, peers: new Map([[2n, []]]) }],
    ['an unformattable advertised host', { myid: 1n, listen, advertise: [{ host: 'bad host', port: 1 }] }],
  ])('rejects %s with BAD_OPTION', (_name, opts) => {
    const err = (() => {
      try {
        new QuorumCnxManager(opts);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(CnxError.isInstance(err) && err.code).toBe('BAD_OPTION');
  });

  it('rejects empty payloads with BAD_PAYLOAD', () => {
    const m = new QuorumCnxManager({ myid: 1n, listen });
    expect(() => m.send(2n, new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'BAD_PAYLOAD' }));
  });

  it('reports a port already in use as LISTEN_FAILED', async () => {
    const a = new QuorumCnxManager({ myid: 1n, listen });
    await a.start();
    const b = new QuorumCnxManager({ myid: 2n, listen: a.address() });
    await expect(b.start()).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
    await expect(a.start()).rejects.toMatchObject({ code: 'ALREADY_STARTED' });
    await a.halt();
    await b.halt();
  });

  it('v2 advertises several addresses', async () => {
    const [p] = await freePorts(1);
    const m = new QuorumCnxManager({ myid: 1n, listen: loopback(p!), protocol: 'v2', advertise: [loopback(p!), { host: 'localhost', port: p! }] });
    const server = net.createServer();
    const conn = once(server, 'connection');
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    m.setPeers(new Map([[9n, loopback((server.address() as net.AddressInfo).port)]]));
    await m.start();
    m.connectOne(9n);
    const [s] = (await conn) as [net.Socket];
    const chunks: Buffer[] = [];
    s.on('data', (d: Buffer) => chunks.push(d));
    await once(s, 'end');
    const raw = Buffer.concat(chunks);
    expect(raw.readBigInt64BE(0)).toBe(-65535n);
    expect(raw.subarray(20).toString()).toBe(`127.0.0.1:${p}|localhost:${p}`);
    const closed = once(s, 'close');
    s.destroy();
    await closed;
    await m.halt();
    await new Promise((r) => server.close(r));
  });
});

describe('halt', () => {
  it('releases every socket, server and timer', async () => {
    const before = netHandles();
    const clock = new ManualClock();
    const m = await mesh([1n, 2n, 3n], { clock });
    await Promise.all([1n, 2n, 3n].map((sid) => m.launch(sid)));
    await waitFor(() => meshFormed(m.managers.values()), 'mesh');
    const one = m.managers.get(1n)!;
    // Leave a pending handshake, a pending poll and a dial to a dead address behind.
    const silent = await new RawClient(one.address().port).connected();
    await waitFor(() => one.stats().pendingHandshakes === 1, 'pending handshake');
    while ((await one.poll(0)) !== null);
    const poll = one.poll(60_000);
    const [dead] = await freePorts(1);
    one.setPeers(new Map([[0n, loopback(dead!)]]));
    one.connectOne(0n);
    expect(netHandles()).toBeGreaterThan(before);
    await m.haltAll();
    expect(await poll).toBeNull();
    for (const x of m.managers.values()) expect(x.stats().openSockets).toBe(0);
    await waitFor(() => silent.closed, 'the silent client sees the close');
    await silent.destroy();
    // Handles of earlier tests may still be closing, so the count can only have gone down.
    expect(netHandles()).toBeLessThanOrEqual(before);
    expect(clock.pendingTimers).toBe(0);
  });

  it('is idempotent and makes later sends and connects no-ops', async () => {
    const [p] = await freePorts(1);
    const m = new QuorumCnxManager({ myid: 1n, listen: loopback(p!), peers: new Map([[2n, loopback(p!)]]) });
    await m.start();
    await Promise.all([m.halt(), m.halt()]);
    m.send(2n, bytes('late'));
    m.connectAll();
    expect(m.stats().openSockets).toBe(0);
    await expect(m.start()).rejects.toMatchObject({ code: 'HALTED' });
  });
});
