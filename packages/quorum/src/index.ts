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
export { QuorumHierarchical, type HierarchicalInit } from './hierarchical.js';
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
