export { FastLeaderElection } from './core/fle.js';
export * from './core/types.js';
export { makeVote, votesEqual, isBetter, formatVote, type Candidate } from './core/vote.js';
export { tally, trackedVerifiers, type Tally } from './core/tally.js';
export { ElectionError, type ElectionErrorCode } from './errors.js';
export {
  ElectionDriver,
  systemClock,
  type Clock,
  type TimerHandle,
  type DriverStats,
  type ElectionDriverEvents,
  type ElectionDriverOptions,
  type ElectionTransport,
} from './driver.js';
