// One merged, time-ordered view of a run (faults, messages, decisions, epochs) shared by the
// text and Mermaid formatters. Same-time items keep a fixed kind order, then record order.

import type { DecisionRecord, EpochRecord, FaultRecord, MessageRecord, SimResult, VoteRecord } from '../types.js';
import { formatZxid0x } from '@zkvote/wire';

export type TimelineItem =
  | { kind: 'fault'; at: number; fault: FaultRecord }
  | { kind: 'message'; at: number; message: MessageRecord }
  | { kind: 'decision'; at: number; decision: DecisionRecord }
  | { kind: 'epoch'; at: number; epoch: EpochRecord };

const ORDER: Record<TimelineItem['kind'], number> = { fault: 0, message: 1, decision: 2, epoch: 3 };

export interface TimelineOptions {
  /** Include a peer's notifications to itself (default false). */
  loopback?: boolean;
  /** Include messages that never reached the wire (superseded in the send slot, pending). */
  unsent?: boolean;
}

export function timeline(result: SimResult, options: TimelineOptions = {}): TimelineItem[] {
  const items: { item: TimelineItem; n: number }[] = [];
  let n = 0;
  for (const fault of result.faults) items.push({ item: { kind: 'fault', at: fault.at, fault }, n: n++ });
  for (const message of result.messages) {
    if (!options.loopback && message.from === message.to) continue;
    if (!options.unsent && (message.fate === 'superseded' || message.fate === 'pending')) continue;
    items.push({ item: { kind: 'message', at: message.at, message }, n: n++ });
  }
  for (const decision of result.decisions) items.push({ item: { kind: 'decision', at: decision.at, decision }, n: n++ });
  for (const epoch of result.epochs) items.push({ item: { kind: 'epoch', at: epoch.at, epoch }, n: n++ });
  items.sort((a, b) => a.item.at - b.item.at || ORDER[a.item.kind] - ORDER[b.item.kind] || a.n - b.n);
  return items.map((x) => x.item);
}

export function voteShort(v: VoteRecord): string {
  return `(${v.leader}, ${formatZxid0x(v.zxid)}, e${v.peerEpoch}) r${v.electionEpoch}`;
}

export function fateText(m: MessageRecord): string {
  const tags: string[] = [];
  if (m.resend) tags.push('resend');
  if (m.duplicate) tags.push('duplicate');
  if (m.delayedMs > 0) tags.push(`delayed +${m.delayedMs} ms`);
  const fate = m.fate === 'delivered' ? `delivered at ${m.deliveredAt} ms` : m.fate;
  return tags.length === 0 ? fate : `${fate} (${tags.join(', ')})`;
}

export function decisionText(d: DecisionRecord): string {
  const how = d.path === 'looking' ? (d.fast ? 'fast decision' : 'after finalizeWait') : `via ${d.path}`;
  return `S${d.sid} decided ${d.state} S${d.leader} in round ${d.round} (${how}, ${formatZxid0x(d.zxid)}, e${d.peerEpoch})`;
}
