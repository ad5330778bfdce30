import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { QuorumMaj } from '@zkvote/quorum';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPeer, PeerError, type PeerOptions } from '../src/index.js';
import { server } from './helpers/epoch-harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'zkvote-opts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const verifier = new QuorumMaj([server(1n, 7001), server(2n, 7003), server(3n, 7005)]);

async function refused(options: PeerOptions, code: string, text: RegExp): Promise<void> {
  const e = await createPeer(options).then(
    () => null,
    (err: unknown) => err,
  );
  expect(PeerError.isInstance(e)).toBe(true);
  expect((e as PeerError).code).toBe(code);
  expect((e as Error).message).toMatch(text);
  expect(await readdir(dir).catch(() => [])).not.toContain('currentEpoch');
}

describe('createPeer option checks (nothing bound, nothing written)', () => {
  it('needs a myid that is a configured server', async () => {
    await refused({ myid: 9n, verifier, dataDir: dir }, 'BAD_OPTIONS', /expected myid 9 to be one of the configured servers \[1,2,3\]/);
  });

  it('reads myid from dataDir when not given, with precise errors', async () => {
    await refused({ verifier, dataDir: dir }, 'MYID_MISSING', /expected a myid file/);
    await writeFile(path.join(dir, 'myid'), 'two');
    await refused({ verifier, dataDir: dir }, 'MYID_INVALID', /got "two"/);
    await writeFile(path.join(dir, 'myid'), ' 2\n');
    const peer = await createPeer({ verifier, dataDir: dir });
    expect(peer.myid).toBe(2n);
    await peer.close();
  });

  it.each([
    [{ tickTime: 0 }, /tickTime to be a positive integer, got 0/],
    [{ syncLimit: 1.5 }, /syncLimit to be a positive integer, got 1.5/],
    [{ electionAddress: { host: '127.0.0.1', port: 70000 } }, /electionAddress as \{ host, port \}/],
    [{ zkvotePeers: new Set([2n]) }, /zkvotePeers to include our own sid 1/],
    [{ election: { minNotificationIntervalMs: -1 } }, /minNotificationIntervalMs/],
  ] as Array<[Partial<PeerOptions>, RegExp]>)('refuses %o', async (extra, text) => {
    await refused({ myid: 1n, verifier, dataDir: dir, ...extra }, 'BAD_OPTIONS', text);
  });

  it('refuses a missing verifier or dataDir', async () => {
    await refused({ myid: 1n, dataDir: dir } as unknown as PeerOptions, 'BAD_OPTIONS', /expected verifier as a QuorumVerifier/);
    await refused({ myid: 1n, verifier, dataDir: '' }, 'BAD_OPTIONS', /expected dataDir as a non-empty path/);
  });

  it('refuses a corrupt epoch file before binding anything', async () => {
    await writeFile(path.join(dir, 'acceptedEpoch'), 'x');
    const e = await createPeer({ myid: 1n, verifier, dataDir: dir }).catch((err: unknown) => err);
    expect((e as PeerError).code).toBe('EPOCH_FILE_INVALID');
  });

  it('close() during start() releases both ports and writes nothing', async () => {
    const v = new QuorumMaj([server(1n, 0)].map((s) => ({ ...s, addresses: [{ host: '127.0.0.1', quorumPort: 0, electionPort: 0 }] })));
    const peer = await createPeer({ myid: 1n, verifier: v, dataDir: dir, quorumAddress: { host: '127.0.0.1', port: 0 }, electionAddress: { host: '127.0.0.1', port: 0 } });
    const starting = peer.start().catch((e: unknown) => e);
    await peer.close();
    const e = await starting;
    expect(PeerError.isInstance(e)).toBe(true);
    expect((e as PeerError).code).toBe('CLOSED');
    expect(await readdir(dir)).toEqual([]);
  });
});
