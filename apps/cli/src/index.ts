// Public surface of @zkvote/cli: every command as a function (the bin only wires commander).

export { main, VERSION } from './cli.js';
export { CliError, errorText, type CliErrorCode } from './errors.js';
export { jsonLine, jsonLong, toJsonValue, type JsonValue } from './json.js';
export { formatTable, painter, processIo, useColour, type Io, type Paint, type Style } from './output.js';
export { loadEnsemble, type Ensemble } from './config.js';
export { emptyRow, rowJson, type Membership, type ServerRow, type Via } from './row.js';
export { probeElectionPort, type ElectionProbeOptions, type ElectionVote } from './probe/election.js';
export { adminGet, probeAdmin, type AdminReport, type AdminResponse } from './probe/admin.js';
export { fourLetterWord, probeFourLetter, type FourLetterReport } from './probe/fourletter.js';
export { formatStatus, parseAddresses, reachedAny, status, statusJson, summarize, summaryLine, type StatusOptions, type StatusReport } from './status.js';
export { diffReports, watch, type WatchEvent, type WatchOptions } from './watch.js';
export { subscribeEvents, type StreamCallbacks, type StreamHandle } from './events.js';
export {
  explain,
  formatQuorumCheck,
  formatTolerance,
  parseSids,
  quorumCheck,
  quorumCheckJson,
  quorumTolerance,
  tolerance,
  toleranceJson,
  type GroupReason,
  type QuorumCheckOptions,
  type QuorumCheckResult,
  type ToleranceResult,
} from './quorum.js';
export { loadScenario, replayCommand, runScenario, simulateCommand, SIMULATE_FORMATS, type SimulateCommandOptions, type SimulateFormat } from './simulate.js';
