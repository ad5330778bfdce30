// zoo.cfg (+ the dynamic config file, + dataDir/myid) -> everything zkvote-server needs: the
// peer's start options and the addresses of the admin, client (4lw) and metrics listeners.
// Reads only; every failure is a ServerError whose message names the file, line, key or path.

import { readFileSync, statSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import {
  loadProperties,
  parseDynamicConfig,
  parseZooCfg,
  QuorumConfigError,
  type QuorumVerifier,
  type ZooCfg,
} from '@zkvote/quorum';
import { ServerError } from './errors.js';
import { LOG_LEVELS } from './levels.js';
import type { HostPortView } from './info.js';
import { peerOptions } from './peer-options.js';
import type { PeerOptions } from '@zkvote/peer';

export interface TlsSettings {
  key: string;
  cert: string;
  ca: string;
  passphrase?: string;
  hostnameVerification: boolean;
}

export interface ServerConfig {
  /** Absolute path of the zoo.cfg that was read. */
  configFile: string;
  myid: bigint;
  dataDir: string;
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  verifier: QuorumVerifier;
  learnerType: 'participant' | 'observer';
  /** Where the election and quorum listeners bind (0.0.0.0 with quorumListenOnAllIPs). */
  electionAddress: HostPortView;
  quorumAddress: HostPortView;
  multiAddressEnabled: boolean;
  /** clientPortAddress:clientPort for the four-letter words; null without clientPort. */
  clientAddress: HostPortView | null;
  /** null when admin.enableServer=false. */
  adminAddress: HostPortView | null;
  /** null unless metrics are configured. */
  metricsAddress: HostPortView | null;
  fourLetterWhitelist: ReadonlySet<string> | '*';
  /** zkvote.peers: sids that run zkvote; null = every server. */
  zkvotePeers: ReadonlySet<bigint> | null;
  fastDecision: boolean;
  minNotificationIntervalMs: number;
  maxNotificationIntervalMs: number;
  /** ms a quorum waits for a better vote before deciding (ZooKeeper's fixed finalizeWait, 200). */
  finalizeWaitMs: number;
  /** zoo.cfg reconfigEnabled: adopt newer configs gossiped in notifications (default false). */
  reconfigEnabled: boolean;
  logLevel: string;
  tls: TlsSettings | null;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  maxClientCnxns: number;
  /** Non-fatal remarks about the configuration, one line each. */
  warnings: string[];
  /** The @zkvote/peer startPeer options this configuration means (add a `logger` to taste). */
  peer: PeerOptions;
}

/** Every zkvote.* key with its meaning (also printed by --help). */
export const ZKVOTE_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['zkvote.peers', 'comma-separated sids that run zkvote; every other server is taken to be ZooKeeper (default: all)'],
  ['zkvote.fastDecision', 'decide without finalizeWait when every voter heard agrees and every voter not heard is known gone (true|false, default true)'],
  ['zkvote.minNotificationInterval', 'first notification timeout in ms (default 200)'],
  ['zkvote.maxNotificationInterval', 'cap of the doubling notification timeout in ms (default 60000)'],
  ['zkvote.finalizeWait', 'ms a quorum waits for a better vote before deciding when fast decision cannot apply (default 200, as ZooKeeper)'],
  ['zkvote.logLevel', `log level: ${LOG_LEVELS.join('|')} (default info)`],
  ['zkvote.metricsPort', 'serve Prometheus metrics on this port (0 = off; default off)'],
];

const DEFAULT_METRICS_PORT = 7000; // ZooKeeper's metricsProvider.httpPort default

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
}

/** Reads zoo.cfg and dataDir/myid; throws ServerError with one line naming the cause. */
export function loadServerConfig(configPath: string, options: LoadOptions = {}): ServerConfig {
  const env = options.env ?? {};
  const configFile = path.resolve(configPath);
  const text = readText(configFile, 'config file');
  const first = parseOrFail(() => parseZooCfg(text, { file: configFile }));
  const lineOf = keyLines(text, configFile);
  const dataDir = path.resolve(first.dataDir); // relative to the working directory, as in ZooKeeper
  const dataDirAt = `dataDir ${dataDir} (${configFile}:${lineOf('dataDir') ?? '?'})`;
  checkDataDir(dataDir, dataDirAt);
  const myid = readMyidFile(dataDir);
  const cfg = parseOrFail(() => parseZooCfg(text, { file: configFile, myid }));
  const warnings = cfg.warnings.map((w) => `${w.file ?? configFile}${w.line === undefined ? '' : `:${w.line}`}: ${w.key === undefined ? '' : `${w.key}: `}${w.message}`);

  let verifier = cfg.verifier;
  if (cfg.dynamicConfigFile !== null) {
    const dynFile = path.resolve(cfg.dynamicConfigFile);
    const dynText = readText(dynFile, `dynamic config file (dynamicConfigFile at ${configFile}:${lineOf('dynamicConfigFile') ?? '?'})`);
    const dyn = parseOrFail(() =>
      parseDynamicConfig(dynText, {
        file: dynFile,
        standaloneEnabled: cfg.standaloneEnabled,
        multiAddressEnabled: cfg.multiAddressEnabled,
      }),
    );
    verifier = dyn.verifier;
    warnings.push(...dyn.warnings.map((w) => `${dynFile}: ${w}`));
  }
  if (verifier === null || verifier.members.size === 0) {
    throw new ServerError('CONFIG', `${configFile}: expected server.N lines (or a dynamicConfigFile) naming the ensemble, found none`);
  }
  const me = verifier.members.get(myid);
  if (me === undefined) {
    const sids = [...verifier.members.keys()].join(', ');
    throw new ServerError('MYID', `${path.join(dataDir, 'myid')}: server id ${myid} is not in the ensemble of ${configFile} (expected one of ${sids})`);
  }
  const address = me.addresses[0];
  if (address === undefined) throw new ServerError('CONFIG', `${configFile}: server.${myid} has no address`);
  const bindHost = cfg.quorumListenOnAllIPs ? '0.0.0.0' : address.host;

  const z = zkvoteSettings(cfg, verifier, configFile, lineOf, env);
  if (z.peers !== null && !z.peers.has(myid)) {
    throw new ServerError('CONFIG', `${configFile}:${lineOf('zkvote.peers') ?? '?'}: zkvote.peers: expected this server's id ${myid} among the zkvote peers, got ${[...z.peers].join(',') || 'none'}`);
  }
  const config: Omit<ServerConfig, 'peer'> = {
    configFile,
    myid,
    dataDir,
    tickTime: cfg.tickTime,
    initLimit: cfg.initLimit,
    syncLimit: cfg.syncLimit,
    verifier,
    learnerType: me.type,
    electionAddress: { host: bindHost, port: address.electionPort },
    quorumAddress: { host: bindHost, port: address.quorumPort },
    multiAddressEnabled: cfg.multiAddressEnabled,
    reconfigEnabled: cfg.reconfigEnabled,
    clientAddress: cfg.clientPort === null ? null : { host: cfg.clientPortAddress ?? '0.0.0.0', port: cfg.clientPort },
    adminAddress: cfg.admin.enableServer
      ? { host: cfg.settings.has('admin.serverAddress') ? cfg.admin.serverAddress : '127.0.0.1', port: cfg.admin.serverPort }
      : null,
    metricsAddress: z.metricsAddress,
    fourLetterWhitelist: cfg.fourLetterWords.includes('*') ? '*' : new Set(cfg.fourLetterWords),
    zkvotePeers: z.peers,
    fastDecision: z.fastDecision,
    minNotificationIntervalMs: z.minInterval,
    maxNotificationIntervalMs: z.maxInterval,
    finalizeWaitMs: z.finalizeWait,
    logLevel: z.logLevel,
    tls: cfg.sslQuorum ? tlsSettings(cfg, configFile, lineOf) : null,
    minSessionTimeout: intSetting(cfg, 'minSessionTimeout') ?? cfg.tickTime * 2,
    maxSessionTimeout: intSetting(cfg, 'maxSessionTimeout') ?? cfg.tickTime * 20,
    maxClientCnxns: intSetting(cfg, 'maxClientCnxns') ?? 60,
    warnings,
  };
  return { ...config, peer: peerOptions(config) };
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ServerError('CONFIG_UNREADABLE', `cannot read ${what} ${file}: ${errno(e)}`, { cause: e });
  }
}

function parseOrFail<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (QuorumConfigError.isInstance(e)) throw new ServerError('CONFIG', e.message, { cause: e });
    throw e;
  }
}

/** The line each key was last set on (Java Properties: the last one wins). */
function keyLines(text: string, file: string): (key: string) => number | undefined {
  const lines = new Map<string, number>();
  for (const e of loadProperties(text, file)) lines.set(e.key.trim(), e.line);
  return (key) => lines.get(key);
}

function checkDataDir(dataDir: string, at: string): void {
  let st: Stats;
  try {
    st = statSync(dataDir);
  } catch (e) {
    throw new ServerError('DATA_DIR', `${at} is not accessible: ${errno(e)}`, { cause: e });
  }
  if (!st.isDirectory()) throw new ServerError('DATA_DIR', `${at} is not a directory`);
  try {
    readdirSync(dataDir);
  } catch (e) {
    throw new ServerError('DATA_DIR', `${at} is not readable: ${errno(e)}`, { cause: e });
  }
}

function readMyidFile(dataDir: string): bigint {
  const file = path.join(dataDir, 'myid');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = errno(e);
    const why = code === 'ENOENT' ? 'missing (write this server\'s id into it, as for ZooKeeper)' : `unreadable: ${code}`;
    throw new ServerError('MYID', `myid file ${file} is ${why}`, { cause: e });
  }
  const value = text.trim();
  if (!/^[0-9]{1,19}$/.test(value) || BigInt(value) > 2n ** 63n - 1n) {
    throw new ServerError('MYID', `myid file ${file}: expected one decimal server id, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return BigInt(value);
}

interface ZkvoteSettings {
  peers: ReadonlySet<bigint> | null;
  fastDecision: boolean;
  minInterval: number;
  maxInterval: number;
  finalizeWait: number;
  logLevel: string;
  metricsAddress: HostPortView | null;
}

function zkvoteSettings(
  cfg: ZooCfg,
  verifier: QuorumVerifier,
  file: string,
  lineOf: (key: string) => number | undefined,
  env: NodeJS.ProcessEnv,
): ZkvoteSettings {
  const fail = (key: string, detail: string): never => {
    const line = lineOf(key);
    throw new ServerError('CONFIG', `${file}${line === undefined ? '' : `:${line}`}: ${key}: ${detail}`);
  };
  const known = new Set(ZKVOTE_KEYS.map(([k]) => k));
  for (const key of cfg.zkvote.keys()) {
    if (!known.has(key)) fail(key, `unknown zkvote setting; expected one of ${[...known].join(', ')}`);
  }
  const z = (key: string): string | undefined => cfg.zkvote.get(key);
  const int = (key: string, value: string | undefined, dflt: number, min: number, max: number): number => {
    if (value === undefined) return dflt;
    if (!/^[0-9]{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
      fail(key, `expected an integer in ${min}..${max}, got ${JSON.stringify(value.slice(0, 40))}`);
    }
    return Number(value);
  };

  let peers: Set<bigint> | null = null;
  const peersText = z('zkvote.peers');
  if (peersText !== undefined) {
    peers = new Set();
    for (const item of peersText.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      if (!/^[0-9]{1,19}$/.test(item)) fail('zkvote.peers', `expected comma-separated server ids, got ${JSON.stringify(item.slice(0, 40))}`);
      const sid = BigInt(item);
      if (!verifier.members.has(sid)) fail('zkvote.peers', `server id ${sid} is not in the ensemble (expected some of ${[...verifier.members.keys()].join(', ')})`);
      peers.add(sid);
    }
  }

  let fastDecision = true;
  const fd = z('zkvote.fastDecision');
  if (fd !== undefined) {
    if (fd !== 'true' && fd !== 'false') fail('zkvote.fastDecision', `expected true or false, got ${JSON.stringify(fd.slice(0, 40))}`);
    fastDecision = fd === 'true';
  }
  const minInterval = int('zkvote.minNotificationInterval', z('zkvote.minNotificationInterval'), 200, 1, 3_600_000);
  const maxInterval = int('zkvote.maxNotificationInterval', z('zkvote.maxNotificationInterval'), Math.max(60_000, minInterval), 1, 3_600_000);
  const finalizeWait = int('zkvote.finalizeWait', z('zkvote.finalizeWait'), 200, 1, 3_600_000);
  if (maxInterval < minInterval) fail('zkvote.maxNotificationInterval', `expected at least zkvote.minNotificationInterval (${minInterval}), got ${maxInterval}`);

  let logLevel = z('zkvote.logLevel') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) fail('zkvote.logLevel', `expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel.slice(0, 40))}`);
  const envLevel = env.ZKVOTE_LOG_LEVEL;
  if (envLevel !== undefined && envLevel !== '') {
    if (!LOG_LEVELS.includes(envLevel)) throw new ServerError('CONFIG', `ZKVOTE_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(envLevel.slice(0, 40))}`);
    logLevel = envLevel;
  }

  // Metrics: zkvote.metricsPort, or ZooKeeper's metricsProvider.className / httpPort convention.
  const mp = cfg.metricsProvider.properties;
  let metricsPort = int('zkvote.metricsPort', z('zkvote.metricsPort'), 0, 0, 65535);
  if (metricsPort === 0 && (cfg.metricsProvider.className !== null || mp.has('httpPort'))) {
    metricsPort = int('metricsProvider.httpPort', mp.get('httpPort'), DEFAULT_METRICS_PORT, 1, 65535);
  }
  const envPort = env.ZKVOTE_METRICS_PORT;
  if (envPort !== undefined && envPort !== '') {
    if (!/^[0-9]{1,5}$/.test(envPort) || Number(envPort) > 65535) {
      throw new ServerError('CONFIG', `ZKVOTE_METRICS_PORT: expected a port in 0..65535, got ${JSON.stringify(envPort.slice(0, 40))}`);
    }
    metricsPort = Number(envPort);
  }
  const metricsAddress = metricsPort === 0 ? null : { host: mp.get('httpHost') ?? '127.0.0.1', port: metricsPort };
  return { peers, fastDecision, minInterval, maxInterval, finalizeWait, logLevel, metricsAddress };
}

function tlsSettings(cfg: ZooCfg, file: string, lineOf: (key: string) => number | undefined): TlsSettings {
  const props = cfg.sslQuorumProperties;
  const at = (key: string): string => `${file}${lineOf(key) === undefined ? '' : `:${lineOf(key)}`}: ${key}`;
  const pemFile = (store: 'keyStore' | 'trustStore'): string => {
    const key = `ssl.quorum.${store}.location`;
    const location = props.get(key);
    if (location === undefined || location === '') throw new ServerError('CONFIG', `${at('sslQuorum')}: sslQuorum=true needs ${key} (a PEM file)`);
    const type = (props.get(`ssl.quorum.${store}.type`) ?? (/\.(jks|p12|pfx)$/i.test(location) ? location.split('.').pop()! : 'PEM')).toUpperCase();
    if (type !== 'PEM') {
      throw new ServerError('CONFIG', `${at(`ssl.quorum.${store}.type`)}: expected PEM (zkvote reads PEM key and trust stores), got ${type}`);
    }
    return readText(path.resolve(location), `${key} (${at(key)})`);
  };
  const keyPem = pemFile('keyStore');
  const caPem = pemFile('trustStore');
  const passphrase = props.get('ssl.quorum.keyStore.password');
  return {
    key: keyPem,
    cert: keyPem,
    ca: caPem,
    ...(passphrase !== undefined && passphrase !== '' ? { passphrase } : {}),
    hostnameVerification: (props.get('ssl.quorum.hostnameVerification') ?? 'true').toLowerCase() !== 'false',
  };
}

function intSetting(cfg: ZooCfg, key: string): number | undefined {
  const v = cfg.settings.get(key);
  return v !== undefined && /^-?[0-9]{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
}

function errno(e: unknown): string {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}
