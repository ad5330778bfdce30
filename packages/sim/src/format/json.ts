// SimResult as JSON with a stable key order: bigints become numbers when they are safe
// integers, decimal strings otherwise. Records of long lists are written one per line.

import type { DecisionRecord, MessageRecord, SimResult } from '../types.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function jsonLong(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

const nullableLong = (v: bigint | null): Json => (v === null ? null : jsonLong(v));

export function messageJson(m: MessageRecord): Json {
  return {
    id: m.id,
    at: m.at,
    from: jsonLong(m.from),
    to: jsonLong(m.to),
    state: m.state,
    vote: {
      leader: jsonLong(m.vote.leader),
      zxid: jsonLong(m.vote.zxid),
      electionEpoch: jsonLong(m.vote.electionEpoch),
      peerEpoch: jsonLong(m.vote.peerEpoch),
    },
    bytes: m.bytes,
    fate: m.fate,
    deliveredAt: m.deliveredAt,
    delivered: m.fate === 'delivered',
    dropped: m.fate === 'dropped',
    duplicated: m.duplicate,
    resend: m.resend,
    delayedMs: m.delayedMs,
  };
}

export function decisionJson(d: DecisionRecord): Json {
  return {
    sid: jsonLong(d.sid),
    state: d.state,
    leader: jsonLong(d.leader),
    round: jsonLong(d.round),
    at: d.at,
    zxid: jsonLong(d.zxid),
    peerEpoch: jsonLong(d.peerEpoch),
    fast: d.fast,
    path: d.path,
    voters: d.voters.map(jsonLong),
    endedAt: d.endedAt,
    endReason: d.endReason,
  };
}

export interface JsonOptions {
  /** Include a peer's notifications to itself (default false). */
  loopback?: boolean;
}

/** The result as a plain JSON value (what formatJson prints). */
export function resultJson(result: SimResult, options: JsonOptions = {}): { [key: string]: Json } {
  const s = result.scenario;
  return {
    seed: result.seed,
    until: result.until,
    endedAt: result.endedAt,
    servers: s.servers.map((x) => ({
      sid: jsonLong(x.sid),
      zxid: jsonLong(x.zxid),
      peerEpoch: jsonLong(x.peerEpoch),
      type: x.type,
      version: x.version,
      weight: x.weight,
      group: x.group,
    })),
    decisions: result.decisions.map(decisionJson),
    messages: result.messages.filter((m) => options.loopback === true || m.from !== m.to).map(messageJson),
    epochs: result.epochs.map((e) => ({ at: e.at, leader: jsonLong(e.leader), epoch: jsonLong(e.epoch), members: e.members.map(jsonLong) })),
    faults: result.faults.map((f) => ({ at: f.at, kind: f.kind, detail: f.detail })),
    peers: result.peers.map((p) => ({
      sid: jsonLong(p.sid),
      up: p.up,
      state: p.state,
      leader: nullableLong(p.leader),
      round: nullableLong(p.round),
      lastZxid: jsonLong(p.lastZxid),
      currentEpoch: jsonLong(p.currentEpoch),
      acceptedEpoch: jsonLong(p.acceptedEpoch),
    })),
    liveness: {
      checked: result.liveness.checked,
      reason: result.liveness.reason,
      quietFrom: result.liveness.quietFrom,
      deadline: result.liveness.deadline,
      boundMs: result.liveness.boundMs,
      convergedAt: result.liveness.convergedAt,
      leader: nullableLong(result.liveness.leader),
    },
    violations: result.violations.map((v) => ({
      invariant: v.invariant,
      at: v.at,
      sids: v.sids.map(jsonLong),
      message: v.message,
      seed: v.seed,
      replay: v.replay,
    })),
    stats: { ...result.stats },
  };
}

/** Pretty at the top level, one record per line inside lists. Ends with a newline. */
export function formatJson(result: SimResult, options: JsonOptions = {}): string {
  const doc = resultJson(result, options);
  const parts = Object.entries(doc).map(([key, value]) => {
    if (Array.isArray(value) && value.length > 0) {
      return `  ${JSON.stringify(key)}: [\n${value.map((v) => `    ${JSON.stringify(v)}`).join(',\n')}\n  ]`;
    }
    return `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  });
  return `{\n${parts.join(',\n')}\n}\n`;
}
