// Public surface of @zkvote/cnxmanager: ZooKeeper's election connection manager over TCP/TLS.

export { QuorumCnxManager, type CnxEvents } from './manager.js';
export { CnxError, type CnxErrorCode } from './errors.js';
export type { QuorumCnxManagerOptions, CnxTlsOptions, PeerAddress, PeerAddresses } from './options.js';
export type { PeerInfo, CnxStats } from './peer-state.js';
export type { ReceivedMessage } from './receive-queue.js';
export type { Direction, RejectReason, CloseReason } from './connection.js';
export { systemClock, silentLogger, type Clock, type TimerHandle, type Logger } from './clock.js';
