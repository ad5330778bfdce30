import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logPeerChanges, packageLogger } from '../src/logging.js';
import { observed } from './observers.js';

function sink(): { stream: Writable; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

describe('logs', () => {
  it('writes one line per state and vote change and ZooKeeper\'s election-took line', async () => {
    const { stream, lines } = sink();
    const { ctx, peer, clock } = observed();
    const logger = createLogger(stream, 'info', 2n);
    const detach = logPeerChanges(logger, ctx.monitor);
    peer.update({ proposal: { leader: 3n, zxid: 0x200000005n, electionEpoch: 1n, peerEpoch: 2n } });
    clock.t += 321;
    peer.update({ zxid: 0x200000005n });
    peer.decide('FOLLOWING', 3n);
    peer.update({ establishedEpoch: 3n });
    detach();
    await new Promise<void>((r) => logger.flush(() => r()));
    const msgs = lines.map((l) => l.msg);
    expect(msgs).toEqual([
      'vote leader=3 zxid=0x200000005 round=1 epoch=2',
      'state LOOKING -> FOLLOWING',
      'FOLLOWING - LEADER ELECTION TOOK - 321 ms',
      'vote leader=3 zxid=0x200000005 round=1 epoch=0',
      'FOLLOWING - EPOCH ESTABLISHED - 3',
    ]);
    expect(lines[0]).toMatchObject({ level: 'info', sid: 2, event: 'vote', leader: 3, zxid: '0x200000005', round: 1, epoch: 2 });
    expect(lines[1]).toMatchObject({ event: 'state', state: 'FOLLOWING', from: 'LOOKING', leader: 3, round: 1, zxid: '0x200000005', epoch: null });
    expect(lines[2]).toMatchObject({ event: 'elected', electionMs: 321 });
  });

  it('adapts pino to the packages\' (msg, context) loggers, bigint included', async () => {
    const { stream, lines } = sink();
    const logger = createLogger(stream, 'debug', 1n);
    const pl = packageLogger(logger);
    pl.debug('connected', { sid: 3n, big: 2n ** 70n, nested: { zxid: 5n } });
    pl.warn('plain');
    await new Promise<void>((r) => logger.flush(() => r()));
    expect(lines[0]).toMatchObject({ level: 'debug', msg: 'connected', sid: 1, peerSid: 3, big: '1180591620717411303424', nested: { zxid: 5 } });
    expect(lines[1]).toMatchObject({ level: 'warn', msg: 'plain' });
  });
});
