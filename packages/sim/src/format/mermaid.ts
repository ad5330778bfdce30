// The run as a Mermaid sequenceDiagram: one participant per server, an arrow per notification
// that reached the wire (crossed when dropped or lost), notes for faults and decisions. Long
// runs are capped: messages past the cap are counted in a final note.

import type { SimResult } from '../types.js';
import { decisionText, timeline, voteShort } from './timeline.js';

export interface MermaidOptions {
  /** Most messages drawn (default 200); faults and decisions are always drawn. */
  maxMessages?: number;
}

/** Mermaid's sequence text ends at ';' and treats '#' as an entity start: keep text plain. */
function clean(text: string): string {
  return text.replace(/[;#%<>]/g, ' ').replace(/[{}]/g, (c) => (c === '{' ? '[' : ']')).replace(/\s+/g, ' ').trim();
}

export function formatMermaid(result: SimResult, options: MermaidOptions = {}): string {
  const max = options.maxMessages ?? 200;
  const sids = [...result.scenario.servers.map((s) => s.sid)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const first = `S${sids[0]}`;
  const last = `S${sids[sids.length - 1]}`;
  const all = sids.length > 1 ? `${first},${last}` : first;
  const lines = ['sequenceDiagram'];
  for (const sid of sids) lines.push(`  participant S${sid}`);
  let drawn = 0;
  let omitted = 0;
  for (const item of timeline(result)) {
    switch (item.kind) {
      case 'fault': {
        const f = item.fault;
        const where = f.kind === 'start' || f.kind === 'crash' || f.kind === 'restart' ? f.detail : all;
        lines.push(`  Note over ${where}: ${clean(`${item.at} ms ${f.kind} ${f.kind === 'start' || f.kind === 'crash' || f.kind === 'restart' ? '' : f.detail}`)}`);
        break;
      }
      case 'message': {
        const m = item.message;
        if (drawn >= max) {
          omitted++;
          break;
        }
        drawn++;
        const arrow = m.fate === 'delivered' ? (m.resend || m.duplicate ? '-->>' : '->>') : m.resend || m.duplicate ? '--x' : '-x';
        const tag = m.fate === 'delivered' ? '' : ` ${m.fate}`;
        lines.push(`  S${m.from}${arrow}S${m.to}: ${clean(`${m.state} ${voteShort(m.vote)}${tag}`)}`);
        break;
      }
      case 'decision':
        lines.push(`  Note over S${item.decision.sid}: ${clean(`${item.at} ms ${decisionText(item.decision)}`)}`);
        break;
      case 'epoch':
        lines.push(`  Note over S${item.epoch.leader}: ${clean(`${item.at} ms epoch ${item.epoch.epoch} established`)}`);
        break;
    }
  }
  if (omitted > 0) lines.push(`  Note over ${all}: ${omitted} more messages not drawn (cap ${max}), see the JSON output`);
  return `${lines.join('\n')}\n`;
}
