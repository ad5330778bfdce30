// A zoo.cfg-derived configuration as @zkvote/peer startPeer options.

import type { PeerOptions } from '@zkvote/peer';
import type { ServerConfig } from './config.js';
import type { PackageLogger } from './logging.js';

export function peerOptions(config: Omit<ServerConfig, 'peer'>, logger?: PackageLogger): PeerOptions {
  return {
    myid: config.myid,
    verifier: config.verifier,
    dataDir: config.dataDir,
    electionAddress: { ...config.electionAddress },
    quorumAddress: { ...config.quorumAddress },
    tickTime: config.tickTime,
    initLimit: config.initLimit,
    syncLimit: config.syncLimit,
    fastDecision: config.fastDecision,
    ...(config.zkvotePeers === null ? {} : { zkvotePeers: config.zkvotePeers }),
    multiAddress: config.multiAddressEnabled,
    reconfigEnabled: config.reconfigEnabled,
    ...(config.tls === null ? {} : { tls: { ...config.tls } }),
    ...(logger === undefined ? {} : { logger }),
    election: {
      minNotificationIntervalMs: config.minNotificationIntervalMs,
      maxNotificationIntervalMs: config.maxNotificationIntervalMs,
      finalizeWaitMs: config.finalizeWaitMs,
    },
  };
}
