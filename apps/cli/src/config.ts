// Reads the ensemble a command talks about from a zoo.cfg: the static server lines, or the
// dynamic file it names (whose version then comes from the file name, PROTOCOL.md 3.6, 5.6).

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDynamicConfig, parseZooCfg, QuorumConfigError, type QuorumVerifier, type ZooCfg } from '@zkvote/quorum';
import { CliError } from './errors.js';

export interface Ensemble {
  file: string;
  cfg: ZooCfg;
  verifier: QuorumVerifier;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CliError('CONFIG', `expected a readable ${what} at ${file}, got ${code}`);
  }
}

function configError(e: unknown): never {
  if (QuorumConfigError.isInstance(e)) throw new CliError('CONFIG', e.message);
  throw e;
}

/** Loads zoo.cfg (and its dynamicConfigFile, relative paths resolved against zoo.cfg's folder). */
export function loadEnsemble(file: string): Ensemble {
  const text = readText(file, 'zoo.cfg');
  let cfg: ZooCfg;
  try {
    cfg = parseZooCfg(text, { file });
  } catch (e) {
    configError(e);
  }
  if (cfg.verifier !== null) return { file, cfg, verifier: cfg.verifier };
  if (cfg.dynamicConfigFile === null) {
    throw new CliError('CONFIG', `expected server.N lines or dynamicConfigFile in ${file}, got neither`);
  }
  const dyn = isAbsolute(cfg.dynamicConfigFile) ? cfg.dynamicConfigFile : resolve(dirname(file), cfg.dynamicConfigFile);
  try {
    const { verifier } = parseDynamicConfig(readText(dyn, 'dynamic config file'), {
      file: dyn,
      standaloneEnabled: cfg.standaloneEnabled,
      multiAddressEnabled: cfg.multiAddressEnabled,
    });
    return { file, cfg, verifier };
  } catch (e) {
    configError(e);
  }
}
