import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PeerError } from '../src/errors.js';
import {
  checkDataDir,
  EpochStore,
  nodeAtomicFs,
  readLongFile,
  readMyid,
  writeLongAtomic,
  type AtomicFs,
} from '../src/persistence.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'zkvote-peer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectPeerError(p: Promise<unknown>, code: string, text: RegExp): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(PeerError.isInstance(e)).toBe(true);
  expect((e as PeerError).code).toBe(code);
  expect((e as PeerError).message).toMatch(text);
}

describe('myid', () => {
  it.each([
    ['1', 1n],
    ['3\n', 3n],
    ['  42  \r\n', 42n],
    ['9223372036854775807', 9223372036854775807n],
    ['7\n\n', 7n],
  ])('reads %j', async (text, sid) => {
    await writeFile(path.join(dir, 'myid'), text);
    expect(await readMyid(dir)).toBe(sid);
  });

  it('names the missing file', async () => {
    await expectPeerError(readMyid(dir), 'MYID_MISSING', new RegExp(`myid file at ${dir}`));
  });

  it.each(['', 'one', '1.5', '1 2', '0x10', '9223372036854775808', '1\nextra'])('refuses %j with the content in the message', async (text) => {
    await writeFile(path.join(dir, 'myid'), text);
    await expectPeerError(readMyid(dir), 'MYID_INVALID', /expected .*myid to hold one decimal server id, got "/);
  });
});

describe('epoch files', () => {
  it('writes the decimal text of a long, without newline, as ZooKeeper does', async () => {
    await writeLongAtomic(dir, 'currentEpoch', 5n);
    expect(await readFile(path.join(dir, 'currentEpoch'), 'utf8')).toBe('5');
    await writeLongAtomic(dir, 'currentEpoch', -1n);
    expect(await readFile(path.join(dir, 'currentEpoch'), 'utf8')).toBe('-1');
    expect((await readdir(dir)).sort()).toEqual(['currentEpoch']);
  });

  it('round-trips any long', async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), async (v) => {
        await writeLongAtomic(dir, 'acceptedEpoch', v);
        expect(await readLongFile(dir, 'acceptedEpoch')).toBe(v);
      }),
      { numRuns: 100 },
    );
  });

  it('accepts one trailing newline (an edited file)', async () => {
    await writeFile(path.join(dir, 'acceptedEpoch'), '12\n');
    expect(await readLongFile(dir, 'acceptedEpoch')).toBe(12n);
  });

  it.each(['', '1 ', ' 1', '1\n\n', '12ab', 'NaN', '99999999999999999999', '\u0000\u0000'])(
    'refuses a torn or invalid file %j, naming file and content',
    async (text) => {
      await writeFile(path.join(dir, 'currentEpoch'), text);
      await expectPeerError(readLongFile(dir, 'currentEpoch'), 'EPOCH_FILE_INVALID', /currentEpoch to hold one decimal 64-bit integer, got/);
    },
  );

  it('starts missing files at epoch 0, writing them only on persistMissing()', async () => {
    const store = await EpochStore.open(dir);
    expect([store.acceptedEpoch, store.currentEpoch]).toEqual([0n, 0n]);
    expect(await readdir(dir)).toEqual([]);
    await store.persistMissing();
    expect(await readFile(path.join(dir, 'acceptedEpoch'), 'utf8')).toBe('0');
    expect(await readFile(path.join(dir, 'currentEpoch'), 'utf8')).toBe('0');
  });

  it('reads existing files and persists updates', async () => {
    await writeFile(path.join(dir, 'acceptedEpoch'), '4');
    await writeFile(path.join(dir, 'currentEpoch'), '3');
    const store = await EpochStore.open(dir);
    expect([store.acceptedEpoch, store.currentEpoch]).toEqual([4n, 3n]);
    await store.setAcceptedEpoch(5n);
    await store.setCurrentEpoch(5n);
    const again = await EpochStore.open(dir);
    expect([again.acceptedEpoch, again.currentEpoch]).toEqual([5n, 5n]);
  });

  it('refuses acceptedEpoch < currentEpoch', async () => {
    await writeFile(path.join(dir, 'acceptedEpoch'), '2');
    await writeFile(path.join(dir, 'currentEpoch'), '3');
    await expectPeerError(EpochStore.open(dir), 'EPOCH_INCONSISTENT', /acceptedEpoch 2 and currentEpoch 3/);
  });

  it('refuses a corrupt file instead of starting at 0', async () => {
    await writeFile(path.join(dir, 'acceptedEpoch'), '7');
    await writeFile(path.join(dir, 'currentEpoch'), '');
    await expectPeerError(EpochStore.open(dir), 'EPOCH_FILE_INVALID', /an empty file/);
  });

  it('leaves the old or the new value whichever step a crash interrupts', async () => {
    // A "crash" aborts the writer before step k (0 = before writing the temp file, ... 3 = after
    // everything); a leftover temp file, even a torn one, never affects the real file.
    for (let k = 0; k <= 3; k++) {
      await writeLongAtomic(dir, 'currentEpoch', 10n);
      let step = 0;
      const crash = (): void => {
        if (step++ === k) throw Object.assign(new Error('killed'), { code: 'EKILLED' });
      };
      const crashing: AtomicFs = {
        async writeFileDurable(file, data) {
          crash();
          // A torn temp file: half the digits made it to disk.
          await writeFile(file, data.slice(0, 1));
          crash();
          await nodeAtomicFs.writeFileDurable(file, data);
        },
        async rename(from, to) {
          crash();
          await nodeAtomicFs.rename(from, to);
        },
        syncDir: (d) => nodeAtomicFs.syncDir(d),
      };
      await writeLongAtomic(dir, 'currentEpoch', 2345n, crashing).catch((e: unknown) => {
        expect((e as PeerError).code).toBe('DATADIR_WRITE_FAILED');
      });
      const value = await readLongFile(dir, 'currentEpoch');
      expect([10n, 2345n]).toContain(value);
      expect(value).toBe(k >= 3 ? 2345n : 10n);
    }
  });

  it('creates a missing dataDir on persistMissing()', async () => {
    const store = await EpochStore.open(path.join(dir, 'a', 'b'));
    await store.persistMissing();
    expect(await readLongFile(path.join(dir, 'a', 'b'), 'currentEpoch')).toBe(0n);
  });

  it('checkDataDir refuses a file where a directory is expected', async () => {
    await writeFile(path.join(dir, 'plain'), 'x');
    await expectPeerError(checkDataDir(path.join(dir, 'plain')), 'DATADIR_UNREADABLE', /to be a directory, got a file/);
    await checkDataDir(path.join(dir, 'not-yet')); // created later
  });

  it('reports an unwritable dataDir precisely', async () => {
    await expectPeerError(
      writeLongAtomic(path.join(dir, 'missing'), 'currentEpoch', 1n),
      'DATADIR_WRITE_FAILED',
      /expected to write .*missing\/currentEpoch atomically, got ENOENT/,
    );
  });
});
