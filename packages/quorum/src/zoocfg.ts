// zoo.cfg as ZooKeeper 3.8's QuorumPeerConfig reads it: typed settings, the static quorum
// (server/group/weight lines, PROTOCOL.md 5.2) and tolerated unknown keys reported as warnings.

import { buildVerifier, isMembershipKey } from './dynamic.js';
import { QuorumConfigError, show, type QuorumConfigErrorCode } from './errors.js';
import { loadProperties, type PropertyEntry } from './properties.js';
import type { LearnerType, QuorumServer } from './server.js';
import { isHierarchical, QuorumHierarchical } from './hierarchical.js';
import { QuorumMaj } from './majority.js';
import type { QuorumVerifier } from './verifier.js';

export interface ConfigWarning {
  file: string | undefined;
  line: number | undefined;
  key: string | undefined;
  message: string;
}

export interface ZooCfg {
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  dataDir: string;
  /** Defaults to dataDir. */
  dataLogDir: string;
  clientPort: number | null;
  clientPortAddress: string | null;
  secureClientPort: number | null;
  secureClientPortAddress: string | null;
  /** Only 3 (Fast Leader Election) is valid since ZooKeeper 3.6. */
  electionAlg: 3;
  reconfigEnabled: boolean;
  standaloneEnabled: boolean;
  quorumListenOnAllIPs: boolean;
  multiAddressEnabled: boolean;
  /** 4lw.commands.whitelist split on commas; ['*'] allows all. Default ['srvr']. */
  fourLetterWords: string[];
  admin: { enableServer: boolean; serverAddress: string; serverPort: number };
  metricsProvider: { className: string | null; properties: Map<string, string> };
  sslQuorum: boolean;
  /** Every ssl.quorum.* key, verbatim. */
  sslQuorumProperties: Map<string, string>;
  dynamicConfigFile: string | null;
  peerType: LearnerType | null;
  /** Every zkvote.* key (zkvote's own settings), kept without warning. */
  zkvote: Map<string, string>;
  /** Keys neither ZooKeeper nor zkvote knows; ZooKeeper turns them into system properties. */
  unknown: Map<string, string>;
  /** Every key → trimmed value (last occurrence wins, as in Java Properties). */
  settings: Map<string, string>;
  warnings: ConfigWarning[];
  /** The static server/group/weight lines; null when dynamicConfigFile holds them instead. */
  verifier: QuorumVerifier | null;
}

export interface ZooCfgOptions {
  file?: string;
  /** This server's id (dataDir/myid): its client address then comes from clientPort. */
  myid?: bigint;
}

// Keys ZooKeeper 3.8 reads itself or through a zookeeper.* system property: no warning for these.
const KNOWN = new Set([
  'dataDir', 'dataLogDir', 'clientPort', 'clientPortAddress', 'secureClientPort', 'secureClientPortAddress',
  'localSessionsEnabled', 'localSessionsUpgradingEnabled', 'observerMasterPort', 'clientPortListenBacklog',
  'tickTime', 'maxClientCnxns', 'minSessionTimeout', 'maxSessionTimeout', 'initLimit', 'syncLimit',
  'connectToLearnerMasterLimit', 'electionAlg', 'quorumListenOnAllIPs', 'peerType', 'syncEnabled',
  'dynamicConfigFile', 'autopurge.snapRetainCount', 'autopurge.purgeInterval', 'standaloneEnabled',
  'reconfigEnabled', 'sslQuorum', 'portUnification', 'sslQuorumReloadCertFiles', 'client.portUnification',
  'quorum.cnxn.threads.size', 'multiAddress.enabled', 'multiAddress.reachabilityCheckTimeoutMs',
  'multiAddress.reachabilityCheckEnabled', 'oraclePath', '4lw.commands.whitelist', 'snapCount', 'preAllocSize',
  'globalOutstandingLimit', 'commitLogCount', 'snapSizeLimitInKb', 'txnLogSizeLimitInKb', 'maxCnxns',
  'electionPortBindRetry', 'cnxTimeout', 'skipACL', 'forceSync', 'fsync.warningthresholdms', 'serverCnxnFactory',
  'clientCnxnSocket', 'secureClientPortUnification', 'version',
]);
const STRICT_BOOLEANS = [
  'localSessionsEnabled', 'localSessionsUpgradingEnabled', 'quorumListenOnAllIPs', 'syncEnabled', 'sslQuorum',
  'portUnification', 'sslQuorumReloadCertFiles', 'multiAddress.reachabilityCheckEnabled',
];
const KNOWN_PREFIXES = ['admin.', 'metricsProvider.', 'ssl.', 'quorum.auth.', 'jvm.pause.', 'authProvider.', 'kerberos.', 'zookeeper.', 'audit.', 'serverCnxnFactory.', 'netty.'];

/** Parse zoo.cfg text. Throws QuorumConfigError naming file, line and key. */
export function parseZooCfg(text: string, options: ZooCfgOptions = {}): ZooCfg {
  const file = options.file;
  const raw = loadProperties(text, file);
  const entries = new Map<string, PropertyEntry>();
  const warnings: ConfigWarning[] = [];
  for (const e of raw) {
    const key = e.key.trim();
    const prev = entries.get(key);
    if (prev) warn(warnings, file, e, `repeated key (line ${prev.line}); the last value wins`);
    entries.delete(key);
    entries.set(key, { key, value: e.value.trim(), line: e.line });
  }
  const at = (e: PropertyEntry | string | undefined) =>
    typeof e === 'string' ? { file, line: undefined, key: e } : { file, line: e?.line, key: e?.key };
  const fail = (code: QuorumConfigErrorCode, e: PropertyEntry | string | undefined, detail: string): never => {
    throw new QuorumConfigError(code, detail, at(e));
  };
  const get = (key: string): PropertyEntry | undefined => entries.get(key);
  const int = (key: string, dflt: number): number => {
    const e = get(key);
    if (!e) return dflt;
    if (!/^[+-]?\d{1,10}$/.test(e.value) || Math.abs(Number(e.value)) > 2 ** 31) {
      fail('BAD_NUMBER', e, `expected a 32-bit integer, got ${show(e.value)}`);
    }
    return Number(e.value);
  };
  const strictBool = (key: string, dflt: boolean): boolean => {
    const e = get(key);
    if (!e) return dflt;
    const v = e.value.toLowerCase();
    if (v !== 'true' && v !== 'false') fail('BAD_BOOLEAN', e, `expected true or false, got ${show(e.value)}`);
    return v === 'true';
  };
  // admin.* are system properties read with Boolean.parseBoolean: anything but "true" is false.
  const looseBool = (key: string, dflt: boolean): boolean => {
    const e = get(key);
    if (!e) return dflt;
    const v = e.value.toLowerCase();
    if (v !== 'true' && v !== 'false') warn(warnings, file, e, `expected true or false, got ${show(e.value)}; ZooKeeper reads it as false`);
    return v === 'true';
  };
  const str = (key: string): string | null => get(key)?.value ?? null;

  const dynamicConfigFile = str('dynamicConfigFile');
  const membership = [...entries.values()].filter((e) => isMembershipKey(e.key));
  if (dynamicConfigFile !== null && membership.length > 0) {
    fail('DYNAMIC_KEY_IN_STATIC', membership[0], `expected this key in the dynamic config file ${show(dynamicConfigFile)}, not in zoo.cfg`);
  }

  const dataDirEntry = get('dataDir');
  if (!dataDirEntry || dataDirEntry.value === '') fail('MISSING_SETTING', dataDirEntry ?? 'dataDir', 'expected dataDir to be set');
  const dataDir = (dataDirEntry as PropertyEntry).value;
  const tickTime = int('tickTime', 3000);
  if (tickTime === 0) fail('MISSING_SETTING', get('tickTime'), 'expected a non-zero tickTime');
  const clientPortRaw = int('clientPort', 0);
  const clientPortAddress = str('clientPortAddress');
  if (clientPortRaw === 0 && clientPortAddress !== null) {
    fail('MISSING_SETTING', get('clientPortAddress'), 'expected clientPort to be set as well');
  }
  const securePortRaw = int('secureClientPort', 0);
  const secureClientPortAddress = str('secureClientPortAddress');
  if (securePortRaw === 0 && secureClientPortAddress !== null) {
    fail('MISSING_SETTING', get('secureClientPortAddress'), 'expected secureClientPort to be set as well');
  }
  for (const [key, port] of [['clientPort', clientPortRaw], ['secureClientPort', securePortRaw]] as const) {
    if (port < 0 || port > 65535) fail('PORT_OUT_OF_RANGE', get(key), `expected a port in 0..65535, got ${port}`);
  }
  const minSession = int('minSessionTimeout', -1);
  const maxSession = int('maxSessionTimeout', -1);
  if (minSession !== -1 && maxSession !== -1 && minSession > maxSession) {
    fail('BAD_SETTING', get('minSessionTimeout'), `expected minSessionTimeout <= maxSessionTimeout (${maxSession}), got ${minSession}`);
  }
  const electionAlg = int('electionAlg', 3);
  if (electionAlg !== 3) fail('BAD_ELECTION_ALG', get('electionAlg'), `expected 3 (only Fast Leader Election is supported), got ${electionAlg}`);
  let peerType: LearnerType | null = null;
  const peerTypeEntry = get('peerType');
  if (peerTypeEntry) {
    const v = peerTypeEntry.value.toLowerCase();
    if (v !== 'observer' && v !== 'participant') fail('BAD_ROLE', peerTypeEntry, `expected observer or participant, got ${show(peerTypeEntry.value)}`);
    peerType = v as LearnerType;
  }
  const standaloneEnabled = strictBool('standaloneEnabled', true);
  const reconfigEnabled = strictBool('reconfigEnabled', false);
  const multiAddressEnabled = strictBool('multiAddress.enabled', false);
  // ZooKeeper 3.7+ rejects anything but true/false for every boolean it reads itself.
  for (const key of STRICT_BOOLEANS) strictBool(key, false);
  const sasl = strictBool('quorum.auth.enableSasl', false);
  for (const key of ['quorum.auth.serverRequireSasl', 'quorum.auth.learnerRequireSasl']) {
    if (!sasl && strictBool(key, false)) fail('BAD_SETTING', get(key), 'expected quorum.auth.enableSasl=true before requiring SASL');
  }
  if (strictBool('quorum.auth.serverRequireSasl', false) && !strictBool('quorum.auth.learnerRequireSasl', false)) {
    fail('BAD_SETTING', get('quorum.auth.serverRequireSasl'), 'expected quorum.auth.learnerRequireSasl=true as well (a learner must authenticate to join)');
  }

  let verifier: QuorumVerifier | null = null;
  if (dynamicConfigFile === null) {
    const built = buildVerifier(membership.concat(get('version') ? [get('version') as PropertyEntry] : []), {
      file,
      backwardCompatible: true,
      standaloneEnabled,
      multiAddressEnabled,
      blameEmpty: get('standaloneEnabled'),
    });
    verifier = built.verifier;
    for (const message of built.warnings) warnings.push({ file, line: undefined, key: undefined, message });
    if (verifier.votingMembers.size > 1) {
      for (const key of ['initLimit', 'syncLimit']) {
        if (int(key, 0) === 0) fail('MISSING_SETTING', get(key) ?? key, `expected ${key} to be set (non-zero) for a ${verifier.votingMembers.size}-participant ensemble`);
      }
    }
    verifier = applyStaticClientPort(verifier, options.myid, clientPortRaw, clientPortAddress);
    const me = options.myid !== undefined ? verifier.members.get(options.myid) : undefined;
    if (me && peerType !== null && me.type !== peerType) {
      warn(warnings, file, peerTypeEntry, `peerType ${peerType} conflicts with server.${me.sid} (${me.type}); the server list wins`);
    }
  }

  const zkvote = new Map<string, string>();
  const unknown = new Map<string, string>();
  const metrics = new Map<string, string>();
  const sslQuorumProperties = new Map<string, string>();
  for (const e of entries.values()) {
    if (e.key.startsWith('zkvote.')) zkvote.set(e.key, e.value);
    else if (e.key.startsWith('metricsProvider.') && e.key !== 'metricsProvider.className') metrics.set(e.key.slice('metricsProvider.'.length), e.value);
    else if (e.key.startsWith('ssl.quorum.')) sslQuorumProperties.set(e.key, e.value);
    if (!isMembershipKey(e.key) && !e.key.startsWith('zkvote.') && !KNOWN.has(e.key) && !KNOWN_PREFIXES.some((p) => e.key.startsWith(p))) {
      unknown.set(e.key, e.value);
      warn(warnings, file, e, 'unknown key kept (ZooKeeper passes it on as a zookeeper.* system property)');
    }
  }
  const whitelist = str('4lw.commands.whitelist');
  return {
    tickTime,
    initLimit: int('initLimit', 0),
    syncLimit: int('syncLimit', 0),
    dataDir,
    dataLogDir: str('dataLogDir') ?? dataDir,
    clientPort: clientPortRaw === 0 ? null : clientPortRaw,
    clientPortAddress,
    secureClientPort: securePortRaw === 0 ? null : securePortRaw,
    secureClientPortAddress,
    electionAlg: 3,
    reconfigEnabled,
    standaloneEnabled,
    quorumListenOnAllIPs: strictBool('quorumListenOnAllIPs', false),
    multiAddressEnabled,
    fourLetterWords: whitelist === null ? ['srvr'] : whitelist.split(',').map((w) => w.trim()).filter((w) => w !== ''),
    admin: {
      enableServer: looseBool('admin.enableServer', true),
      serverAddress: str('admin.serverAddress') ?? '0.0.0.0',
      serverPort: int('admin.serverPort', 8080),
    },
    metricsProvider: { className: str('metricsProvider.className'), properties: metrics },
    sslQuorum: strictBool('sslQuorum', false),
    sslQuorumProperties,
    dynamicConfigFile,
    peerType,
    zkvote,
    unknown,
    settings: new Map([...entries.values()].map((e) => [e.key, e.value])),
    warnings,
    verifier,
  };
}

function warn(list: ConfigWarning[], file: string | undefined, e: PropertyEntry | undefined, message: string): void {
  list.push({ file, line: e?.line, key: e?.key, message });
}

/**
 * ZooKeeper gives this server's entry, when it has no client part, the address from clientPort
 * (flagged so it is never rendered into config text).
 */
function applyStaticClientPort(qv: QuorumVerifier, myid: bigint | undefined, port: number, host: string | null): QuorumVerifier {
  const me = myid !== undefined ? qv.members.get(myid) : undefined;
  if (!me || me.clientAddress !== null || port === 0) return qv;
  const patched: QuorumServer = { ...me, clientAddress: { host: host ?? '0.0.0.0', port }, clientFromStatic: true };
  const servers = [...qv.members.values()].map((s) => (s.sid === myid ? patched : s));
  if (isHierarchical(qv)) {
    return new QuorumHierarchical({ servers, groups: qv.groups, weights: qv.weights, version: qv.version });
  }
  return new QuorumMaj(servers, qv.version);
}
