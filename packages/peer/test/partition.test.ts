// A leader cut off from the others (a blackholing proxy: sockets stay open, bytes vanish) steps
// down; the majority side elects a new leader with a higher epoch; once the link heals the old
// leader rejoins as a follower of that epoch.

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

/** The shared membership with some sids' ports replaced, as one peer sees it. */
function view(base: QuorumMaj, replace: Map<bigint, { quorumPort: number; electionPort: number }>): QuorumMaj {
  const servers: QuorumServer[] = [...base.members.values()].map((s) => {
    const r = replace.get(s.sid);
    return r === undefined ? s : { ...s, addresses: [{ host: '127.0.0.1', ...r }] };
  });
  return new QuorumMaj(servers);
}

describe('partition', () => {
  it('an isolated leader steps down, the majority elects with a higher epoch, the old leader rejoins', async () => {
    ensemble = await Ensemble.create([1n, 2n, 3n]);
    const real = (sid: bigint) => ensemble!.verifier.members.get(sid)!.addresses[0]!;
    // Everything to and from 3 goes through proxies; 1 and 2 talk directly.
    const to3 = { quorumPort: await proxy(real(3n).quorumPort), electionPort: await proxy(real(3n).electionPort) };
    const seenBy3 = new Map([
      [1n, { quorumPort: real(1n).quorumPort, electionPort: await proxy(real(1n).electionPort) }],
      [2n, { quorumPort: real(2n).quorumPort, electionPort: await proxy(real(2n).electionPort) }],
    ]);
    const v12 = view(ensemble.verifier, new Map([[3n, to3]]));
    const v3 = view(ensemble.verifier, seenBy3);

    const p3 = await ensemble.start(3n, { verifier: v3 });
    const p1 = await ensemble.start(1n, { verifier: v12 });
    await until(() => p1.state === 'FOLLOWING', '1 following');
    await ensemble.start(2n, { verifier: v12 });
    expect(await ensemble.settled()).toEqual({ leader: 3n, epoch: 1n });

    for (const p of proxies) p.blackhole();
    await until(() => p3.state === 'LOOKING', 'the isolated leader steps down', 10_000);
    await until(() => p1.state === 'FOLLOWING' && p1.leader === 2n && p1.epoch === 2n, 'the majority elects 2 with epoch 2', 10_000);

    for (const p of proxies) p.unblock();
    expect(await ensemble.settled(15_000)).toEqual({ leader: 2n, epoch: 2n });
    expect(p3.state).toBe('FOLLOWING');
  });
});
