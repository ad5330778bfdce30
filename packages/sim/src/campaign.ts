// The seeded fault campaign: every seed deterministically yields a random ensemble (sizes,
// zxids, epochs, message formats, observers, weights) and a fault schedule (crashes, restarts,
// partitions, drops, duplicates, delays, reordering) that stops at a known time, so that both
// safety and liveness can be checked. A failing seed is replayed with one command.

import { makeZxid } from '@zkvote/wire';
import { formatText } from './format/text.js';
import { Rng } from './rng.js';
import { DEFAULT_OPTIONS, parseScenario, scenarioDocument, type Scenario, type SimEvent } from './scenario.js';
import { scenarioVerifier, simulate } from './simulator.js';
import type { CoreFactory, SimResult, Violation } from './types.js';

export type FaultKind = 'crash' | 'partition' | 'drop' | 'duplicate' | 'delay' | 'reorder';
export type EnsembleFeature = 'observers' | 'hierarchical' | 'versions';
export type MixItem = FaultKind | EnsembleFeature;

export const ALL_MIX: readonly MixItem[] = ['crash', 'partition', 'drop', 'duplicate', 'delay', 'reorder', 'observers', 'hierarchical', 'versions'];
export const DEFAULT_SIZES: readonly number[] = [3, 5, 7];

export interface CampaignOptions {
  /** Inclusive seed range. */
  seeds: { from: number; to: number };
  /** Numbers of voting participants to draw from (default 3, 5, 7). */
  ensembleSizes?: readonly number[];
  /** Faults and ensemble features to use (default: all). */
  faultMix?: readonly MixItem[];
  /** Force fast decision on or off (default: drawn per seed). */
  fastDecision?: boolean;
  coreFactory?: CoreFactory;
  /** Stop after this many failing seeds (default: run them all). */
  maxFailures?: number;
  /** Called after every seed (progress reporting in the soak script). */
  onResult?: (seed: number, result: SimResult) => void;
}

export interface CampaignFailure {
  seed: number;
  violations: Violation[];
  replay: string;
  /** The run's text timeline (the last lines before the first violation, plus the verdicts). */
  timeline: string;
  /** The generated scenario as a document, to save and run with `--scenario`. */
  scenario: Record<string, unknown>;
}

export interface CampaignReport {
  runs: number;
  failures: CampaignFailure[];
  decisions: number;
  messages: number;
  livenessChecked: number;
  /** Largest (convergedAt - quietFrom) seen among liveness-checked runs. */
  worstConvergenceMs: number;
}

/** The replay command for a campaign seed (flags only where they differ from the defaults). */
export function campaignReplayCommand(seed: number, options: Pick<CampaignOptions, 'ensembleSizes' | 'faultMix' | 'fastDecision'> = {}): string {
  let cmd = `pnpm --filter @zkvote/sim replay -- --seed ${seed}`;
  const sizes = options.ensembleSizes ?? DEFAULT_SIZES;
  if (sizes.join(',') !== DEFAULT_SIZES.join(',')) cmd += ` --sizes ${sizes.join(',')}`;
  const mix = options.faultMix ?? ALL_MIX;
  if ([...mix].sort().join(',') !== [...ALL_MIX].sort().join(',')) cmd += ` --mix ${mix.length === 0 ? 'none' : mix.join(',')}`;
  if (options.fastDecision !== undefined) cmd += ` --fast-decision ${options.fastDecision ? 'on' : 'off'}`;
  return cmd;
}

/** Deterministically builds the campaign scenario of one seed. */
export function generateScenario(seed: number, options: Pick<CampaignOptions, 'ensembleSizes' | 'faultMix' | 'fastDecision'> = {}): Scenario {
  const rng = new Rng(seed).fork('scenario');
  const mix = new Set(options.faultMix ?? ALL_MIX);
  const sizes = options.ensembleSizes ?? DEFAULT_SIZES;
  const n = rng.pick(sizes);

  // Voters: usually 1..n, sometimes scattered sids (the tie-break is by sid).
  const pool = Array.from({ length: n + 6 }, (_, i) => i + 1);
  const sids = rng.chance(0.7) ? pool.slice(0, n) : rng.sample(pool, n);
  const observers = mix.has('observers') && rng.chance(0.2) ? [Math.max(...sids) + 1 + rng.int(3)] : [];
  const hierarchical = mix.has('hierarchical') && rng.chance(0.15);
  const groups = hierarchical ? rng.range(1, Math.min(3, n)) : 0;

  // Old peers speak either the 40-byte (3.4) or the 28-byte (<= 3.3) layout, never both in one
  // ensemble: two version-0 votes must agree on peerEpoch, and a 28-byte sender's is derived from
  // its zxid. With 28-byte peers around, every peer's epoch therefore matches its zxid's epoch.
  // 28-byte peers are observers only: a 28-byte *voter* that follows a leader whose epoch was
  // updated after the decision reports the old (derived) epoch, and a peer joining later can
  // then cycle forever between finalizeWait (which discards that report) and the leader's
  // better-epoch LEADING reply. That is what 3.5+ rules do (3.4's backward-compatible vote
  // avoided it); see the README.
  const legacy = mix.has('versions') && rng.chance(0.3) ? rng.pick([0, 1] as const) : null;
  const servers: Record<string, unknown>[] = [];
  for (const sid of [...sids, ...observers]) {
    const epoch = rng.int(3);
    const counter = rng.int(4);
    const isObserver = observers.includes(sid);
    const version = legacy !== null && (legacy === 1 || isObserver) && rng.chance(legacy === 0 ? 0.7 : 0.4) ? legacy : 2;
    const peerEpoch = legacy === 0 ? epoch : epoch + (rng.chance(0.2) ? 1 : 0);
    const s: Record<string, unknown> = { sid, zxid: `0x${makeZxid(BigInt(epoch), BigInt(counter)).toString(16)}`, peerEpoch, version };
    if (isObserver) s.type = 'observer';
    if (hierarchical) {
      s.group = 1 + rng.int(groups);
      s.weight = isObserver ? 0 : rng.pick([0, 1, 1, 1, 2]);
    }
    servers.push(s);
  }
  const all = [...sids, ...observers];

  const events: Record<string, unknown>[] = [];
  const startAll = rng.chance(0.3);
  for (const sid of all) events.push({ at: startAll ? 0 : rng.int(300), start: [sid] });
  const faultEnd = rng.range(400, 2500);
  const at = (): number => rng.int(faultEnd);
  if (mix.has('drop') && rng.chance(0.5)) events.push({ at: at(), drop: round2(rng.float() * 0.3) });
  if (mix.has('duplicate') && rng.chance(0.4)) events.push({ at: at(), duplicate: round2(rng.float() * 0.2) });
  if (mix.has('delay') && rng.chance(0.4)) events.push({ at: at(), delay: { rate: round2(rng.float() * 0.4), ms: rng.range(5, 400) } });
  if (mix.has('reorder') && rng.chance(0.4)) events.push({ at: at(), reorder: { rate: round2(rng.float() * 0.4), ms: rng.range(5, 300) } });
  const down = new Set<number>();
  if (mix.has('crash')) {
    const crashes = rng.int(3);
    for (let i = 0; i < crashes; i++) {
      const sid = rng.pick(all);
      const t = at();
      events.push({ at: t, crash: [sid] });
      events.push({ at: Math.min(faultEnd, t + rng.range(20, 1500)), restart: [sid] });
    }
  }
  if (mix.has('partition')) {
    const parts = rng.int(3);
    for (let i = 0; i < parts; i++) {
      const side = rng.sample(all, 1 + rng.int(all.length - 1));
      const rest = all.filter((s) => !side.includes(s));
      const t = at();
      events.push({ at: t, partition: [side, rest] });
      events.push({ at: Math.min(faultEnd, t + rng.range(50, 1500)), heal: true });
    }
  }
  // Faults stop at faultEnd. Maybe one voter stays down, if a quorum survives without it.
  events.push({ at: faultEnd, heal: true });
  for (const kind of ['drop', 'duplicate'] as const) events.push({ at: faultEnd, [kind]: 0 });
  events.push({ at: faultEnd, delay: { rate: 0, ms: 0 } }, { at: faultEnd, reorder: { rate: 0, ms: 0 } });
  events.push({ at: faultEnd, restart: all });
  if (mix.has('crash') && rng.chance(0.3)) {
    const victim = rng.pick(sids);
    down.add(victim);
    events.push({ at: faultEnd, crash: [victim] });
  }

  const doc = {
    servers,
    events,
    options: {
      fastDecision: options.fastDecision ?? rng.chance(0.7),
      latencyMs: rng.range(1, 5),
      jitterMs: rng.int(6),
      minNotificationIntervalMs: rng.pick([50, 100, 200]),
      maxNotificationIntervalMs: rng.pick([800, 1600]),
      finalizeWaitMs: DEFAULT_OPTIONS.finalizeWaitMs,
      detectionDelayMs: rng.range(200, 1000),
      seed,
    },
  };
  let scenario = parseScenario(doc);
  // A crash left in place must not take the quorum with it, and weights must allow a quorum.
  const verifier = scenarioVerifier(scenario);
  const voters = [...verifier.votingMembers.keys()];
  if (!verifier.containsQuorum(voters)) return generateScenario(seed + 0x1_0000_0000, options);
  if (down.size > 0 && !verifier.containsQuorum(voters.filter((s) => !down.has(Number(s))))) {
    scenario = parseScenario({ ...doc, events: events.filter((e) => !(e.at === faultEnd && 'crash' in e)) });
  }
  return scenario;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Runs every seed of the range; collects failures with their replay command and timeline. */
export function runCampaign(options: CampaignOptions): CampaignReport {
  const report: CampaignReport = { runs: 0, failures: [], decisions: 0, messages: 0, livenessChecked: 0, worstConvergenceMs: 0 };
  for (let seed = options.seeds.from; seed <= options.seeds.to; seed++) {
    const scenario = generateScenario(seed, options);
    const replay = campaignReplayCommand(seed, options);
    const sim = options.coreFactory === undefined ? {} : { coreFactory: options.coreFactory };
    const result = simulate(scenario, { ...sim, seed, replayCommand: replay });
    report.runs++;
    report.decisions += result.decisions.length;
    report.messages += result.stats.messages;
    const l = result.liveness;
    if (l.checked) {
      report.livenessChecked++;
      if (l.convergedAt !== null) report.worstConvergenceMs = Math.max(report.worstConvergenceMs, l.convergedAt - l.quietFrom);
    }
    options.onResult?.(seed, result);
    if (result.violations.length > 0) {
      report.failures.push({ seed, violations: result.violations, replay, timeline: failureTimeline(result), scenario: scenarioDocument(scenario) });
      if (options.maxFailures !== undefined && report.failures.length >= options.maxFailures) break;
    }
  }
  return report;
}

/** The last 60 timeline lines up to the first violation, then the verdicts. */
export function failureTimeline(result: SimResult): string {
  const first = result.violations.reduce((m, v) => Math.min(m, v.at), Infinity);
  const full = formatText(result, { to: first }).split('\n');
  const blank = full.indexOf('');
  const body = full.slice(blank + 1);
  const end = body.indexOf('');
  const events = body.slice(0, end);
  const tail = events.length > 60 ? [`... ${events.length - 60} earlier lines`, ...events.slice(-60)] : events;
  return [...full.slice(0, blank + 1), ...tail, ...body.slice(end)].join('\n');
}

export type { SimEvent };
