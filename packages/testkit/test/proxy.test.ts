import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startProxy, type Proxy } from '../src/index.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1' }, r));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });
  return (server.address() as net.AddressInfo).port;
}

async function proxyTo(port: number): Promise<Proxy> {
  const proxy = await startProxy({ target: { host: '127.0.0.1', port } });
  cleanups.push(() => proxy.close());
  return proxy;
}

interface Client {
  socket: net.Socket;
  received: () => string;
  waitFor: (text: string) => Promise<void>;
  closed: Promise<void>;
}

function connect(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    const listeners = new Set<() => void>();
    socket.on('data', (c: Buffer) => {
      data += c.toString();
      for (const l of listeners) l();
    });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    cleanups.push(async () => {
      socket.destroy();
      await closed;
    });
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => data,
        closed,
        waitFor: (text) =>
          new Promise<void>((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`expected ${JSON.stringify(text)}, got ${JSON.stringify(data)}`)), 5_000);
            const check = (): void => {
              if (data.includes(text)) {
                clearTimeout(timer);
                listeners.delete(check);
                res();
              }
            };
            listeners.add(check);
            check();
          }),
      }),
    );
    socket.once('error', reject);
  });
}

/** Resolves once a connection attempt ends in a reset/close, whether before or after 'connect'. */
function refusedConnection(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
  });
}

describe('startProxy', () => {
  it('forwards both ways and counts bytes and connections', async () => {
    const proxy = await proxyTo(await echoServer());
    const c = await connect(proxy.port);
    c.socket.write('ping');
    await c.waitFor('ping');
    const s = proxy.stats();
    expect(s).toMatchObject({ accepted: 1, active: 1, bytesToTarget: 4, bytesToClient: 4, refused: 0 });
    expect(proxy.state).toBe('forwarding');
  });

  it('cutConnections closes open connections but keeps accepting', async () => {
    const proxy = await proxyTo(await echoServer());
    const c = await connect(proxy.port);
    proxy.cutConnections();
    await c.closed;
    const d = await connect(proxy.port);
    d.socket.write('again');
    await d.waitFor('again');
  });

  it('block closes existing connections and resets new ones until unblock', async () => {
    const proxy = await proxyTo(await echoServer());
    const c = await connect(proxy.port);
    proxy.block();
    await c.closed;
    await refusedConnection(proxy.port);
    expect(proxy.stats().refused).toBe(1);
    proxy.unblock();
    const d = await connect(proxy.port);
    d.socket.write('back');
    await d.waitFor('back');
  });

  it('blackhole swallows bytes without closing; unblock drops the damaged connections', async () => {
    const proxy = await proxyTo(await echoServer());
    const c = await connect(proxy.port);
    c.socket.write('a');
    await c.waitFor('a');
    proxy.blackhole();
    const fresh = await connect(proxy.port);
    // Bytes reach the proxy and are dropped; wait on the proxy's counter, not on time.
    c.socket.write('lost');
    fresh.socket.write('gone');
    for (let i = 0; i < 500 && proxy.stats().bytesDropped < 8; i++) await new Promise((r) => setTimeout(r, 5));
    expect(proxy.stats().bytesDropped).toBe(8);
    expect(c.received()).toBe('a');
    expect(proxy.stats().active).toBe(2);
    proxy.unblock();
    await Promise.all([c.closed, fresh.closed]);
    const d = await connect(proxy.port);
    d.socket.write('ok');
    await d.waitFor('ok');
  });

  it('a one-way blackhole drops only the chosen direction', async () => {
    const proxy = await proxyTo(await echoServer());
    const c = await connect(proxy.port);
    proxy.blackhole('toClient');
    expect(proxy.direction).toBe('toClient');
    c.socket.write('echo-me');
    // The target gets the bytes (counted toTarget) and its echo is swallowed.
    for (let i = 0; i < 500 && proxy.stats().bytesDropped < 7; i++) await new Promise((r) => setTimeout(r, 5));
    expect(proxy.stats()).toMatchObject({ bytesToTarget: 7, bytesToClient: 0, bytesDropped: 7 });
    expect(c.received()).toBe('');
    const fresh = await connect(proxy.port);
    fresh.socket.write('xy');
    for (let i = 0; i < 500 && proxy.stats().bytesDropped < 9; i++) await new Promise((r) => setTimeout(r, 5));
    expect(proxy.stats()).toMatchObject({ bytesToTarget: 9, bytesDropped: 9 });
  });

  it('closes the client when the target refuses', async () => {
    const proxy = await proxyTo(1); // nothing listens on port 1 of loopback
    const c = await connect(proxy.port);
    await c.closed;
    expect(proxy.stats().active).toBe(0);
  });
});
