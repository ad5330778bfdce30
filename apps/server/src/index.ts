// Public surface of @zkvote/server: run or embed zkvote-server, and the pieces it is built from.

export { runServer, EXIT_OK, EXIT_FAILURE, EXIT_CANNOT_START, type RunIo } from './run.js';
export { loadServerConfig, ZKVOTE_KEYS, type ServerConfig, type TlsSettings, type LoadOptions } from './config.js';
export { startServer, serverInfo, type RunningServer, type StartOptions, type PeerFactory, type BoundAddresses } from './server.js';
export { startZkvotePeer, PeerAdapter, eventView } from './peer-source.js';
export { peerOptions } from './peer-options.js';
export { ServerError, type ServerErrorCode } from './errors.js';
export { PeerMonitor, activeVote, type StreamEvent, type MonitorClock, type StateChange, type Elected } from './monitor.js';
export type { PeerStatus, PeerSource, VoteView, ConnectionView, ElectionEventView, StateName } from './status.js';
export { helpText } from './help.js';
