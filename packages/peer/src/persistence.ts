// The peer's dataDir: `myid` (read only) and the `acceptedEpoch` / `currentEpoch` files in
// ZooKeeper's format (the decimal text of a Java long, no newline). Epoch files are replaced
// atomically (temp file in the same dir, fsync, rename, fsync dir): a crash leaves old or new.

import { constants as fsConstants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { PeerError } from './errors.js';

export const MYID_FILENAME = 'myid';
export const ACCEPTED_EPOCH_FILENAME = 'acceptedEpoch';
export const CURRENT_EPOCH_FILENAME = 'currentEpoch';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const DECIMAL = /^[+-]?[0-9]+$/;

function show(text: string): string {
  const clipped = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(clipped);
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? ((e as { code?: unknown }).code as string | undefined) : undefined;
}

/** Java's Long.parseLong over a whole string, or null. */
export function parseJavaLong(text: string): bigint | null {
  if (!DECIMAL.test(text)) return null;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? null : value;
}

/**
 * Reads `dataDir/myid` as ZooKeeper does (its first line is the sid), tolerating surrounding
 * whitespace. Missing, empty or non-numeric files are errors that name the file and content.
 */
export async function readMyid(dataDir: string): Promise<bigint> {
  const file = path.join(dataDir, MYID_FILENAME);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') {
      throw new PeerError('MYID_MISSING', `expected a myid file at ${file}, found none`, { cause: e });
    }
    throw new PeerError('DATADIR_UNREADABLE', `expected to read ${file}, got ${errnoCode(e) ?? String(e)}`, { cause: e });
  }
  const [first = '', ...others] = text.split(/\r?\n/);
  const firstLine = first.trim();
  const rest = others.join('\n').trim();
  const sid = parseJavaLong(firstLine);
  if (sid === null || rest !== '') {
    throw new PeerError('MYID_INVALID', `expected ${file} to hold one decimal server id, got ${show(text)}`);
  }
  return sid;
}

/** The file system calls the atomic writer makes; tests substitute them to crash between steps. */
export interface AtomicFs {
  writeFileDurable(file: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  syncDir(dir: string): Promise<void>;
}

export const nodeAtomicFs: AtomicFs = {
  async writeFileDurable(file, data) {
    const handle = await fsp.open(file, 'w', 0o644);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  async syncDir(dir) {
    // Directory fsync makes the rename itself durable; some platforms refuse to open a
    // directory for it, which only weakens durability, never atomicity.
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(dir, 'r');
      await handle.sync();
    } catch (e) {
      if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes(errnoCode(e) ?? '')) throw e;
    } finally {
      await handle?.close();
    }
  },
};

/** Replaces `dir/name` with the decimal text of `value`, all or nothing. */
export async function writeLongAtomic(dir: string, name: string, value: bigint, fs: AtomicFs = nodeAtomicFs): Promise<void> {
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new PeerError('BAD_OPTIONS', `expected a signed 64-bit value for ${name}, got ${value}`);
  }
  const target = path.join(dir, name);
  const temp = path.join(dir, `${name}.tmp`);
  try {
    await fs.writeFileDurable(temp, value.toString());
    await fs.rename(temp, target);
    await fs.syncDir(dir);
  } catch (e) {
    if (PeerError.isInstance(e)) throw e;
    throw new PeerError('DATADIR_WRITE_FAILED', `expected to write ${target} atomically, got ${errnoCode(e) ?? String(e)}`, {
      cause: e,
    });
  }
}

/** Reads an epoch file: null when absent, else its value; anything but one long is an error. */
export async function readLongFile(dir: string, name: string): Promise<bigint | null> {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null;
    throw new PeerError('DATADIR_UNREADABLE', `expected to read ${file}, got ${errnoCode(e) ?? String(e)}`, { cause: e });
  }
  // ZooKeeper writes no newline and parses the first line strictly; we also accept the one
  // trailing newline an editor adds, nothing else.
  const body = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  const value = parseJavaLong(body);
  if (value === null) {
    const what = text.length === 0 ? 'an empty file' : show(text);
    throw new PeerError('EPOCH_FILE_INVALID', `expected ${file} to hold one decimal 64-bit integer, got ${what}`);
  }
  return value;
}

export interface Epochs {
  readonly acceptedEpoch: bigint;
  readonly currentEpoch: bigint;
}

/**
 * The two epoch files of one dataDir. Missing files start at the epoch of the last zxid (0 for
 * zkvote), as ZooKeeper does on first start, but are only written by `persistMissing()`, so a
 * peer that fails to start leaves the dataDir untouched. An accepted epoch below the current one
 * means the dir was tampered with, and is refused.
 */
export class EpochStore {
  private accepted = 0n;
  private current = 0n;
  private missing: Array<typeof ACCEPTED_EPOCH_FILENAME | typeof CURRENT_EPOCH_FILENAME> = [];

  private constructor(
    readonly dataDir: string,
    private readonly fs: AtomicFs,
  ) {}

  /** Reads both files (nothing is written); see `persistMissing`. */
  static async open(dataDir: string, options: { lastZxid?: bigint; fs?: AtomicFs } = {}): Promise<EpochStore> {
    const store = new EpochStore(dataDir, options.fs ?? nodeAtomicFs);
    const zxidEpoch = (options.lastZxid ?? 0n) >> 32n;
    let current = await readLongFile(dataDir, CURRENT_EPOCH_FILENAME);
    if (current === null) {
      current = zxidEpoch;
      store.missing.push(CURRENT_EPOCH_FILENAME);
    }
    let accepted = await readLongFile(dataDir, ACCEPTED_EPOCH_FILENAME);
    if (accepted === null) {
      accepted = current;
      store.missing.push(ACCEPTED_EPOCH_FILENAME);
    }
    if (accepted < current) {
      throw new PeerError(
        'EPOCH_INCONSISTENT',
        `expected acceptedEpoch >= currentEpoch in ${dataDir}, got acceptedEpoch ${accepted} and currentEpoch ${current}`,
      );
    }
    store.accepted = accepted;
    store.current = current;
    return store;
  }

  get acceptedEpoch(): bigint {
    return this.accepted;
  }

  get currentEpoch(): bigint {
    return this.current;
  }

  /** Files that did not exist at open() and have not been written since. */
  get missingFiles(): readonly string[] {
    return this.missing;
  }

  /** Creates the dataDir if needed and writes the files that were missing at open(). */
  async persistMissing(): Promise<void> {
    if (this.missing.length === 0) return;
    try {
      await fsp.mkdir(this.dataDir, { recursive: true });
    } catch (e) {
      throw new PeerError('DATADIR_WRITE_FAILED', `expected to create dataDir ${this.dataDir}, got ${errnoCode(e) ?? String(e)}`, { cause: e });
    }
    for (const name of [...this.missing]) {
      await writeLongAtomic(this.dataDir, name, name === CURRENT_EPOCH_FILENAME ? this.current : this.accepted, this.fs);
      this.missing = this.missing.filter((m) => m !== name);
    }
  }

  /** Persists first, then updates memory: a failed write never advertises an unsaved epoch. */
  async setAcceptedEpoch(epoch: bigint): Promise<void> {
    await writeLongAtomic(this.dataDir, ACCEPTED_EPOCH_FILENAME, epoch, this.fs);
    this.accepted = epoch;
    this.missing = this.missing.filter((m) => m !== ACCEPTED_EPOCH_FILENAME);
  }

  async setCurrentEpoch(epoch: bigint): Promise<void> {
    await writeLongAtomic(this.dataDir, CURRENT_EPOCH_FILENAME, epoch, this.fs);
    this.current = epoch;
    this.missing = this.missing.filter((m) => m !== CURRENT_EPOCH_FILENAME);
  }
}

/**
 * Fails early, before anything is bound or written, when dataDir exists but is not a writable
 * directory. A missing dataDir is fine: it is created once the peer has started.
 */
export async function checkDataDir(dataDir: string): Promise<void> {
  let stat: import('node:fs').Stats;
  try {
    stat = await fsp.stat(dataDir);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return;
    throw new PeerError('DATADIR_UNREADABLE', `expected dataDir ${dataDir} to be accessible, got ${errnoCode(e) ?? String(e)}`, { cause: e });
  }
  if (!stat.isDirectory()) {
    throw new PeerError('DATADIR_UNREADABLE', `expected dataDir ${dataDir} to be a directory, got a file`);
  }
  try {
    await fsp.access(dataDir, fsConstants.R_OK | fsConstants.W_OK | fsConstants.X_OK);
  } catch (e) {
    throw new PeerError('DATADIR_WRITE_FAILED', `expected dataDir ${dataDir} to be readable and writable, got ${errnoCode(e) ?? String(e)}`, { cause: e });
  }
}
