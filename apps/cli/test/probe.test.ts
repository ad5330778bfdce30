// probeElectionPort against fake peers, checked byte for byte against the non-voter probe
// captured with ZooKeeper 3.8.0 (test/fixtures/zk-3.8.0-non-voter-probe.json).

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMsg, encodeFrame, fromHex, parse, ServerState, toHex } from '@zkvote/wire';
import { CliError, probeElectionPort } from '../src/index.js';
import { fixture } from './run-cli.js';
import { closedPort, startFakePeer, type FakePeer } from './fake-peer.js';

interface CapturedFrame {
  direction: string;
  kind: 'handshake' | 'notification';
  hex: string;
  decoded: Record<string, unknown>;
}
const captured = (JSON.parse(readFileSync(fixture('zk-3.8.0-non-voter-probe.json'), 'utf8')) as { frames: CapturedFrame[] }).frames;
const frame = (direction: string, kind: CapturedFrame['kind']): CapturedFrame => {
  const f = captured.find((x) => x.direction === direction && x.kind === kind);
  if (f === undefined) throw new Error(`fixture has no ${kind} ${direction}`);
  return f;
};
const CONFIG = frame('99->1', 'notification').decoded.config as string;

let peers: FakePeer[] = [];
afterEach(async () => {
  await Promise.all(peers.map((p) => p.close()));
  peers = [];
});
const fake = async (...args: Parameters<typeof startFakePeer>): Promise<FakePeer> => {
  const p = await startFakePeer(...args);
  peers.push(p);
  return p;
};

describe('probeElectionPort', () => {
  it('sends what the captured probe sent and decodes ZooKeeper 3.8.0\'s FOLLOWING answer', async () => {
    const peer = await fake({ kind: 'answer', frames: [fromHex(frame('1->99', 'notification').hex)] });
    const vote = await probeElectionPort('127.0.0.1', peer.port, { sid: 99n, config: CONFIG, timeoutMs: 5000 });
    expect(vote).toEqual({ state: 'FOLLOWING', leader: 3n, zxid: 0n, electionEpoch: 1n, peerEpoch: 1n, version: 2, config: CONFIG });
    const got = peer.received[0];
    expect(got?.handshake).toMatchObject({ protocol: 'v1', sid: 99n, addresses: [{ host: '127.0.0.1' }] });
    expect(got?.frames.length).toBe(1);
    // Same sid and config as the captured probe: the notification bytes are identical.
    expect(toHex(encodeFrame(got?.frames[0] as Uint8Array))).toBe(frame('99->1', 'notification').hex);
  });

  it('decodes the leader\'s LEADING answer', async () => {
    const peer = await fake({ kind: 'answer', frames: [fromHex(frame('3->99', 'notification').hex)] });
    const vote = await probeElectionPort('127.0.0.1', peer.port, { sid: 99n, config: CONFIG });
    expect(vote).toMatchObject({ state: 'LEADING', leader: 3n, electionEpoch: 1n, peerEpoch: 1n });
  });

  it('skips undecodable frames and takes the first notification that parses', async () => {
    const good = encodeFrame(buildMsg({ state: ServerState.LOOKING, leader: 7n, zxid: 0x200000001n, electionEpoch: 4n, peerEpoch: 2n }, 'v0-40'));
    const peer = await fake({ kind: 'answer', frames: [encodeFrame(new Uint8Array(12)), good] });
    const vote = await probeElectionPort('127.0.0.1', peer.port, { sid: 10n, config: null });
    expect(vote).toMatchObject({ state: 'LOOKING', leader: 7n, zxid: 0x200000001n, electionEpoch: 4n, peerEpoch: 2n, version: 0, config: null });
  });

  it('without a config sends the 40-byte layout (no config for the target to judge)', async () => {
    const peer = await fake({ kind: 'answer', frames: [fromHex(frame('1->99', 'notification').hex)] });
    await probeElectionPort('127.0.0.1', peer.port, { sid: 5n, config: null });
    const sent = peer.received[0]?.frames[0] as Uint8Array;
    expect(sent.length).toBe(40);
    expect(parse(sent)).toMatchObject({ state: ServerState.LOOKING, leader: 5n, layout: 'v0-40' });
  });

  it('reports a target that hangs up after the handshake (our sid not larger)', async () => {
    const peer = await fake({ kind: 'close' });
    const err = await probeElectionPort('127.0.0.1', peer.port, { sid: 1n, config: CONFIG }).catch((e: unknown) => e);
    expect(CliError.isInstance(err) && err.code).toBe('PROBE');
    expect((err as Error).message).toMatch(/connection closed.*sid 1/);
  });

  it('times out on a silent target and refuses a closed port', async () => {
    const peer = await fake({ kind: 'silent' });
    await expect(probeElectionPort('127.0.0.1', peer.port, { sid: 9n, config: CONFIG, timeoutMs: 150 })).rejects.toThrow(
      'expected a notification within 150 ms, got none',
    );
    await expect(probeElectionPort('127.0.0.1', await closedPort(), { sid: 9n, config: CONFIG })).rejects.toThrow('connection refused');
  });
});
