import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { adminCommand } from '@zkvote/testkit';
import { createAdminServer } from '../src/admin.js';
import { closeServer, listen, trackConnections } from '../src/listen.js';
import { observed } from './observers.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

async function serve(opts: { maxStreams?: number } = {}) {
  const o = observed();
  const server = trackConnections(createAdminServer({ ctx: o.ctx, ...opts }));
  servers.push(server);
  const port = await listen(server, '127.0.0.1', 0, 'admin');
  return { ...o, port };
}

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('admin API', () => {
  it('answers ZooKeeper commands with ZooKeeper field names once serving', async () => {
    const { port, peer } = await serve();
    peer.decide('FOLLOWING', 3n);
    expect(await adminCommand(port, 'ruok')).toEqual({ command: 'ruok', error: null });
    expect(await adminCommand(port, 'leader')).toEqual({ is_leader: false, leader_id: 3, leader_ip: '127.0.0.1', command: 'leader', error: null });
    expect(await adminCommand(port, 'lead')).toMatchObject({ command: 'leader', leader_id: 3 });
    const view = (await adminCommand(port, 'voting_view')) as { current_config: Record<string, unknown> };
    expect(view.current_config['2']).toEqual({
      server_addresses: ['127.0.0.1:28882'],
      election_addresses: ['127.0.0.1:38882'],
      client_address: '127.0.0.1:21812',
      learner_type: 'participant',
    });
    expect(view.current_config['1']).toMatchObject({ client_address: '' });
    const srvr = (await adminCommand(port, 'srvr')) as Record<string, unknown>;
    expect(srvr).toMatchObject({ command: 'server_stats', error: null, read_only: false, node_count: 0 });
    expect(srvr.server_stats).toMatchObject({ server_state: 'follower', last_processed_zxid: 0 });
    expect(await adminCommand(port, 'zabstate')).toMatchObject({
      myid: 2,
      is_leader: false,
      voting: true,
      last_zxid: '0x0',
      zabstate: 'discovery',
      command: 'zabstate',
      error: null,
    });
    expect(await adminCommand(port, 'conf')).toMatchObject({ command: 'configuration', server_id: 2, tick_time: 2000, client_port: 21812 });
    expect(await adminCommand(port, 'mntr')).toMatchObject({ command: 'monitor', server_state: 'follower', quorum_size: 3 });
  });

  it('answers like a ZooKeeper that is not serving while LOOKING, except zabstate and election', async () => {
    const { port } = await serve();
    const notServing = 'This ZooKeeper instance is not currently serving requests';
    for (const c of ['ruok', 'leader', 'voting_view', 'srvr']) {
      expect(await get(port, `/commands/${c}`)).toEqual({ status: 200, body: { command: c, error: notServing } });
    }
    expect((await get(port, '/commands/zabstate')).body).toEqual({ voting: false, zabstate: '', command: 'zabstate', error: null });
    expect((await get(port, '/commands/election')).body).toMatchObject({ state: 'LOOKING', sid: 2, command: 'election', error: null });
  });

  it('reports the election view: proposal, votes by sid, epochs and counters', async () => {
    const { port, peer, clock } = await serve();
    peer.update({
      recvset: new Map([
        [3n, { leader: 3n, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n, state: 'LOOKING' }],
        [1n, { leader: 3n, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n, state: 'LOOKING' }],
      ]),
      connections: [{ sid: 1n, connected: true }, { sid: 3n, connected: false }],
      messages: { sent: 4, received: 6 },
    });
    clock.t += 250;
    peer.decide('FOLLOWING', 3n);
    peer.update({ establishedEpoch: 1n, currentEpoch: 1n, acceptedEpoch: 1n });
    const e = (await get(port, '/commands/election')).body as Record<string, unknown>;
    expect(e).toMatchObject({
      sid: 2,
      state: 'FOLLOWING',
      leader: 3,
      round: 1,
      current_vote: { leader: 3, zxid: '0x0', election_epoch: 1, peer_epoch: 0 },
      established_epoch: 1,
      last_election_ms: 250,
      election_count: 1,
      looking_count: 1,
      messages: { sent: 4, received: 6 },
      quorum_size: 3,
      command: 'election',
      error: null,
    });
    expect(Object.keys((e.votes as { recvset: object }).recvset)).toEqual(['1', '3']);
    expect(e.connections).toEqual([{ sid: 1, connected: true }, { sid: 3, connected: false }]);
    expect((await get(port, '/commands/zabstate')).body).toMatchObject({ zabstate: 'broadcast', zab_epoch: 1 });
  });

  it('answers unknown commands, bad paths and other methods with JSON errors', async () => {
    const { port } = await serve();
    expect(await get(port, '/commands/nonexistent')).toEqual({ status: 404, body: { command: 'nonexistent', error: 'Unknown command: nonexistent' } });
    expect((await get(port, '/x/y')).status).toBe(404);
    expect((await get(port, '/commands/%E0%A4%A')).status).toBe(404);
    expect((await get(port, '/commands/ruok', 'POST')).status).toBe(405);
    expect((await get(port, '/commands')).body).toMatchObject({ commands: expect.arrayContaining(['leader', 'election', 'events']) });
  });
});

interface Received {
  events: Array<{ event: string; data: Record<string, unknown> }>;
  close(): void;
  next(pred: (e: { event: string; data: Record<string, unknown> }) => boolean): Promise<{ event: string; data: Record<string, unknown> }>;
}

function subscribe(port: number, query = ''): Promise<Received> {
  return new Promise((resolve, reject) => {
    const events: Received['events'] = [];
    const waiters: Array<{ pred: (e: Received['events'][number]) => boolean; resolve: (e: Received['events'][number]) => void }> = [];
    const req = http.get({ host: '127.0.0.1', port, path: `/commands/events${query}` }, (res) => {
      let buf = '';
      const ndjson = query.includes('ndjson');
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        const sep = ndjson ? '\n' : '\n\n';
        let i: number;
        while ((i = buf.indexOf(sep)) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + sep.length);
          let ev: Received['events'][number] | null = null;
          if (ndjson) {
            const data = JSON.parse(block) as Record<string, unknown>;
            ev = { event: String(data.kind), data };
          } else if (!block.startsWith(':')) {
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
            const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Record<string, unknown>;
            ev = { event, data };
          }
          if (ev === null) continue;
          events.push(ev);
          for (const w of [...waiters]) if (w.pred(ev)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(ev);
          }
        }
      });
      resolve({
        events,
        close: () => req.destroy(),
        next: (pred) => {
          const found = events.find(pred);
          if (found) return Promise.resolve(found);
          return new Promise((res2, rej2) => {
            waiters.push({ pred, resolve: res2 });
            setTimeout(() => rej2(new Error('event not seen within 5 s')), 5_000).unref();
          });
        },
      });
    });
    req.on('error', reject);
  });
}

describe('event stream', () => {
  it('starts with a snapshot, then streams state, vote, election and epoch events (SSE)', async () => {
    const { port, peer, clock } = await serve();
    const sub = await subscribe(port);
    try {
      const snap = await sub.next((e) => e.event === 'snapshot');
      expect(snap.data).toMatchObject({ kind: 'snapshot', state: 'LOOKING', sid: 2 });
      peer.electionEvent({ kind: 'received', sid: 3n, notification: { state: 0, leader: 3n } });
      peer.update({ proposal: { leader: 3n, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n } });
      clock.t += 40;
      peer.decide('FOLLOWING', 3n);
      peer.update({ establishedEpoch: 1n });
      expect((await sub.next((e) => e.event === 'received')).data).toMatchObject({ myid: 2, sid: 3, kind: 'received', notification: { leader: 3 } });
      expect((await sub.next((e) => e.event === 'vote')).data).toMatchObject({ vote: { leader: 3 } });
      expect((await sub.next((e) => e.event === 'state')).data).toMatchObject({ from: 'LOOKING', to: 'FOLLOWING', leader: 3 });
      expect((await sub.next((e) => e.event === 'elected')).data).toMatchObject({ state: 'FOLLOWING', electionMs: 40 });
      expect((await sub.next((e) => e.event === 'epoch')).data).toMatchObject({ epoch: 1 });
    } finally {
      sub.close();
    }
  });

  it('replays the events after ?since=<seq> behind the snapshot', async () => {
    const { port, peer } = await serve();
    peer.decide('LEADING', 2n);
    const sub = await subscribe(port, '?format=ndjson&since=0');
    try {
      const elected = await sub.next((e) => e.event === 'elected');
      expect(elected.data).toMatchObject({ state: 'LEADING', leader: 2 });
      expect(sub.events[0]!.event).toBe('snapshot');
      expect(sub.events.some((e) => e.data.seq === 0)).toBe(false);
    } finally {
      sub.close();
    }
  });

  it('speaks NDJSON with ?format=ndjson and limits concurrent streams', async () => {
    const { port, peer } = await serve({ maxStreams: 1 });
    const sub = await subscribe(port, '?format=ndjson');
    try {
      await sub.next((e) => e.event === 'snapshot');
      expect((await get(port, '/commands/events')).status).toBe(503);
      peer.decide('LEADING', 2n);
      expect((await sub.next((e) => e.event === 'elected')).data).toMatchObject({ state: 'LEADING', leader: 2 });
    } finally {
      sub.close();
    }
  });
});
