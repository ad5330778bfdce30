// Quorum membership text (server.N / group.N / weight.N / version) in its three homes: the
// dynamic config file, the static part of zoo.cfg, and the config carried by v2 notifications
// (PROTOCOL.md 3.6 and 5.2).

import { QuorumConfigError, show, type QuorumConfigErrorCode, type QuorumConfigErrorInit } from './errors.js';
import { QuorumHierarchical } from './hierarchical.js';
import { QuorumMaj } from './majority.js';
import { loadProperties, type PropertyEntry } from './properties.js';
import { javaSplit, parseServerSpec, type QuorumServer } from './server.js';
import type { QuorumVerifier } from './verifier.js';

export interface MembershipOptions {
  file?: string;
  /** ZooKeeper's standaloneEnabled (default true). */
  standaloneEnabled?: boolean;
  /** ZooKeeper's multiAddress.enabled (default false, as in 3.8). */
  multiAddressEnabled?: boolean;
}

export interface BuildOptions extends MembershipOptions {
  /** zoo.cfg static mode: other keys are allowed (and skipped) instead of rejected. */
  backwardCompatible?: boolean;
  /** Trim values (zoo.cfg does; Properties text from the network keeps trailing blanks). */
  trimValues?: boolean;
  /** Version to use when the entries carry none. */
  version?: bigint;
  /** Where to blame a membership error when there is no server line (zoo.cfg: standaloneEnabled). */
  blameEmpty?: PropertyEntry | undefined;
}

export interface BuiltVerifier {
  verifier: QuorumVerifier;
  warnings: string[];
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Is `key` one of the membership keys (ZooKeeper matches group/weight by prefix)? */
export function isMembershipKey(key: string): boolean {
  return key.startsWith('server.') || key.startsWith('group') || key.startsWith('weight');
}

/** Build a verifier from already-loaded Properties entries. Throws QuorumConfigError. */
export function buildVerifier(all: readonly PropertyEntry[], options: BuildOptions = {}): BuiltVerifier {
  const file = options.file;
  // Properties semantics: a repeated key keeps its last value.
  const byKey = new Map<string, PropertyEntry>();
  for (const e of all) {
    const key = e.key.trim();
    byKey.delete(key);
    byKey.set(key, { key, value: options.trimValues ? e.value.trim() : e.value, line: e.line });
  }
  const entries = [...byKey.values()];
  const where = (e: PropertyEntry): QuorumConfigErrorInit => ({ file, line: e.line, key: e.key });

  let hierarchical = false;
  for (const e of entries) {
    if (e.key.startsWith('group') || e.key.startsWith('weight')) hierarchical = true;
    else if (!options.backwardCompatible && !e.key.startsWith('server.') && e.key !== 'version') {
      throw new QuorumConfigError(
        'UNRECOGNISED_PARAMETER',
        'expected only server.N, group.N, weight.N or version keys in a dynamic config',
        where(e),
      );
    }
  }

  const servers: QuorumServer[] = [];
  const groups: [bigint, bigint[]][] = [];
  const weights: [bigint, number][] = [];
  const lineOf = { server: new Map<bigint, PropertyEntry>(), group: new Map<bigint, PropertyEntry>(), weight: new Map<bigint, PropertyEntry>() };
  let version = options.version ?? 0n;
  for (const e of entries) {
    if (e.key.startsWith('server.')) {
      const sid = parseId(e, lineOf.server, 'sid', file);
      servers.push(parseServerSpec(sid, e.value, where(e), { multiAddressEnabled: options.multiAddressEnabled ?? false }));
    } else if (e.key === 'version') {
      version = parseVersion(e.value, where(e));
    } else if (hierarchical && e.key.startsWith('group')) {
      const gid = parseId(e, lineOf.group, 'group id', file);
      const parts = javaSplit(e.value, ':');
      if (parts.length === 0 || parts.some((p) => !/^[+-]?\d{1,19}$/.test(p))) {
        throw new QuorumConfigError('BAD_GROUP', `expected sid:sid:..., got ${show(e.value)}`, where(e));
      }
      groups.push([gid, parts.map((p) => BigInt(p))]);
    } else if (hierarchical && e.key.startsWith('weight')) {
      const sid = parseId(e, lineOf.weight, 'sid', file);
      if (!/^\+?\d{1,16}$/.test(e.value) || !Number.isSafeInteger(Number(e.value))) {
        throw new QuorumConfigError('BAD_WEIGHT', `expected a non-negative integer weight, got ${show(e.value)}`, where(e));
      }
      weights.push([sid, Number(e.value)]);
    }
  }

  const verifier: QuorumVerifier = hierarchical
    ? new QuorumHierarchical({
        servers,
        groups,
        weights,
        version,
        locate: (what, id) => {
          const e = lineOf[what].get(id);
          return e ? where(e) : { file };
        },
      })
    : new QuorumMaj(servers, version);
  const blame = (sids: Iterable<bigint>): QuorumConfigErrorInit => {
    for (const sid of sids) {
      const e = lineOf.server.get(sid);
      if (e) return where(e);
    }
    return options.blameEmpty ? where(options.blameEmpty) : { file };
  };
  const warnings = checkMembership(verifier, options.standaloneEnabled ?? true, blame);
  return { verifier, warnings };
}

/** ZooKeeper's role-count rules; returns the warnings it would log. */
function checkMembership(
  qv: QuorumVerifier,
  standaloneEnabled: boolean,
  blame: (sids: Iterable<bigint>) => QuorumConfigErrorInit,
): string[] {
  const voters = qv.votingMembers.size;
  const observers = qv.observingMembers.size;
  const fail = (code: QuorumConfigErrorCode, detail: string, at: QuorumConfigErrorInit): never => {
    throw new QuorumConfigError(code, detail, at);
  };
  if (voters === 0) {
    if (!standaloneEnabled) {
      fail('NO_PARTICIPANTS', 'expected at least one participant (standaloneEnabled=false), got none', blame(qv.members.keys()));
    }
    if (observers > 0) {
      fail('OBSERVERS_WITHOUT_PARTICIPANTS', `expected participants alongside ${observers} observer(s), got none`, blame(qv.observingMembers.keys()));
    }
    return [];
  }
  if (voters === 1 && standaloneEnabled) {
    if (observers > 0) {
      fail('OBSERVERS_WITHOUT_QUORUM', `expected at least 2 participants alongside observers, got 1 (standalone mode)`, blame(qv.observingMembers.keys()));
    }
    return ['only one participant: the server runs standalone and ignores the server list'];
  }
  const warnings: string[] = [];
  if (voters <= 2) warnings.push('no server failure will be tolerated: at least 3 participants are needed');
  else if (voters % 2 === 0) warnings.push('an even number of participants tolerates no more failures than one fewer');
  return warnings;
}

function parseId(
  e: PropertyEntry,
  seen: Map<bigint, PropertyEntry>,
  what: string,
  file: string | undefined,
): bigint {
  const dot = e.key.indexOf('.');
  const text = e.key.slice(dot + 1);
  const id = /^[+-]?\d{1,19}$/.test(text) ? BigInt(text) : undefined;
  if (id === undefined || id < INT64_MIN || id > INT64_MAX) {
    throw new QuorumConfigError('BAD_ID', `expected a 64-bit integer ${what} after '.', got ${show(text)}`, { file, line: e.line, key: e.key });
  }
  const prev = seen.get(id);
  if (prev) {
    throw new QuorumConfigError('DUPLICATE_ID', `expected ${what} ${id} once, already given by ${prev.key} on line ${prev.line}`, { file, line: e.line, key: e.key });
  }
  seen.set(id, e);
  return id;
}

/** Long.parseLong(text, 16). */
export function parseVersion(text: string, where: QuorumConfigErrorInit): bigint {
  const m = /^([+-]?)([0-9a-fA-F]{1,16})$/.exec(text);
  const v = m ? (m[1] === '-' ? -BigInt(`0x${m[2]}`) : BigInt(`0x${m[2]}`)) : undefined;
  if (v === undefined || v < INT64_MIN || v > INT64_MAX) {
    throw new QuorumConfigError('BAD_VERSION', `expected a signed 64-bit hex version, got ${show(text)}`, where);
  }
  return v;
}

/** The version ZooKeeper reads from a dynamic file's name: the hex after the last '.', if any. */
export function versionFromFileName(file: string): bigint | undefined {
  const m = /\.([+-]?[0-9a-fA-F]{1,16})$/.exec(file);
  if (!m) return undefined;
  try {
    return parseVersion(m[1] as string, {});
  } catch {
    return undefined;
  }
}

export interface DynamicConfigOptions extends MembershipOptions {
  /** Overrides the version taken from the file name suffix. */
  version?: bigint;
}

export interface DynamicConfig extends BuiltVerifier {}

/** Parse a dynamic config file (zoo.cfg.dynamic.<hexversion>). Throws QuorumConfigError. */
export function parseDynamicConfig(text: string, options: DynamicConfigOptions = {}): DynamicConfig {
  const entries = loadProperties(text, options.file);
  const inside = entries.find((e) => e.key.trim() === 'version');
  if (inside) {
    throw new QuorumConfigError(
      'VERSION_IN_DYNAMIC',
      'expected no version= in a dynamic file (its version is the file name suffix)',
      { file: options.file, line: inside.line, key: 'version' },
    );
  }
  const version = options.version ?? (options.file !== undefined ? versionFromFileName(options.file) : undefined) ?? 0n;
  return buildVerifier(entries, { ...options, version });
}

export type NotificationConfigResult =
  | { ok: true; verifier: QuorumVerifier }
  | { ok: false; error: QuorumConfigError };

const utf8 = new TextDecoder('utf-8');

/**
 * Parse the config text of a version-2 notification. Never throws: every failure, including
 * those that kill a ZooKeeper receiver thread, is returned as an error (ignore the config,
 * keep the vote).
 */
export function parseNotificationConfig(
  input: string | Uint8Array,
  options: Omit<MembershipOptions, 'file'> = {},
): NotificationConfigResult {
  try {
    const text = typeof input === 'string' ? input : utf8.decode(input);
    const { verifier } = buildVerifier(loadProperties(text, 'notification'), { ...options, file: 'notification' });
    return { ok: true, verifier };
  } catch (e) {
    if (QuorumConfigError.isInstance(e)) return { ok: false, error: e };
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: new QuorumConfigError('SYNTAX', `expected a parsable config, got an internal failure: ${message}`, { file: 'notification' }) };
  }
}
