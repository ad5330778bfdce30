// A learner whose chosen leader decided for someone else (FLE can split transiently) must not sit
// out initLimit: real peers answer NOT_LEADING with their own state, and the learner leaves at once.

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FollowerSession } from '../src/epoch/follower.js';
import { QuorumFrameDecoder, encodeQuorumMessage, type QuorumMessage } from '../src/epoch/messages.js';
import { Ensemble } from './helpers/ensemble.js';
import { context, MemoryEpochs } from './helpers/epoch-harness.js';
import { ManualClock } from './helpers/manual-clock.js';
import { once, until } from './helpers/wait.js';

let ensemble: Ensemble | undefined;
const stops: Array<() => void> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await ensemble?.close();
  ensemble = undefined;
});

/** Sends one FOLLOWERINFO to a quorum port and returns the single answer. */
async function ask(port: number, sid: bigint): Promise<QuorumMessage[]> {
  const socket = net.connect({ host: '127.0.0.1', port });
  stops.push(() => socket.destroy());
  const decoder = new QuorumFrameDecoder();
  const out: QuorumMessage[] = [];
  socket.on('data', (chunk: Buffer) => out.push(...decoder.push(chunk)));
  socket.write(encodeQuorumMessage({ type: 'FOLLOWERINFO', role: 'participant', sid, acceptedEpoch: 0n, lastZxid: 0n }));
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return out;
}

describe('a learner whose leader decided for someone else', () => {
  it('three peers: a learner sent to a follower as its leader leaves at once, naming the real leader', async () => {
    ensemble = await Ensemble.create([1n, 2n, 3n]);
    await ensemble.start(3n);
    const p1 = await ensemble.start(1n);
    await ensemble.start(2n);
    const { leader } = await ensemble.settled();
    expect(leader).toBe(3n);

    // Peer 2 as it would be after a split vote: it decided FOLLOWING 1 while 1 follows 3. Its
    // session is driven by hand (a manual clock that never moves), so only the reject can end it.
    const clock = new ManualClock();
    const endpoint = ensemble.verifier.members.get(1n)?.addresses[0];
    const session = new FollowerSession(context(2n, ensemble.verifier, clock, new MemoryEpochs()), {
      leader: 1n,
      role: 'participant',
      endpoints: [{ host: '127.0.0.1', port: endpoint?.quorumPort as number }],
      round: p1.round,
      lookingGraceMs: 1000,
    });
    stops.push(() => session.stop('test over'));
    const lost = once<[string]>(session, 'lost');
    session.start();
    expect((await lost)[0]).toBe(`leader 1 is FOLLOWING 3 (round ${p1.round}), not leading`);
    // The real ensemble is undisturbed.
    await ensemble.settled();
  });

  it('a peer still LOOKING answers NOT_LEADING with its state and round', async () => {
    ensemble = await Ensemble.create([1n, 2n, 3n]);
    const p1 = await ensemble.start(1n);
    await until(() => p1.round >= 1n, 'first round');
    const answer = await ask(p1.quorumAddress.port, 2n);
    expect(answer).toEqual([{ type: 'REJECT', reason: 1, status: { state: 'LOOKING', leader: null, round: p1.round } }]);
  });
});
