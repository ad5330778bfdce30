// `pnpm --filter @zkvote/sim replay -- --seed <n> [--scenario <file>] [--format text|json|mermaid]`
// Re-runs one campaign seed (or a scenario file with that seed) and prints the run; with
// --save <file> it also writes the generated scenario document. Exit code 1 on violations.

import { readFileSync, writeFileSync } from 'node:fs';
import { campaignReplayCommand, generateScenario } from '../campaign.js';
import { SimError } from '../errors.js';
import { formatJson } from '../format/json.js';
import { formatMermaid } from '../format/mermaid.js';
import { formatText } from '../format/text.js';
import { parseScenario, scenarioDocument } from '../scenario.js';
import { defaultReplayCommand, simulate } from '../simulator.js';
import { fastFlag, intFlag, mixFlag, parseFlags, runScript, sizesFlag } from './args.js';

function main(argv: readonly string[]): number {
  const flags = parseFlags(argv);
  if (!flags.has('seed')) throw new SimError('BAD_OPTION', 'expected --seed <n>', '--seed');
  const seed = intFlag(flags, 'seed', 1);
  const file = flags.get('scenario');
  const ensembleSizes = sizesFlag(flags);
  const faultMix = mixFlag(flags);
  const fastDecision = fastFlag(flags);
  const campaign = { ...(ensembleSizes && { ensembleSizes }), ...(faultMix && { faultMix }), ...(fastDecision !== undefined && { fastDecision }) };
  const scenario = file === undefined ? generateScenario(seed, campaign) : parseScenario(readFileSync(file, 'utf8'));
  const replayCommand = file === undefined ? campaignReplayCommand(seed, campaign) : defaultReplayCommand(seed, file);
  const result = simulate(scenario, { seed, replayCommand });
  const save = flags.get('save');
  if (save !== undefined) writeFileSync(save, `${JSON.stringify(scenarioDocument(scenario), null, 2)}\n`);
  const format = flags.get('format') ?? 'text';
  if (format === 'json') process.stdout.write(formatJson(result));
  else if (format === 'mermaid') process.stdout.write(formatMermaid(result));
  else if (format === 'text') process.stdout.write(formatText(result));
  else throw new SimError('BAD_OPTION', `expected text, json or mermaid, got ${JSON.stringify(format)}`, '--format');
  return result.violations.length === 0 ? 0 : 1;
}

runScript('replay', main);
