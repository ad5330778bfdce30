// Adapter from @zkvote/peer's Peer to the PeerSource the observers read.

import { ServerError } from './errors.js';
import type { ServerConfig } from './config.js';
import type { PackageLogger } from './logging.js';
import type { PeerSource } from './status.js';

export async function startZkvotePeer(config: ServerConfig, _logger: PackageLogger): Promise<PeerSource> {
  throw new ServerError('PEER', `@zkvote/peer is not available yet (sid ${config.myid})`);
}
