// A readable timeline of a run: what happened when, then the decisions, the liveness verdict
// and any invariant violations with the command that replays them.

import { formatZxid0x } from '@zkvote/wire';
import type { SimResult } from '../types.js';
import { decisionText, fateText, timeline, voteShort, type TimelineOptions } from './timeline.js';

export interface TextOptions extends TimelineOptions {
  /** Only items in [from, to] virtual ms. */
  from?: number;
  to?: number;
  /** Keep at most this many timeline lines (default unlimited); the rest are counted. */
  maxLines?: number;
}

export function formatText(result: SimResult, options: TextOptions = {}): string {
  const sids = result.scenario.servers.map((s) => `S${s.sid}${s.type === 'observer' ? '(obs)' : ''}`).join(' ');
  const o = result.scenario.options;
  const lines: string[] = [
    `seed ${result.seed} | servers ${sids} | fastDecision ${o.fastDecision ? 'on' : 'off'} | ran to ${result.endedAt} ms`,
    '',
  ];
  const width = String(Math.max(result.endedAt, 0)).length;
  const stamp = (at: number): string => `${String(at).padStart(width)} ms  `;
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  const max = options.maxLines ?? Infinity;
  let shown = 0;
  let skipped = 0;
  for (const item of timeline(result, options)) {
    if (item.at < from || item.at > to) continue;
    if (shown >= max) {
      skipped++;
      continue;
    }
    shown++;
    switch (item.kind) {
      case 'fault':
        lines.push(`${stamp(item.at)}-- ${item.fault.kind} ${item.fault.detail}`);
        break;
      case 'message': {
        const m = item.message;
        lines.push(`${stamp(item.at)}S${m.from} -> S${m.to}  ${m.state.padEnd(9)} ${voteShort(m.vote)}  ${fateText(m)}`);
        break;
      }
      case 'decision':
        lines.push(`${stamp(item.at)}** ${decisionText(item.decision)}`);
        break;
      case 'epoch':
        lines.push(`${stamp(item.at)}** S${item.epoch.leader} established epoch ${item.epoch.epoch} with ${item.epoch.members.map((s) => `S${s}`).join(',')}`);
        break;
    }
  }
  if (skipped > 0) lines.push(`... ${skipped} more lines`);
  lines.push('', 'Peers at the end:');
  for (const p of result.peers) {
    const role = p.state === 'DOWN' ? 'DOWN' : p.leader === null ? p.state : `${p.state} S${p.leader} (round ${p.round})`;
    lines.push(`  S${p.sid}  ${role}  zxid ${formatZxid0x(p.lastZxid)} epoch ${p.currentEpoch}`);
  }
  const l = result.liveness;
  lines.push(
    '',
    l.checked
      ? `Liveness: checked (faults stopped at ${l.quietFrom} ms, bound ${l.boundMs} ms): ${l.reason}${l.convergedAt === null ? '' : `, agreed on S${l.leader} at ${l.convergedAt} ms`}`
      : `Liveness: not checked (${l.reason})`,
  );
  if (result.violations.length === 0) lines.push('Invariants: all hold');
  else {
    lines.push(`Invariants: ${result.violations.length} violation(s)`);
    for (const v of result.violations) lines.push(`  [${v.invariant}] at ${v.at} ms: ${v.message}`);
    lines.push(`Replay: ${result.violations[0]?.replay}`);
  }
  return `${lines.join('\n')}\n`;
}
