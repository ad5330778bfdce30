// `zkvote quorum check|tolerance`: the quorum arithmetic of a zoo.cfg, explained per group
// (PROTOCOL.md 5.3-5.4), so an operator sees why a live set is (not) a quorum and why 4
// servers survive no more failures than 3.

import { explainQuorum, faultTolerance, isHierarchical, type GroupExplanation, type QuorumExplanation, type QuorumVerifier } from '@zkvote/quorum';
import { loadEnsemble } from './config.js';
import { CliError } from './errors.js';
import { toJsonValue, type JsonValue } from './json.js';
import { formatTable, type Paint } from './output.js';

/** A comma-separated sid list (`1,2,5`); empty means nobody is up. */
export function parseSids(flag: string, text: string): bigint[] {
  const items = text.split(',').map((s) => s.trim());
  if (text.trim() === '') return [];
  return items.map((item) => {
    if (!/^-?[0-9]+$/.test(item)) throw new CliError('USAGE', `${flag}: expected a comma-separated list of sids like 1,2,5, got ${JSON.stringify(item)}`);
    return BigInt(item);
  });
}

export interface QuorumCheckOptions {
  config: string;
  up: readonly bigint[];
}

/** @zkvote/quorum's per-group explanation, with the sentence the CLI prints for it. */
export interface GroupReason extends GroupExplanation {
  reason: string;
}

export interface QuorumCheckResult {
  quorum: boolean;
  kind: 'majority' | 'hierarchical';
  up: bigint[];
  groups: GroupReason[];
  /** Groups that count, and how many must (1 of 1 for a majority). */
  counted: number;
  needed: number;
  /** Live sids that do not vote (observers, unknown sids). */
  ignored: bigint[];
  reason: string;
}

function groupReason(g: QuorumExplanation['groups'][number], hierarchical: boolean): string {
  const what = hierarchical ? `group ${g.gid}` : 'voters';
  if (g.discarded) return `${what} has weight 0 and is left out`;
  const unit = hierarchical ? 'weight' : 'votes';
  return g.counts
    ? `${what}: ${g.liveWeight} of ${g.totalWeight} ${unit} up, ${g.needed} needed: counts`
    : `${what}: ${g.liveWeight} of ${g.totalWeight} ${unit} up, ${g.needed} needed: does not count`;
}

export function explain(verifier: QuorumVerifier, up: readonly bigint[]): QuorumCheckResult {
  const e = explainQuorum(verifier, up);
  const hierarchical = isHierarchical(verifier);
  const groups = e.groups.map((g) => ({ ...g, reason: groupReason(g, hierarchical) }));
  const reason = hierarchical
    ? `${e.counted} of ${groups.filter((g) => !g.discarded).length} groups count, ${e.needed} needed: ${e.quorum ? 'quorum' : 'no quorum'}`
    : `${groups[0]?.liveWeight ?? 0} of ${groups[0]?.totalWeight ?? 0} voters up, ${groups[0]?.needed ?? 0} needed: ${e.quorum ? 'quorum' : 'no quorum'}`;
  return {
    quorum: e.quorum,
    kind: hierarchical ? 'hierarchical' : 'majority',
    up: [...up],
    groups,
    counted: e.counted,
    needed: e.needed,
    ignored: e.ignored,
    reason,
  };
}

export function quorumCheck(options: QuorumCheckOptions): QuorumCheckResult {
  return explain(loadEnsemble(options.config).verifier, options.up);
}

export function quorumCheckJson(r: QuorumCheckResult): JsonValue {
  const { quorum, groups, ...rest } = r;
  // `quorum` and `groups` first, as the issue shows them.
  return toJsonValue({ quorum, groups, ...rest });
}

export function formatQuorumCheck(r: QuorumCheckResult, paint: Paint): string {
  const verdict = r.quorum ? paint('green', 'QUORUM') : paint('red', 'NO QUORUM');
  const list = (s: readonly bigint[]): string => (s.length === 0 ? '-' : s.join(','));
  const rows = r.groups.map((g) => [
    r.kind === 'majority' ? '-' : g.gid.toString(),
    list(g.members),
    list(g.live),
    `${g.liveWeight}/${g.totalWeight}`,
    String(g.needed),
    g.discarded ? paint('dim', 'discarded') : g.counts ? paint('green', 'yes') : paint('red', 'no'),
  ]);
  let out = `${verdict}: ${r.reason}\n` + formatTable(['group', 'members', 'up', 'weight', 'needed', 'counts'], rows, paint);
  if (r.ignored.length > 0) out += `ignored (not voters): ${r.ignored.join(',')}\n`;
  return out;
}

export interface ToleranceResult {
  kind: 'majority' | 'hierarchical';
  voters: bigint[];
  tolerates: number;
  /** Smallest failure sets that break every quorum. */
  minimalBreakingSets: bigint[][];
  complete: boolean;
  /** For a majority ensemble: the smaller odd ensemble with the same tolerance, if any. */
  sameAs: number | null;
  reason: string;
}

export function tolerance(verifier: QuorumVerifier): ToleranceResult {
  const ft = faultTolerance(verifier);
  const voters = [...verifier.votingMembers.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hierarchical = isHierarchical(verifier);
  const n = voters.length;
  let reason: string;
  let sameAs: number | null = null;
  if (ft.tolerates < 0) {
    reason = 'the voters together are no quorum: no failure is survivable';
  } else if (!hierarchical) {
    const needed = Math.floor(n / 2) + 1;
    reason = `${n} voters need ${needed} up (more than half), so any ${ft.tolerates} may fail and any ${ft.tolerates + 1} break it`;
    if (n % 2 === 0 && n > 0) {
      sameAs = n - 1;
      reason += `; ${n - 1} voters tolerate the same ${ft.tolerates}: the extra voter raises the quorum to ${needed} and is one more server that can fail`;
    }
  } else {
    reason = `any ${ft.tolerates} voter failures leave a majority of group weights up; the cheapest way to break it takes ${ft.tolerates + 1}`;
  }
  return { kind: hierarchical ? 'hierarchical' : 'majority', voters, tolerates: ft.tolerates, minimalBreakingSets: ft.minimalBreakingSets, complete: ft.complete, sameAs, reason };
}

export function quorumTolerance(config: string): ToleranceResult {
  return tolerance(loadEnsemble(config).verifier);
}

export function toleranceJson(r: ToleranceResult): JsonValue {
  return toJsonValue(r);
}

export function formatTolerance(r: ToleranceResult, paint: Paint): string {
  const lines = [
    `${paint('bold', `tolerates ${Math.max(r.tolerates, 0)} failure${r.tolerates === 1 ? '' : 's'}`)} (${r.kind}, ${r.voters.length} voters: ${r.voters.join(',')})`,
    r.reason,
  ];
  if (r.minimalBreakingSets.length > 0 && r.tolerates >= 0) {
    const sets = r.minimalBreakingSets.map((s) => `{${s.join(',')}}`).join(' ');
    lines.push(`smallest failures that break the quorum: ${sets}${r.complete ? '' : ' (list cut short)'}`);
  }
  return lines.join('\n') + '\n';
}
