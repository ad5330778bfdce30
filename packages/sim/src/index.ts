export { SimError, type SimErrorCode } from './errors.js';
export { Rng } from './rng.js';
export { EventQueue, type Scheduled } from './scheduler.js';
export {
  DEFAULT_OPTIONS,
  isHierarchical,
  parseLong,
  parseScenario,
  scenarioConfigText,
  type MessageVersion,
  type Scenario,
  type ServerSpec,
  type ServerType,
  type SimEvent,
  type SimEventKind,
  type SimOptions,
} from './scenario.js';
export { buildShorthandScenario, shorthandDocument, type ShorthandInput } from './shorthand.js';
export { defaultReplayCommand, scenarioVerifier, simulate, type SimulateOptions } from './simulator.js';
export { livenessBoundMs, tickMs } from './bounds.js';
export { checkInvariants } from './invariants.js';
export type * from './types.js';
export { formatText, type TextOptions } from './format/text.js';
export { formatJson, resultJson, jsonLong, type Json, type JsonOptions } from './format/json.js';
export { formatMermaid, type MermaidOptions } from './format/mermaid.js';
export { timeline, type TimelineItem, type TimelineOptions } from './format/timeline.js';
export {
  ALL_MIX,
  DEFAULT_SIZES,
  campaignReplayCommand,
  failureTimeline,
  generateScenario,
  runCampaign,
  type CampaignFailure,
  type CampaignOptions,
  type CampaignReport,
  type EnsembleFeature,
  type FaultKind,
  type MixItem,
} from './campaign.js';
export { findDivergences, type Divergence } from './invariants.js';
export { divergenceBoundMs, initLimitMs } from './bounds.js';
export { scenarioDocument } from './scenario.js';
