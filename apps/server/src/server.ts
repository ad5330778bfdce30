// One running zkvote-server: the embedded peer plus the listeners that observe it (admin HTTP,
// four-letter words, metrics) and the logs. Ports are checked before the peer starts, so a
// taken port fails fast with nothing written to dataDir.

import net from 'node:net';
import type { Writable } from 'node:stream';
import { createAdminServer } from './admin.js';
import type { ServerConfig } from './config.js';
import { ServerError } from './errors.js';
import { FourLetterStats, startFourLetterServer, type FourLetterContext } from './fourletter.js';
import { formatHostPort, SERVER_VERSION, type HostPortView, type ServerInfo } from './info.js';
import { assertPortFree, closeServer, listen, trackConnections } from './listen.js';
import { createLogger, logPeerChanges, packageLogger, type PackageLogger, type PinoLogger } from './logging.js';
import { PeerMonitor, type MonitorClock } from './monitor.js';
import type { PeerSource } from './status.js';

/** Starts the peer for a configuration; the default is @zkvote/peer (see peer-source.ts). */
export type PeerFactory = (config: ServerConfig, logger: PackageLogger) => Promise<PeerSource>;

export interface StartOptions {
  peerFactory: PeerFactory;
  /** Where pino writes; default process.stdout. */
  stdout?: Writable;
  clock?: MonitorClock;
}

export interface BoundAddresses {
  election: HostPortView;
  quorum: HostPortView;
  client: HostPortView | null;
  admin: HostPortView | null;
  metrics: HostPortView | null;
}

export interface RunningServer {
  readonly config: ServerConfig;
  readonly addresses: BoundAddresses;
  readonly monitor: PeerMonitor;
  readonly logger: PinoLogger;
  /** Closes the listeners and the peer; safe to call twice. */
  close(): Promise<void>;
}

export function serverInfo(config: ServerConfig): ServerInfo {
  return {
    version: SERVER_VERSION,
    sid: config.myid,
    dataDir: config.dataDir,
    tickTime: config.tickTime,
    initLimit: config.initLimit,
    syncLimit: config.syncLimit,
    minSessionTimeout: config.minSessionTimeout,
    maxSessionTimeout: config.maxSessionTimeout,
    maxClientCnxns: config.maxClientCnxns,
    clientAddress: config.clientAddress,
    membership: config.verifier,
    fourLetterWhitelist: config.fourLetterWhitelist,
    zkvotePeers: config.zkvotePeers,
  };
}

export async function startServer(config: ServerConfig, options: StartOptions): Promise<RunningServer> {
  // Fail on a taken port before anything else happens (the peer may write epoch files).
  const planned: Array<[HostPortView | null, string]> = [
    [config.electionAddress, 'election'],
    [config.quorumAddress, 'quorum'],
    [config.clientAddress, 'client (clientPort)'],
    [config.adminAddress, 'admin (admin.serverPort)'],
    [config.metricsAddress, 'metrics'],
  ];
  for (const [address, what] of planned) {
    if (address !== null && address.port !== 0) await assertPortFree(net, address.host, address.port, what);
  }

  // prom-client (and its default collectors) costs ~13 MiB and ~90 ms to load: only when metrics
  // are configured, and before the peer starts so no election event can be missed meanwhile.
  const metricsModule = config.metricsAddress === null ? null : await import('./metrics.js');

  const logger = createLogger(options.stdout ?? process.stdout, config.logLevel, config.myid);
  for (const w of config.warnings) logger.warn({ event: 'config' }, w);

  let peer: PeerSource;
  try {
    peer = await options.peerFactory(config, packageLogger(logger.child({ component: 'peer' })));
  } catch (e) {
    if (ServerError.isInstance(e)) throw e;
    throw new ServerError('PEER', `the peer could not start: ${(e as Error).message}`, { cause: e });
  }

  const monitor = new PeerMonitor(peer, options.clock);
  const detachLogs = logPeerChanges(logger, monitor);
  const ctx: FourLetterContext = { info: serverInfo(config), monitor, stats: new FourLetterStats() };
  const metrics = metricsModule === null ? null : metricsModule.createMetrics(ctx);
  const listeners: net.Server[] = [];
  const addresses: BoundAddresses = {
    election: config.electionAddress,
    quorum: config.quorumAddress,
    client: null,
    admin: null,
    metrics: null,
  };

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      detachLogs();
      metrics?.detach();
      monitor.detach();
      await Promise.all(listeners.map((l) => closeServer(l)));
      await peer.close();
      logger.info({ event: 'stopped' }, 'zkvote-server stopped');
    })();
    return closed;
  };

  try {
    if (config.clientAddress !== null) {
      const s = trackConnections(startFourLetterServer({ host: config.clientAddress.host, port: config.clientAddress.port, ctx }));
      listeners.push(s);
      const port = await listen(s, config.clientAddress.host, config.clientAddress.port, 'client (clientPort)');
      addresses.client = { host: config.clientAddress.host, port };
    }
    if (config.adminAddress !== null) {
      const s = trackConnections(createAdminServer({ ctx }));
      listeners.push(s);
      const port = await listen(s, config.adminAddress.host, config.adminAddress.port, 'admin (admin.serverPort)');
      addresses.admin = { host: config.adminAddress.host, port };
    }
    if (metricsModule !== null && metrics !== null && config.metricsAddress !== null) {
      const s = trackConnections(metricsModule.createMetricsServer(metrics));
      listeners.push(s);
      const port = await listen(s, config.metricsAddress.host, config.metricsAddress.port, 'metrics');
      addresses.metrics = { host: config.metricsAddress.host, port };
    }
  } catch (e) {
    await close();
    throw e;
  }

  const show = (a: HostPortView | null): string | null => (a === null ? null : formatHostPort(a));
  logger.info(
    {
      event: 'started',
      version: SERVER_VERSION,
      configFile: config.configFile,
      dataDir: config.dataDir,
      learnerType: config.learnerType,
      election: show(addresses.election),
      quorum: show(addresses.quorum),
      client: show(addresses.client),
      admin: show(addresses.admin),
      metrics: show(addresses.metrics),
      voters: [...config.verifier.votingMembers.keys()].map(Number),
      zkvotePeers: config.zkvotePeers === null ? null : [...config.zkvotePeers].map(Number),
    },
    `zkvote-server ${config.myid} started: election ${show(addresses.election)}, quorum ${show(addresses.quorum)}, client ${show(addresses.client) ?? 'off'}, admin ${show(addresses.admin) ?? 'off'}, metrics ${show(addresses.metrics) ?? 'off'}`,
  );
  monitor.refresh();
  return { config, addresses, monitor, logger, close };
}
