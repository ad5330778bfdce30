// A leader cut off from the others (a blackholing proxy: sockets stay open, bytes vanish) steps
// down; the majority side elects a new leader with a higher epoch; once the link heals the old
// leader rejoins as a follower of that epoch.
//
// Topology: the leader is sid 1 (it wins on zxid). Its server.1 line names two proxies (quorum and
// election) while it binds the real ports behind them, so every byte to sid 1 crosses a proxy:
// larger sids keep the election connections they dial, and call sid 1 back at the configured
// (proxied) address it advertises. Sids 2 and 3 talk directly.

import { QuorumMaj, type QuorumServer } from '@zkvote/quorum';
import { startProxy, type Proxy } from '@zkvote/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { Ensemble } from './helpers/ensemble.js';
import { until } from './helpers/wait.js';

let ensemble: Ensemble | undefined;
const proxies: Proxy[] = [];

afterEach(async () => {
  await ensemble?.close();
  ensemble = undefined;
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

async function proxy(port: number): Promise<number> {
  const p = await startProxy({ target: { host: '127.0.0.1', port } });
  proxies.push(p);
  return p.port;
}

describe('partition', () => {
  it('an isolated leader steps down, the majority elects with a higher epoch, the old leader rejoins', async () => {
    ensemble = await Ensemble.create([1n, 2n, 3n]);
    const real = ensemble.verifier.members.get(1n)!.addresses[0]!;
    const proxied = { host: '127.0.0.1', quorumPort: await proxy(real.quorumPort), electionPort: await proxy(real.electionPort) };
    const servers: QuorumServer[] = [...ensemble.verifier.members.values()].map((s) => (s.sid === 1n ? { ...s, addresses: [proxied] } : s));
    const verifier = new QuorumMaj(servers);
    const p1 = await ensemble.start(1n, {
      verifier,
      lastZxid: 5n,
      electionAddress: { host: '127.0.0.1', port: real.electionPort },
      quorumAddress: { host: '127.0.0.1', port: real.quorumPort },
    });
    const p2 = await ensemble.start(2n, { verifier });
    await until(() => p2.state === 'FOLLOWING', '2 following');
    const p3 = await ensemble.start(3n, { verifier });
    expect(await ensemble.settled()).toEqual({ leader: 1n, epoch: 1n });

    for (const p of proxies) p.blackhole();
    await until(() => p1.state === 'LOOKING', 'the isolated leader steps down', 10_000);
    await until(() => p2.leader === 3n && p2.epoch === 2n && p3.epoch === 2n, 'the majority elects 3 with epoch 2', 10_000);
    expect(p1.state).toBe('LOOKING');

    for (const p of proxies) p.unblock();
    expect(await ensemble.settled(15_000)).toEqual({ leader: 3n, epoch: 2n });
    expect(p1.state).toBe('FOLLOWING');
  });
});
