// The `--servers 1,3,5 --start 1,5@0,3@50` shorthand: builds a scenario document without a file,
// for simple cold-start questions. Items of --servers are `sid[:zxid[:peerEpoch]]`; items of
// --start are `sid[@ms]` (no time means 0).

import { SimError } from './errors.js';
import { parseScenario, type Scenario } from './scenario.js';

export interface ShorthandInput {
  /** e.g. `1,3,5` or `1,3:0x100000002,5` */
  servers: string;
  /** e.g. `1,5@0,3@50`; omitted = every server starts at 0. */
  start?: string;
  /** Extra scenario options (`fastDecision`, `until`, ...). */
  options?: Record<string, unknown>;
}

function bad(flag: string, expected: string, got: string): never {
  throw new SimError('BAD_SHORTHAND', `expected ${expected}, got ${JSON.stringify(got)}`, flag);
}

/** The scenario document (plain JSON value) the shorthand stands for. */
export function shorthandDocument(input: ShorthandInput): Record<string, unknown> {
  const serverItems = input.servers.split(',').map((s) => s.trim());
  if (serverItems.length === 0 || serverItems.some((s) => s === '')) bad('--servers', 'a comma-separated list like 1,3,5', input.servers);
  const servers = serverItems.map((item) => {
    const parts = item.split(':');
    if (parts.length > 3 || !/^[0-9]+$/.test(parts[0] as string)) bad('--servers', 'items of the form sid[:zxid[:peerEpoch]]', item);
    const server: Record<string, unknown> = { sid: Number(parts[0]) };
    if (parts[1] !== undefined) server.zxid = parts[1];
    if (parts[2] !== undefined) server.peerEpoch = parts[2];
    return server;
  });
  const byTime = new Map<number, number[]>();
  if (input.start === undefined) {
    byTime.set(0, servers.map((s) => s.sid as number));
  } else {
    for (const raw of input.start.split(',')) {
      const item = raw.trim();
      const m = /^([0-9]+)(?:@([0-9]+(?:\.[0-9]+)?))?$/.exec(item);
      if (m === null) bad('--start', 'items of the form sid or sid@ms, e.g. 1,5@0,3@50', item);
      const at = m[2] === undefined ? 0 : Number(m[2]);
      const list = byTime.get(at) ?? [];
      list.push(Number(m[1]));
      byTime.set(at, list);
    }
  }
  const events = [...byTime].sort((a, b) => a[0] - b[0]).map(([at, sids]) => ({ at, start: sids }));
  const doc: Record<string, unknown> = { servers, events };
  if (input.options !== undefined) doc.options = input.options;
  return doc;
}

/** Parses the shorthand into a validated scenario; errors carry the flag as their path. */
export function buildShorthandScenario(input: ShorthandInput): Scenario {
  const doc = shorthandDocument(input);
  try {
    return parseScenario(doc);
  } catch (error) {
    if (SimError.isInstance(error) && error.code === 'BAD_SCENARIO') {
      const flag = error.path.startsWith('events') ? '--start' : error.path.startsWith('options') ? '--options' : '--servers';
      throw new SimError('BAD_SHORTHAND', error.message, flag, { cause: error });
    }
    throw error;
  }
}
