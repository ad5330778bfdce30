// Acceptance 4: dead, black-holed and never-reading peers do not delay sends to live peers
// (ZOOKEEPER-2930/-3756: a connect to a dead peer used to block the sender thread).

import net from 'node:net';
import { once } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import { startProxy, type Proxy } from '@zkvote/testkit';
import { QuorumCnxManager } from '../src/index.js';
import { bytes, freePorts, loopback, text, waitFor } from './helpers.js';

const managers: QuorumCnxManager[] = [];
const proxies: Proxy[] = [];
const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.halt()));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

it('keeps delivering to live peers while others are dead, black-holed or never read', async () => {
  const [pm, p3, p4, dead] = (await freePorts(4)) as [number, number, number, number];
  // A listener that accepts and never reads: our writes to it eventually back up.
  const sink = net.createServer((s) => {
    s.pause();
    s.on('error', () => undefined);
    sockets.push(s);
  });
  servers.push(sink);
  sink.listen(0, '127.0.0.1');
  await once(sink, 'listening');
  const live3 = new QuorumCnxManager({ myid: 3n, listen: loopback(p3), peers: new Map([[5n, loopback(pm)]]) });
  const live4 = new QuorumCnxManager({ myid: 4n, listen: loopback(p4), peers: new Map([[5n, loopback(pm)]]) });
  managers.push(live3, live4);
  await Promise.all([live3.start(), live4.start()]);
  // Black holes in front of the live peers' ports: connections open, bytes vanish both ways.
  const holeSmall = await startProxy({ target: loopback(p3) });
  const holeLarge = await startProxy({ target: loopback(p4) });
  proxies.push(holeSmall, holeLarge);
  holeSmall.blackhole();
  holeLarge.blackhole();
  const peers = new Map([
    [0n, loopback((sink.address() as net.AddressInfo).port)],
    [1n, loopback(dead)],
    [2n, loopback(holeSmall.port)],
    [3n, loopback(p3)],
    [4n, loopback(p4)],
    [9n, loopback(holeLarge.port)], // larger than us: we announce ourselves and hang up
  ]);
  const m = new QuorumCnxManager({ myid: 5n, listen: loopback(pm), peers });
  managers.push(m);
  await m.start();
  const at3: string[] = [];
  const at4: string[] = [];
  live3.on('message', (_s, p) => at3.push(text(p).slice(0, 16)));
  live4.on('message', (_s, p) => at4.push(text(p).slice(0, 16)));
  const big = new Uint8Array(256 * 1024);
  for (let round = 0; round < 40; round++) {
    const tag = `round ${String(round).padStart(2, '0')}`;
    big.set(bytes(tag));
    for (const sid of [0n, 1n, 2n, 9n]) m.send(sid, big);
    m.send(3n, bytes(tag));
    m.send(4n, bytes(tag));
    await waitFor(() => at3.includes(tag) && at4.includes(tag), `${tag} at the live peers`);
  }
  const table = m.peerTable();
  expect(table.get(1n)!.lastError).toMatch(/connect-failed/);
  expect(table.get(2n)!.state).toBe('connected'); // through the black hole: writes just vanish
  expect(table.get(9n)!.direction).toBeNull();
  // The never-reading peer backed up: its slot holds only the newest message.
  expect(table.get(0n)!.state).toBe('connected');
  expect(table.get(0n)!.queued).toBe(true);
  expect(table.get(0n)!.messagesOut).toBeLessThan(40);
  expect(m.stats().sendOverwrites).toBeGreaterThan(0);
});
