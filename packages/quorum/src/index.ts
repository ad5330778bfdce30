export { QuorumConfigError, type QuorumConfigErrorCode, type QuorumConfigErrorInit } from './errors.js';
export { loadProperties, type PropertyEntry } from './properties.js';
export {
  formatServerSpec,
  parseServerSpec,
  serversEqual,
  type ClientAddress,
  type LearnerType,
  type QuorumServer,
  type ServerAddress,
  type ServerSpecOptions,
} from './server.js';
export type { QuorumVerifier } from './verifier.js';
export { QuorumMaj } from './majority.js';
export { isHierarchical, QuorumHierarchical, type HierarchicalInit } from './hierarchical.js';
export { VoteTracker } from './tracker.js';
export {
  parseDynamicConfig,
  parseNotificationConfig,
  versionFromFileName,
  type DynamicConfig,
  type DynamicConfigOptions,
  type MembershipOptions,
  type NotificationConfigResult,
} from './dynamic.js';
export { parseZooCfg, type ConfigWarning, type ZooCfg, type ZooCfgOptions } from './zoocfg.js';
export {
  explainQuorum,
  faultTolerance,
  type FaultTolerance,
  type FaultToleranceOptions,
  type GroupExplanation,
  type QuorumExplanation,
} from './analysis.js';
