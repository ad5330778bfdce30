import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fourLetterWord } from '@zkvote/testkit';
import { fourLetterReply, startFourLetterServer } from '../src/fourletter.js';
import { closeServer, listen, trackConnections } from '../src/listen.js';
import { observed } from './observers.js';

const NOT_SERVING = 'This ZooKeeper instance is not currently serving requests\n';
const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

describe('fourLetterReply', () => {
  it('answers ruok always and the rest only while serving, as ZooKeeper does', () => {
    const { ctx, peer } = observed();
    expect(fourLetterReply('ruok', ctx)).toBe('imok');
    expect(fourLetterReply('srvr', ctx)).toBe(NOT_SERVING);
    expect(fourLetterReply('mntr', ctx)).toBe(NOT_SERVING);
    expect(fourLetterReply('isro', ctx)).toBe('null');
    peer.update({ zxid: 0x100000000n });
    peer.decide('FOLLOWING', 3n);
    const srvr = fourLetterReply('srvr', ctx)!;
    expect(srvr).toMatch(/^Zookeeper version: .*\nLatency min\/avg\/max: 0\/0\.0\/0\nReceived: \d+\nSent: \d+\nConnections: \d+\nOutstanding: 0\nZxid: 0x100000000\nMode: follower\nNode count: 0\n$/);
    expect(fourLetterReply('isro', ctx)).toBe('rw');
  });

  it('prints Mode: leader with the proposal-size line, and stat lists the client', () => {
    const { ctx, peer } = observed();
    peer.decide('LEADING', 2n);
    expect(fourLetterReply('srvr', ctx)).toMatch(/Mode: leader\nNode count: 0\nProposal sizes last\/min\/max: -1\/-1\/-1\n$/);
    expect(fourLetterReply('stat', ctx, '127.0.0.1:5555')).toMatch(/\nClients:\n \/127\.0\.0\.1:5555\[0\]\(queued=0,recved=1,sent=0\)\n\nLatency/);
  });

  it('mntr uses ZooKeeper keys, tab-separated', () => {
    const { ctx, peer, clock } = observed();
    clock.t += 150;
    peer.decide('LEADING', 2n);
    peer.update({ learners: [1n, 3n], establishedEpoch: 4n, messages: { sent: 9, received: 7 } });
    const mntr = fourLetterReply('mntr', ctx)!;
    expect(mntr).toContain('zk_server_state\tleader\n');
    expect(mntr).toContain('zk_peer_state\tleading - broadcast\n');
    expect(mntr).toContain('zk_quorum_size\t3\n');
    expect(mntr).toContain('zk_learners\t2\n');
    expect(mntr).toContain('zk_synced_followers\t2\n');
    expect(mntr).toContain('zkvote_established_epoch\t4\n');
    expect(mntr).toContain('zk_avg_election_time\t150.0\nzk_min_election_time\t150\nzk_max_election_time\t150\nzk_cnt_election_time\t1\nzk_sum_election_time\t150\n');
    expect(mntr).toContain('zkvote_notifications_sent\t9\n');
    expect(mntr.split('\n').filter((l) => l !== '').every((l) => /^[a-z_]+\t.+$/.test(l))).toBe(true);
  });

  it('conf lists the settings and the membership text without a trailing newline', () => {
    const { ctx, peer } = observed();
    peer.decide('FOLLOWING', 3n);
    const conf = fourLetterReply('conf', ctx)!;
    expect(conf).toMatch(/^clientPort=21812\n/);
    expect(conf).toContain('\nserverId=2\n');
    expect(conf).toContain('\nelectionPort=38882\nquorumPort=28882\npeerType=0\nmembership: \nserver.1=127.0.0.1:28881:38881:participant\n');
    expect(conf.endsWith('version=0')).toBe(true);
  });

  it('honours the whitelist with ZooKeeper\'s message and closes on unknown words', () => {
    const { ctx } = observed({ whitelist: new Set(['srvr']) });
    expect(fourLetterReply('stat', ctx)).toBe('stat is not executed because it is not in the whitelist.\n');
    expect(fourLetterReply('ruok', ctx)).toBe('ruok is not executed because it is not in the whitelist.\n');
    expect(fourLetterReply('xyzw', ctx)).toBeNull();
    expect(fourLetterReply('\u0000\u0000\u0000\u002c', ctx)).toBeNull();
  });
});

async function serve(opts: { readTimeoutMs?: number } = {}) {
  const o = observed();
  const server = trackConnections(startFourLetterServer({ host: '127.0.0.1', port: 0, ctx: o.ctx, ...opts }));
  servers.push(server);
  const port = await listen(server, '127.0.0.1', 0, 'client');
  return { ...o, port };
}

function exchange(port: number, chunks: Buffer[]): Promise<{ reply: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const got: Buffer[] = [];
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
    });
    socket.on('data', (d: Buffer) => got.push(d));
    socket.on('error', () => undefined);
    socket.once('close', () => resolve({ reply: Buffer.concat(got).toString('latin1'), closed: true }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error('no close within 5 s'));
    }, 5_000).unref();
  });
}

describe('four-letter word listener', () => {
  it('answers over TCP, reading only the first four bytes (split across segments too)', async () => {
    const { port, peer } = await serve();
    peer.decide('FOLLOWING', 3n);
    expect(await fourLetterWord(port, 'ruok')).toBe('imok');
    expect(await fourLetterWord(port, 'ruokextra')).toBe('imok');
    expect((await exchange(port, [Buffer.from('sr'), Buffer.from('vr')])).reply).toMatch(/Mode: follower/);
  });

  it('closes on garbage without a reply, and on a client that never finishes the word', async () => {
    const { port, ctx } = await serve({ readTimeoutMs: 100 });
    expect(await exchange(port, [Buffer.from([0, 0, 0, 0x2c, 0, 0, 0, 0])])).toEqual({ reply: '', closed: true });
    expect(await exchange(port, [Buffer.from('sr')])).toEqual({ reply: '', closed: true });
    expect(await exchange(port, [])).toEqual({ reply: '', closed: true });
    expect(await fourLetterWord(port, 'ruok')).toBe('imok');
    expect(ctx.stats.connections).toBeGreaterThanOrEqual(0);
  });
});
