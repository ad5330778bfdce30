// `pnpm --filter @zkvote/sim soak -- --seeds 100000 [--from 1] [--sizes 3,5,7] [--mix ...]`
// Runs the seeded fault campaign over many seeds, printing progress; every failing seed is
// printed with its replay command and timeline. Exit code 1 when any invariant broke.

import { runCampaign } from '../campaign.js';
import { fastFlag, intFlag, mixFlag, parseFlags, runScript, sizesFlag } from './args.js';

function main(argv: readonly string[]): number {
  const flags = parseFlags(argv);
  const count = intFlag(flags, 'seeds', 10_000);
  const from = intFlag(flags, 'from', 1);
  const maxFailures = intFlag(flags, 'max-failures', 10);
  const ensembleSizes = sizesFlag(flags);
  const faultMix = mixFlag(flags);
  const fastDecision = fastFlag(flags);
  const started = Date.now();
  const every = Math.max(1, Math.floor(count / 20));
  const report = runCampaign({
    seeds: { from, to: from + count - 1 },
    ...(ensembleSizes && { ensembleSizes }),
    ...(faultMix && { faultMix }),
    ...(fastDecision !== undefined && { fastDecision }),
    maxFailures,
    onResult: (seed, result) => {
      const done = seed - from + 1;
      if (result.violations.length > 0) process.stdout.write(`seed ${seed}: ${result.violations.length} violation(s)\n`);
      if (done % every === 0) process.stdout.write(`${done}/${count} seeds, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    },
  });
  for (const f of report.failures) {
    process.stdout.write(`\n=== seed ${f.seed} ===\n${f.violations.map((v) => `[${v.invariant}] ${v.message}`).join('\n')}\nreplay: ${f.replay}\n\n${f.timeline}\n`);
  }
  process.stdout.write(
    `\n${report.runs} runs, ${report.failures.length} failing, ${report.decisions} decisions, ${report.messages} messages, ` +
      `liveness checked in ${report.livenessChecked}, slowest convergence after faults ${report.worstConvergenceMs} ms\n`,
  );
  return report.failures.length === 0 ? 0 : 1;
}

runScript('soak', main);
