// Timing constants of the model, kept in one place because the liveness bound depends on all of
// them and the README states it.

import type { Scenario, SimOptions } from './scenario.js';

/** Failure detection samples peer health every tick (at most 50 ms, a quarter of the delay). */
export function tickMs(o: Pick<SimOptions, 'detectionDelayMs'>): number {
  return Math.max(1, Math.min(50, o.detectionDelayMs / 4));
}

/** How long a new leader waits for a quorum of followers (see SimOptions.initLimitMs). */
export function initLimitMs(o: Pick<SimOptions, 'initLimitMs' | 'detectionDelayMs' | 'maxNotificationIntervalMs'>): number {
  return o.initLimitMs ?? o.detectionDelayMs + o.maxNotificationIntervalMs;
}

/**
 * Virtual time within which, once faults stop with a quorum of voters up and no partition, every
 * live peer must follow one leader. Convergence can take two election waves: stale followers
 * notice their leader is gone; an election whose votes crawl through backed-off notification
 * timeouts may pick a leader some voter never heard of in time, which then gives up after
 * initLimit; its followers notice; the next election succeeds. Hence:
 *   3 × detectionDelay + initLimit + 4 × tick   detections and one failed leadership
 * + 3 × maxNotificationInterval                 backed-off resends in each wave
 * + 10 × finalizeWait                           quorum/finalize rounds
 * + 50 × (latency + jitter)                     message round trips
 * + the largest injected delay                  stragglers still in flight
 * The campaign reports the slowest convergence it actually saw (CampaignReport.worstConvergenceMs).
 */
export function livenessBoundMs(scenario: Scenario): number {
  const o = scenario.options;
  let extra = 0;
  for (const e of scenario.events) if (e.kind === 'delay' || e.kind === 'reorder') extra = Math.max(extra, e.ms);
  return (
    3 * o.detectionDelayMs +
    initLimitMs(o) +
    4 * tickMs(o) +
    3 * o.maxNotificationIntervalMs +
    10 * o.finalizeWaitMs +
    50 * (o.latencyMs + o.jitterMs) +
    extra
  );
}

/**
 * How long two voters may hold decisions for different leaders from the same round: a
 * follower waits up to detectionDelay for its leader to decide LEADING; a leader that gets no
 * quorum gives up after initLimit; its followers notice after detectionDelay (each sampled on
 * a tick).
 */
export function divergenceBoundMs(o: Pick<SimOptions, 'initLimitMs' | 'detectionDelayMs' | 'maxNotificationIntervalMs'>): number {
  return initLimitMs(o) + 2 * o.detectionDelayMs + 4 * tickMs(o);
}
