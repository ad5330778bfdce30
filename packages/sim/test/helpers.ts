import { parseScenario, simulate, type SimResult, type SimulateOptions } from '../src/index.js';

export function run(doc: unknown, options: SimulateOptions = {}): SimResult {
  return simulate(parseScenario(doc), options);
}

/** The decision each peer holds at the end: `S3:FOLLOWING S5`. */
export function finalRoles(r: SimResult): string[] {
  return r.peers.map((p) => `S${p.sid}:${p.state}${p.leader === null ? '' : ` S${p.leader}`}`);
}

export function firstDecision(r: SimResult, sid: number): SimResult['decisions'][number] | undefined {
  return r.decisions.find((d) => d.sid === BigInt(sid));
}
