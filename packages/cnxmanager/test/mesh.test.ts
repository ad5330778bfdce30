// Acceptance 1: a full mesh forms exactly one connection per pair, initiated by the larger sid,
// for every start order of 3 managers, a sample of orders of 5, and a restart (PROTOCOL.md 1.4).

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { bytes, meshFormed, mesh, waitFor, type Mesh } from './helpers.js';

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

let current: Mesh | null = null;
afterEach(async () => {
  await current?.haltAll();
  current = null;
});

async function startInOrder(sids: bigint[], order: bigint[]): Promise<Mesh> {
  const m = await mesh(sids);
  current = m;
  for (const sid of order) await m.launch(sid);
  await waitFor(() => meshFormed(m.managers.values()), `a mesh of ${sids.join(',')} started as ${order.join(',')}`);
  return m;
}

describe('mesh of 3 (servers 1, 3, 5 of the walk-through)', () => {
  const sids = [1n, 3n, 5n];
  for (const order of permutations(sids)) {
    it(`forms one connection per pair when started in order ${order.join(',')}`, async () => {
      const m = await startInOrder(sids, order);
      // Every hello reached its target at least once (re-sends on reconnect may duplicate it).
      for (const [sid, manager] of m.managers) {
        await waitFor(() => [...manager.peerTable().values()].every((p) => p.messagesIn >= 1), `hellos at ${sid}`);
      }
    });
  }

  it('forms the mesh when 1, 3 and 5 start together', async () => {
    const m = await mesh(sids);
    current = m;
    await Promise.all(sids.map((sid) => m.launch(sid)));
    await waitFor(() => meshFormed(m.managers.values()), 'a mesh started together');
  });

  it('forms the mesh when 1 and 5 start first and 3 joins later', async () => {
    const m = await mesh(sids);
    current = m;
    await Promise.all([m.launch(1n), m.launch(5n)]);
    await waitFor(() => meshFormed([m.managers.get(1n)!, m.managers.get(5n)!]), '1-5 connected');
    expect(m.managers.get(1n)!.peerTable().get(3n)!.state).not.toBe('connected');
    await m.launch(3n);
    await waitFor(() => meshFormed(m.managers.values()), 'the mesh after 3 joined');
  });

  it('re-forms the mesh after 1 restarts with the same sid and port', async () => {
    const m = await startInOrder(sids, sids);
    const old = m.managers.get(1n)!;
    const lost = [3n, 5n].map((sid) => new Promise((resolve) => m.managers.get(sid)!.once('disconnected', resolve)));
    await old.halt();
    await Promise.all(lost);
    await m.launch(1n);
    await waitFor(() => meshFormed(m.managers.values()), 'the mesh after restarting 1');
    const restarted = m.managers.get(1n)!;
    await waitFor(() => restarted.peerTable().get(5n)!.messagesIn >= 1, 'a message from 5 at the restarted 1');
  });
});

describe('mesh of 5', () => {
  const sids = [1n, 2n, 3n, 4n, 5n];
  const orders = [
    [1n, 2n, 3n, 4n, 5n],
    [5n, 4n, 3n, 2n, 1n],
    [3n, 1n, 5n, 2n, 4n],
    [2n, 5n, 1n, 4n, 3n],
    [4n, 2n, 5n, 3n, 1n],
  ];
  for (const order of orders) {
    it(`forms one connection per pair when started in order ${order.join(',')}`, async () => {
      await startInOrder(sids, order);
    });
  }

  it('forms the mesh when all five start together', async () => {
    const m = await mesh(sids);
    current = m;
    await Promise.all(sids.map((sid) => m.launch(sid)));
    await waitFor(() => meshFormed(m.managers.values()), 'a mesh of 5 started together');
  });
});

describe('mesh under random churn', () => {
  // Model-free property: whatever sequence of starts, restarts and dropped connections happens,
  // once every server runs and has announced itself again, exactly one connection per pair remains.
  it('converges to one connection per pair after any sequence of restarts and drops', async () => {
    const sids = [1n, 2n, 3n, 4n];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('restart' as const), sid: fc.constantFrom(...sids) }),
      fc.record({ kind: fc.constant('drop' as const), sid: fc.constantFrom(...sids), other: fc.constantFrom(...sids) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(sids, { minLength: 4, maxLength: 4 }), fc.array(op, { maxLength: 6 }), async (order, ops) => {
        const m = await mesh(sids);
        current = m;
        try {
          for (const sid of order) await m.launch(sid);
          for (const o of ops) {
            if (o.kind === 'restart') {
              await m.managers.get(o.sid)!.halt();
              await m.launch(o.sid);
            } else {
              m.managers.get(o.sid)!.disconnect(o.other);
            }
          }
          // The election would re-send on its notification timeout; do that once for everyone.
          for (const [sid, manager] of m.managers) for (const other of sids) if (other !== sid) manager.send(other, bytes(`again ${sid}`));
          await waitFor(() => meshFormed(m.managers.values()), `mesh after ${order.join(',')} then ${JSON.stringify(ops, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))}`);
        } finally {
          await m.haltAll();
          current = null;
        }
      }),
      { numRuns: 25, seed: 4242 },
    );
  });
});
