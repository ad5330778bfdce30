export { createPeer, startPeer, Peer } from './peer.js';
export type {
  ElectionInfo,
  LeaderChange,
  ListenAddress,
  PeerElectionEvent,
  PeerEvents,
  PeerOptions,
  PeerState,
  Role,
  StateChange,
} from './types.js';
export type { Vote, DecisionPath, ProposalReason, DriverStats } from '@zkvote/election';
export type { PeerInfo, CnxTlsOptions } from '@zkvote/cnxmanager';
export type { LearnerView } from './epoch/leader.js';
export { PeerError, type PeerErrorCode } from './errors.js';
export { systemClock, silentLogger, type Clock, type Logger, type TimerHandle } from './clock.js';
export {
  ACCEPTED_EPOCH_FILENAME,
  CURRENT_EPOCH_FILENAME,
  MYID_FILENAME,
  EpochStore,
  readLongFile,
  readMyid,
  writeLongAtomic,
  type AtomicFs,
  type Epochs,
} from './persistence.js';
export {
  QUORUM_MAGIC,
  QUORUM_PROTOCOL_VERSION,
  QuorumFrameDecoder,
  QuorumMessageType,
  RejectReason,
  decodeQuorumPayload,
  encodeQuorumMessage,
  type LearnerRole,
  type ResponderState,
  type ResponderStatus,
  type QuorumMessage,
} from './epoch/messages.js';
