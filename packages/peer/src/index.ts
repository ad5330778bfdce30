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
