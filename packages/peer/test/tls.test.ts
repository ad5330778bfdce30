// Mutual TLS on both ports (sslQuorum): three peers with certificates from one CA elect and
// establish an epoch; a plain-TCP FOLLOWERINFO on the quorum port gets nowhere. Certificates are
// made per run with the openssl CLI; without it the suite skips.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CnxTlsOptions } from '../src/index.js';
import { encodeQuorumMessage } from '../src/index.js';
import { Ensemble } from './helpers/ensemble.js';
import { until } from './helpers/wait.js';

function opensslWorks(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const haveOpenssl = opensslWorks();

function makeCerts(dir: string): CnxTlsOptions {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=zkvote-test-ca');
  writeFileSync(path.join(dir, 'node.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'node.key', '-out', 'node.csr', '-subj', '/CN=node');
  run('x509', '-req', '-in', 'node.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'node.pem', '-days', '2', '-extfile', 'node.ext');
  const read = (f: string) => readFileSync(path.join(dir, f));
  return { key: read('node.key'), cert: read('node.pem'), ca: read('ca.pem') };
}

describe.skipIf(!haveOpenssl)('mutual TLS on election and quorum ports', () => {
  let dir: string;
  let tls: CnxTlsOptions;
  let ensemble: Ensemble | undefined;
  const sockets: net.Socket[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'zkvote-peer-tls-'));
    tls = makeCerts(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await ensemble?.close();
    ensemble = undefined;
  });

  it('three peers elect and establish over TLS; plain TCP on the quorum port is refused', async () => {
    ensemble = await Ensemble.create([1n, 2n, 3n], { extra: { tls } });
    await ensemble.start(3n);
    const p1 = await ensemble.start(1n);
    await until(() => p1.state === 'FOLLOWING', '1 following', 10_000);
    await ensemble.start(2n);
    expect(await ensemble.settled()).toEqual({ leader: 3n, epoch: 1n });

    const leader = ensemble.peers.get(3n)!;
    const plain = net.connect({ host: '127.0.0.1', port: leader.quorumAddress.port });
    sockets.push(plain);
    plain.on('error', () => {});
    plain.write(encodeQuorumMessage({ type: 'FOLLOWERINFO', role: 'participant', sid: 2n, acceptedEpoch: 0n, lastZxid: 0n }));
    await new Promise<void>((resolve) => plain.once('close', () => resolve()));
    expect(leader.state).toBe('LEADING');
    expect(leader.electionInfo().session).toMatchObject({ kind: 'leader', phase: 'established' });
  });
});
