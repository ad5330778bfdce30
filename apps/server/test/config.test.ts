import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '@zkvote/testkit';
import { loadServerConfig } from '../src/config.js';
import { ServerError } from '../src/errors.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('zkvote-server-cfg-');
});
afterEach(async () => {
  await dir.cleanup();
});

async function write(lines: string[], myid: string | null = '2'): Promise<string> {
  const dataDir = path.join(dir.path, 'data');
  await mkdir(dataDir, { recursive: true });
  if (myid !== null) await writeFile(path.join(dataDir, 'myid'), `${myid}\n`);
  const file = path.join(dir.path, 'zoo.cfg');
  await writeFile(file, [...lines.map((l) => l.replace('DATA', dataDir)), ''].join('\n'));
  return file;
}

const BASE = [
  'tickTime=2000',
  'initLimit=10',
  'syncLimit=5',
  'dataDir=DATA',
  'clientPort=21811',
  'clientPortAddress=127.0.0.1',
  'server.1=127.0.0.1:28881:38881',
  'server.2=127.0.0.1:28882:38882',
  'server.3=127.0.0.1:28883:38883:observer',
];

function failure(file: string): ServerError {
  try {
    loadServerConfig(file);
  } catch (e) {
    if (ServerError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected loadServerConfig to throw');
}

describe('loadServerConfig', () => {
  it('turns zoo.cfg and myid into addresses, limits and ZooKeeper defaults', async () => {
    const c = loadServerConfig(await write(BASE));
    expect(c.myid).toBe(2n);
    expect(c.learnerType).toBe('participant');
    expect(c.electionAddress).toEqual({ host: '127.0.0.1', port: 38882 });
    expect(c.quorumAddress).toEqual({ host: '127.0.0.1', port: 28882 });
    expect(c.clientAddress).toEqual({ host: '127.0.0.1', port: 21811 });
    expect(c.adminAddress).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.metricsAddress).toBeNull();
    expect(c.fourLetterWhitelist).toEqual(new Set(['srvr']));
    expect([c.tickTime, c.initLimit, c.syncLimit]).toEqual([2000, 10, 5]);
    expect([...c.verifier.votingMembers.keys()]).toEqual([1n, 2n]);
    expect(c.zkvotePeers).toBeNull();
    expect(c.fastDecision).toBe(true);
    expect([c.minNotificationIntervalMs, c.maxNotificationIntervalMs]).toEqual([200, 60_000]);
    expect(c.logLevel).toBe('info');
    expect(c.tls).toBeNull();
    expect(c.peer).toMatchObject({
      myid: 2n,
      dataDir: path.join(dir.path, 'data'),
      electionAddress: { host: '127.0.0.1', port: 38882 },
      quorumAddress: { host: '127.0.0.1', port: 28882 },
      tickTime: 2000,
      initLimit: 10,
      syncLimit: 5,
      fastDecision: true,
      multiAddress: false,
      election: { minNotificationIntervalMs: 200, maxNotificationIntervalMs: 60_000 },
    });
    expect(c.peer.verifier).toBe(c.verifier);
    expect(c.peer.zkvotePeers).toBeUndefined();
  });

  it('reads PEM stores for sslQuorum and names the key when one is missing or not PEM', async () => {
    const pem = path.join(dir.path, 'server.pem');
    const ca = path.join(dir.path, 'ca.pem');
    await writeFile(pem, '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n');
    await writeFile(ca, '-----BEGIN CERTIFICATE-----\ny\n-----END CERTIFICATE-----\n');
    const tls = ['sslQuorum=true', `ssl.quorum.keyStore.location=${pem}`, 'ssl.quorum.keyStore.password=pw', `ssl.quorum.trustStore.location=${ca}`];
    const c = loadServerConfig(await write([...BASE, ...tls, 'ssl.quorum.hostnameVerification=false']));
    expect(c.tls).toMatchObject({ passphrase: 'pw', hostnameVerification: false });
    expect(c.tls?.key).toContain('PRIVATE KEY');
    expect(c.tls?.ca).toContain('CERTIFICATE');
    expect(c.peer.tls).toMatchObject({ passphrase: 'pw', hostnameVerification: false });
    expect(failure(await write([...BASE, 'sslQuorum=true'])).message).toMatch(/sslQuorum: sslQuorum=true needs ssl\.quorum\.keyStore\.location/);
    expect(failure(await write([...BASE, ...tls, 'ssl.quorum.trustStore.type=JKS'])).message).toMatch(/ssl\.quorum\.trustStore\.type: expected PEM .*got JKS/);
  });

  it('reads the zkvote.* keys, the admin and metrics settings and the environment', async () => {
    const file = await write([
      ...BASE,
      'zkvote.peers=2, 3',
      'zkvote.fastDecision=false',
      'zkvote.minNotificationInterval=50',
      'zkvote.maxNotificationInterval=800',
      'zkvote.logLevel=debug',
      'admin.serverAddress=0.0.0.0',
      'admin.serverPort=18080',
      '4lw.commands.whitelist=srvr, ruok,mntr',
      'metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider',
      'metricsProvider.httpPort=17000',
    ]);
    const c = loadServerConfig(file, { env: { ZKVOTE_LOG_LEVEL: 'warn' } });
    expect(c.zkvotePeers).toEqual(new Set([2n, 3n]));
    expect(c.peer.zkvotePeers).toEqual(new Set([2n, 3n]));
    expect(c.peer.fastDecision).toBe(false);
    expect(c.fastDecision).toBe(false);
    expect([c.minNotificationIntervalMs, c.maxNotificationIntervalMs]).toEqual([50, 800]);
    expect(c.logLevel).toBe('warn');
    expect(c.adminAddress).toEqual({ host: '0.0.0.0', port: 18080 });
    expect(c.fourLetterWhitelist).toEqual(new Set(['srvr', 'ruok', 'mntr']));
    expect(c.metricsAddress).toEqual({ host: '127.0.0.1', port: 17000 });
    expect(loadServerConfig(file, { env: { ZKVOTE_METRICS_PORT: '0' } }).metricsAddress).toBeNull();
  });

  it('honours admin.enableServer=false, zkvote.metricsPort and 4lw *', async () => {
    const c = loadServerConfig(await write([...BASE, 'admin.enableServer=false', 'zkvote.metricsPort=9141', '4lw.commands.whitelist=*']));
    expect(c.adminAddress).toBeNull();
    expect(c.metricsAddress).toEqual({ host: '127.0.0.1', port: 9141 });
    expect(c.fourLetterWhitelist).toBe('*');
  });

  it('knows an observer from its server line', async () => {
    const c = loadServerConfig(await write(BASE, '3'));
    expect(c.learnerType).toBe('observer');
  });

  it('reads the membership from dynamicConfigFile', async () => {
    const dyn = path.join(dir.path, 'zoo.cfg.dynamic.100000000');
    await writeFile(dyn, 'server.1=127.0.0.1:28881:38881\nserver.2=127.0.0.1:28882:38882\nserver.3=127.0.0.1:28883:38883\n');
    const c = loadServerConfig(await write([...BASE.filter((l) => !l.startsWith('server.')), `dynamicConfigFile=${dyn}`]));
    expect(c.verifier.version).toBe(0x100000000n);
    expect([...c.verifier.votingMembers.keys()]).toEqual([1n, 2n, 3n]);
  });

  it('names file, line and key for a bad value', async () => {
    const e = failure(await write([...BASE, 'zkvote.fastDecision=maybe']));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toMatch(/zoo\.cfg:10: zkvote\.fastDecision: expected true or false, got "maybe"/);
    const t = failure(await write(['tickTime=fast', ...BASE.slice(1)]));
    expect(t.message).toMatch(/zoo\.cfg:1: tickTime: expected a 32-bit integer, got "fast"/);
    const u = failure(await write([...BASE, 'zkvote.fastdecision=true']));
    expect(u.message).toMatch(/zkvote\.fastdecision: unknown zkvote setting/);
    const p = failure(await write([...BASE, 'zkvote.peers=2,9']));
    expect(p.message).toMatch(/zkvote\.peers: server id 9 is not in the ensemble/);
    expect(failure(await write([...BASE, 'zkvote.peers=1'])).message).toMatch(/zoo\.cfg:10: zkvote\.peers: expected this server's id 2 among the zkvote peers, got 1/);
    const s = failure(await write([...BASE.slice(0, 6), 'server.1=127.0.0.1:28881', 'server.2=127.0.0.1:28882:38882']));
    expect(s.message).toMatch(/zoo\.cfg:7: server\.1: /);
  });

  it('names the myid file when it is missing, garbled or not a member', async () => {
    expect(failure(await write(BASE, null)).message).toMatch(/myid file .*data\/myid is missing/);
    expect(failure(await write(BASE, 'two')).message).toMatch(/expected one decimal server id, got "two"/);
    const e = failure(await write(BASE, '7'));
    expect(e.code).toBe('MYID');
    expect(e.message).toMatch(/server id 7 is not in the ensemble .*expected one of 1, 2, 3/);
  });

  it('names dataDir when it is missing or not a directory', async () => {
    const file = await write(BASE);
    await writeFile(file, (await import('node:fs')).readFileSync(file, 'utf8').replace(/dataDir=.*/, `dataDir=${dir.path}/nope`));
    const e = failure(file);
    expect(e.code).toBe('DATA_DIR');
    expect(e.message).toMatch(/dataDir .*nope \(.*zoo\.cfg:4\) is not accessible: ENOENT/);
    await writeFile(file, (await import('node:fs')).readFileSync(file, 'utf8').replace(/dataDir=.*/, `dataDir=${file}`));
    expect(failure(file).message).toMatch(/is not a directory/);
  });

  it('names the config file when it cannot be read', () => {
    const e = failure(path.join(dir.path, 'missing.cfg'));
    expect(e.code).toBe('CONFIG_UNREADABLE');
    expect(e.message).toMatch(/cannot read config file .*missing\.cfg: ENOENT/);
  });
});
