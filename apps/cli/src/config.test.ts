import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnsemble } from './config.js';
import { CliError } from './errors.js';

let dir = '';
afterEach(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('loadEnsemble', () => {
  it('follows dynamicConfigFile (relative to zoo.cfg) and takes the version from its name', () => {
    dir = mkdtempSync(join(tmpdir(), 'zkvote-cli-cfg-'));
    writeFileSync(join(dir, 'zoo.cfg.dynamic.100000000'), 'server.1=h1:2888:3888:participant;2181\nserver.2=h2:2888:3888:participant;2181\nserver.3=h3:2888:3888:participant;2181\n');
    writeFileSync(join(dir, 'zoo.cfg'), `tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=${dir}\ndynamicConfigFile=zoo.cfg.dynamic.100000000\n`);
    const { verifier } = loadEnsemble(join(dir, 'zoo.cfg'));
    expect(verifier.version).toBe(0x100000000n);
    expect(verifier.toString().endsWith('\nversion=100000000')).toBe(true);
    expect([...verifier.votingMembers.keys()]).toEqual([1n, 2n, 3n]);
  });

  it('names the file and the problem as a CONFIG error (exit 2)', () => {
    dir = mkdtempSync(join(tmpdir(), 'zkvote-cli-cfg-'));
    writeFileSync(join(dir, 'zoo.cfg'), `tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=${dir}\nclientPort=2181\nserver.1=h1:2888\n`);
    let err: unknown;
    try {
      loadEnsemble(join(dir, 'zoo.cfg'));
    } catch (e) {
      err = e;
    }
    expect(CliError.isInstance(err) && err.code === 'CONFIG' && err.exitCode === 2).toBe(true);
    expect((err as Error).message).toContain('zoo.cfg');
    expect(() => loadEnsemble(join(dir, 'missing.cfg'))).toThrow(/missing\.cfg.*ENOENT/);
  });
});
