// Acceptance 6: mutual TLS (ZooKeeper's sslQuorum). Managers with certificates from one CA talk;
// clients without a certificate, with a foreign one, or speaking plain TCP are rejected and
// counted. Certificates are made per run with the openssl CLI; without it the suite skips.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildHandshake } from '@zkvote/wire';
import { QuorumCnxManager, type CnxTlsOptions } from '../src/index.js';
import { bytes, freePorts, loopback, ManualClock, RawClient, text, waitFor } from './helpers.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const opensslOk = hasOpenssl();
if (!opensslOk) console.warn('[cnxmanager] skipping TLS tests: the openssl CLI is not installed');

interface Pki {
  dir: string;
  ca: Buffer;
  node: (name: string) => { key: Buffer; cert: Buffer };
  foreign: { key: Buffer; cert: Buffer };
}

function makePki(): Pki {
  const dir = mkdtempSync(path.join(tmpdir(), 'zkvote-cnx-tls-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ca = (name: string) => {
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`);
  };
  const leaf = (name: string, caName: string) => {
    writeFileSync(
      path.join(dir, `${name}.ext`),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
    );
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.pem`, '-CAkey', `${caName}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
    return { key: readFileSync(path.join(dir, `${name}.key`)), cert: readFileSync(path.join(dir, `${name}.pem`)) };
  };
  ca('ca');
  ca('rogue-ca');
  const nodes = new Map([
    ['node', leaf('node', 'ca')],
  ]);
  const foreign = leaf('intruder', 'rogue-ca');
  return { dir, ca: readFileSync(path.join(dir, 'ca.pem')), node: (n) => nodes.get(n) ?? nodes.get('node')!, foreign };
}

describe.skipIf(!opensslOk)('mutual TLS', () => {
  let pki: Pki;
  const managers: QuorumCnxManager[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(() => {
    pki = makePki();
  });
  afterAll(() => {
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((f) => f()));
    await Promise.all(managers.splice(0).map((m) => m.halt()));
  });

  function tlsOptions(): CnxTlsOptions {
    const { key, cert } = pki.node('node');
    return { key, cert, ca: pki.ca };
  }

  async function tlsPair(extra: { clock?: ManualClock; peersExtra?: Map<bigint, { host: string; port: number }> } = {}) {
    const [p1, p2] = (await freePorts(2)) as [number, number];
    const peers = new Map([
      [1n, loopback(p1)],
      [2n, loopback(p2)],
      ...(extra.peersExtra ?? new Map()),
    ]);
    const one = new QuorumCnxManager({ myid: 1n, listen: loopback(p1), peers, tls: tlsOptions() });
    const two = new QuorumCnxManager({ myid: 2n, listen: loopback(p2), peers, tls: tlsOptions(), ...(extra.clock ? { clock: extra.clock } : {}) });
    managers.push(one, two);
    await Promise.all([one.start(), two.start()]);
    return { one, two };
  }

  it('exchanges messages over mutually authenticated TLS, with the tie-break intact', async () => {
    const { one, two } = await tlsPair();
    const atOne: string[] = [];
    const atTwo: string[] = [];
    one.on('message', (_s, p) => atOne.push(text(p)));
    two.on('message', (_s, p) => atTwo.push(text(p)));
    one.send(2n, bytes('from 1'));
    two.send(1n, bytes('from 2'));
    await waitFor(() => atOne.includes('from 2') && atTwo.includes('from 1'), 'both messages over TLS');
    expect(two.peerTable().get(1n)!.direction).toBe('outgoing');
    expect(one.peerTable().get(2n)!.direction).toBe('incoming');
    await waitFor(() => one.stats().openSockets === 1 && two.stats().openSockets === 1, 'one socket per side');
  });

  it('rejects clients without a certificate, with a foreign one, or in plain TCP', async () => {
    const { one, two } = await tlsPair();
    const port = one.address().port;
    const attempts: Array<{ opts: tls.ConnectionOptions }> = [
      { opts: { ca: pki.ca } },
      { opts: { ca: pki.ca, key: pki.foreign.key, cert: pki.foreign.cert } },
    ];
    for (const { opts } of attempts) {
      const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...opts });
      s.on('error', () => undefined);
      const closed = new Promise((resolve) => s.once('close', resolve));
      // With TLS 1.3 the client may believe it is connected before the server checks it.
      s.on('secureConnect', () => s.write(buildHandshake({ sid: 7n, addresses: [loopback(1)], protocol: 'v1' })));
      await closed;
    }
    const plain = new RawClient(port);
    cleanups.push(() => plain.destroy());
    await plain.connected();
    plain.write(buildHandshake({ sid: 7n, addresses: [loopback(1)], protocol: 'v1' }));
    await waitFor(() => plain.closed, 'the plain-TCP client to be closed');
    await waitFor(() => one.stats().rejections['tls-error'] === 3, 'three TLS rejections');
    expect(one.peerTable().has(7n)).toBe(false);
    // The authenticated peer still gets through.
    const atOne: string[] = [];
    one.on('message', (_s, p) => atOne.push(text(p)));
    two.send(1n, bytes('still here'));
    await waitFor(() => atOne.includes('still here'), 'the real peer after the rejections');
  });

  it('times out a dial whose TLS handshake never completes, without delaying live peers', async () => {
    // A TCP listener that accepts and never speaks: the TLS dial hangs until connectTimeoutMs.
    const mute = net.createServer((s) => s.on('error', () => undefined));
    const sockets: net.Socket[] = [];
    mute.on('connection', (s) => sockets.push(s));
    mute.listen(0, '127.0.0.1');
    await once(mute, 'listening');
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => mute.close(r));
    });
    const clock = new ManualClock();
    const { one, two } = await tlsPair({ clock, peersExtra: new Map([[0n, loopback((mute.address() as net.AddressInfo).port)]]) });
    const atOne: string[] = [];
    one.on('message', (_s, p) => atOne.push(text(p)));
    two.send(0n, bytes('into the void'));
    for (let i = 0; i < 5; i++) two.send(1n, bytes(`live ${i}`));
    await waitFor(() => atOne.includes('live 4'), 'the live peer got the newest message');
    expect(two.peerTable().get(0n)!.state).toBe('connecting');
    clock.advance(5000);
    await waitFor(() => two.peerTable().get(0n)!.state === 'idle', 'the hung dial to time out');
    expect(two.peerTable().get(0n)!.lastError).toMatch(/^connect-timeout/);
    expect(two.stats().connectFailures).toBe(1);
  });
});
