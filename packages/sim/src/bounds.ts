// Timing constants of the model, kept in one place because the liveness bound depends on all of
// them and the README states it.

import type { Scenario, SimOptions } from './scenario.js';

/** Failure detection samples peer health every tick (at most 50 ms, a quarter of the delay). */
export function tickMs(o: Pick<SimOptions, 'detectionDelayMs'>): number {
  return Math.max(1, Math.min(50, o.detectionDelayMs / 4));
}

/**
 * Virtual time within which, once faults stop with a quorum of voters up and no partition, every
 * live peer must follow one leader:
 *   2 × (detectionDelay + tick)      a stale leader steps down, then its followers notice
 * + 2 × maxNotificationInterval      a LOOKING peer whose timeout had backed off to the cap resends
 * + 10 × finalizeWait                a few quorum/finalize rounds
 * + 50 × (latency + jitter)          message round trips
 * + the largest injected delay       stragglers still in flight
 */
export function livenessBoundMs(scenario: Scenario): number {
  const o = scenario.options;
  let extra = 0;
  for (const e of scenario.events) if (e.kind === 'delay' || e.kind === 'reorder') extra = Math.max(extra, e.ms);
  return (
    2 * (o.detectionDelayMs + tickMs(o)) +
    2 * o.maxNotificationIntervalMs +
    10 * o.finalizeWaitMs +
    50 * (o.latencyMs + o.jitterMs) +
    extra
  );
}
