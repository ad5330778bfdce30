// Scenario documents: the JSON format `zkvote simulate` reads (servers, timed events, options),
// its validating parser (every error names the offending path), and the normalised form the
// simulator runs.

import { SimError } from './errors.js';

export type ServerType = 'participant' | 'observer';
/** Message format a server speaks: 0 = 28-byte (<= 3.3), 1 = 40-byte (3.4.6+), 2 = 44+N (3.5+). */
export type MessageVersion = 0 | 1 | 2;

export interface ServerSpec {
  sid: bigint;
  /** Last logged zxid at first start. */
  zxid: bigint;
  /** currentEpoch (and acceptedEpoch) at first start. */
  peerEpoch: bigint;
  type: ServerType;
  version: MessageVersion;
  /** Hierarchical quorums only (set when any server has a weight or a group). */
  weight: number | null;
  group: number | null;
}

export type SimEvent =
  | { at: number; kind: 'start'; sids: bigint[] }
  | { at: number; kind: 'crash'; sids: bigint[] }
  | { at: number; kind: 'restart'; sids: bigint[] }
  | { at: number; kind: 'partition'; groups: bigint[][] }
  | { at: number; kind: 'heal' }
  | { at: number; kind: 'drop'; rate: number }
  | { at: number; kind: 'duplicate'; rate: number }
  | { at: number; kind: 'delay'; rate: number; ms: number }
  | { at: number; kind: 'reorder'; rate: number; ms: number };

export type SimEventKind = SimEvent['kind'];

export interface SimOptions {
  /** Decide without finalizeWait when every connected voter agrees (the core's improvement). */
  fastDecision: boolean;
  /** Virtual ms at which the run stops; null = last event + liveness bound + 1 s. */
  until: number | null;
  /** One-way network latency (ms) and uniform extra jitter in [0, jitterMs]. */
  latencyMs: number;
  jitterMs: number;
  /**
   * 'whole-ms' (default): jitter is a whole number of ms, so messages sent in the same ms often
   * arrive in the same ms and are handled in the order they were sent (sid order for a
   * broadcast). That is the adversarial order for FLE: each peer then steps through the
   * candidates one by one and re-broadcasts each time (notifications grow as N^3).
   * 'continuous': jitter is a real number in [0, jitterMs], so arrivals interleave at random,
   * as on a real network (notifications grow about as N^2 log N).
   */
  jitterMode: 'whole-ms' | 'continuous';
  finalizeWaitMs: number;
  minNotificationIntervalMs: number;
  maxNotificationIntervalMs: number;
  /** How long a follower tolerates a dead/unreachable leader, or an established leader a lost quorum. */
  detectionDelayMs: number;
  /**
   * How long a newly decided leader waits for a quorum of followers before it gives up
   * (ZooKeeper's initLimit); null = detectionDelayMs + maxNotificationIntervalMs, so a LOOKING
   * voter whose notification timeout has backed off to the cap still gets a chance to join.
   */
  initLimitMs: number | null;
  /** Seed used when the caller gives none. */
  seed: number;
}

export interface Scenario {
  servers: ServerSpec[];
  events: SimEvent[];
  options: SimOptions;
}

export const DEFAULT_OPTIONS: Readonly<SimOptions> = Object.freeze({
  fastDecision: true,
  until: null,
  latencyMs: 1,
  jitterMs: 0,
  jitterMode: 'whole-ms',
  finalizeWaitMs: 200,
  minNotificationIntervalMs: 200,
  maxNotificationIntervalMs: 60_000,
  detectionDelayMs: 1000,
  initLimitMs: null,
  seed: 1,
});

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const EVENT_KEYS = ['start', 'crash', 'restart', 'partition', 'heal', 'drop', 'duplicate', 'delay', 'reorder'] as const;
const SERVER_KEYS = new Set(['sid', 'zxid', 'peerEpoch', 'weight', 'group', 'type', 'version']);
const OPTION_KEYS = new Set(Object.keys(DEFAULT_OPTIONS));

function fail(path: string, expected: string, got: unknown): never {
  throw new SimError('BAD_SCENARIO', `expected ${expected}, got ${describe(got)}`, path);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A 64-bit signed value from a JSON number (safe integer), a decimal or a `0x` hex string. */
export function parseLong(v: unknown, path: string, what = 'a 64-bit integer (number, decimal or 0x-hex string)'): bigint {
  let out: bigint | null = null;
  if (typeof v === 'number' && Number.isSafeInteger(v)) out = BigInt(v);
  else if (typeof v === 'bigint') out = v;
  else if (typeof v === 'string') {
    const s = v.trim();
    if (/^-?0x[0-9a-f]+$/i.test(s)) {
      const neg = s.startsWith('-');
      const mag = BigInt(neg ? s.slice(1) : s);
      out = neg ? -mag : mag;
    } else if (/^-?[0-9]+$/.test(s)) out = BigInt(s);
  }
  if (out === null || out < INT64_MIN || out > INT64_MAX) fail(path, what, v);
  return out;
}

function parseSid(v: unknown, path: string): bigint {
  const sid = parseLong(v, path, 'a server id (non-negative integer)');
  if (sid < 0n) fail(path, 'a server id (non-negative integer)', v);
  return sid;
}

function parseTime(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(path, 'a non-negative virtual time in ms', v);
  return v;
}

function parseRate(v: unknown, path: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(path, 'a probability between 0 and 1', v);
  return v;
}

function parseSidList(v: unknown, path: string, known: ReadonlySet<bigint>): bigint[] {
  const items = Array.isArray(v) ? v : [v];
  if (items.length === 0) fail(path, 'at least one server id', v);
  return items.map((item, i) => {
    const p = Array.isArray(v) ? `${path}[${i}]` : path;
    const sid = parseSid(item, p);
    if (!known.has(sid)) fail(p, `one of the scenario's servers (${[...known].join(', ')})`, item);
    return sid;
  });
}

function parseServer(v: unknown, path: string): ServerSpec {
  if (!isRecord(v)) fail(path, 'a server object { sid, zxid?, peerEpoch?, ... }', v);
  for (const key of Object.keys(v)) {
    if (!SERVER_KEYS.has(key)) fail(`${path}.${key}`, `one of the keys ${[...SERVER_KEYS].join(', ')}`, key);
  }
  if (v.sid === undefined) fail(`${path}.sid`, 'a server id', undefined);
  const sid = parseSid(v.sid, `${path}.sid`);
  const zxid = v.zxid === undefined ? 0n : parseLong(v.zxid, `${path}.zxid`);
  const peerEpoch = v.peerEpoch === undefined ? zxid >> 32n : parseLong(v.peerEpoch, `${path}.peerEpoch`);
  const type = v.type === undefined ? 'participant' : v.type;
  if (type !== 'participant' && type !== 'observer') fail(`${path}.type`, '"participant" or "observer"', type);
  const version = v.version === undefined ? 2 : v.version;
  if (version !== 0 && version !== 1 && version !== 2) fail(`${path}.version`, 'message format version 0, 1 or 2', version);
  let weight: number | null = null;
  if (v.weight !== undefined) {
    if (typeof v.weight !== 'number' || !Number.isSafeInteger(v.weight) || v.weight < 0) {
      fail(`${path}.weight`, 'a non-negative integer weight', v.weight);
    }
    weight = v.weight;
  }
  let group: number | null = null;
  if (v.group !== undefined) {
    if (typeof v.group !== 'number' || !Number.isSafeInteger(v.group) || v.group < 1) {
      fail(`${path}.group`, 'a positive integer group id', v.group);
    }
    group = v.group;
  }
  return { sid, zxid, peerEpoch, type, version, weight, group };
}

function parseEvent(v: unknown, path: string, known: ReadonlySet<bigint>): SimEvent {
  if (!isRecord(v)) fail(path, 'an event object { at, <action> }', v);
  const at = parseTime(v.at, `${path}.at`);
  const actions = Object.keys(v).filter((k) => k !== 'at');
  if (actions.length !== 1) {
    fail(path, `exactly one of ${EVENT_KEYS.join(', ')} besides "at"`, actions.length === 0 ? undefined : actions.join(', '));
  }
  const key = actions[0] as string;
  const value = v[key];
  const p = `${path}.${key}`;
  switch (key) {
    case 'start':
    case 'crash':
    case 'restart':
      return { at, kind: key, sids: parseSidList(value, p, known) };
    case 'partition': {
      if (!Array.isArray(value) || value.length === 0) fail(p, 'a non-empty array of sid arrays, e.g. [[1,2],[3,4,5]]', value);
      const seen = new Set<bigint>();
      const groups = value.map((g, i) => {
        if (!Array.isArray(g)) fail(`${p}[${i}]`, 'an array of server ids', g);
        const sids = parseSidList(g, `${p}[${i}]`, known);
        sids.forEach((sid, j) => {
          if (seen.has(sid)) fail(`${p}[${i}][${j}]`, 'each server in at most one side of the partition', Number(sid));
          seen.add(sid);
        });
        return sids;
      });
      return { at, kind: 'partition', groups };
    }
    case 'heal':
      if (value !== true) fail(p, 'true', value);
      return { at, kind: 'heal' };
    case 'drop':
    case 'duplicate':
      return { at, kind: key, rate: parseRate(value, p) };
    case 'delay':
    case 'reorder': {
      if (!isRecord(value)) fail(p, 'an object { rate, ms }', value);
      const rate = parseRate(value.rate, `${p}.rate`);
      if (typeof value.ms !== 'number' || !(value.ms >= 0) || !Number.isFinite(value.ms)) {
        fail(`${p}.ms`, 'a non-negative extra delay in ms', value.ms);
      }
      return { at, kind: key, rate, ms: value.ms };
    }
    default:
      return fail(`${path}.${key}`, `an event action (${EVENT_KEYS.join(', ')})`, key);
  }
}

function parseOptions(v: unknown, path: string): SimOptions {
  const out: SimOptions = { ...DEFAULT_OPTIONS };
  if (v === undefined) return out;
  if (!isRecord(v)) fail(path, 'an options object', v);
  for (const [key, value] of Object.entries(v)) {
    const p = `${path}.${key}`;
    if (!OPTION_KEYS.has(key)) fail(p, `one of the options ${[...OPTION_KEYS].join(', ')}`, key);
    if (key === 'fastDecision') {
      if (typeof value !== 'boolean') fail(p, 'true or false', value);
      out.fastDecision = value;
    } else if (key === 'until' || key === 'initLimitMs') {
      out[key] = value === null ? null : parseTime(value, p);
    } else if (key === 'jitterMode') {
      if (value !== 'whole-ms' && value !== 'continuous') fail(p, "'whole-ms' or 'continuous'", value);
      out.jitterMode = value;
    } else if (key === 'seed') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(p, 'an integer seed', value);
      out.seed = value;
    } else {
      const n = parseTime(value, p);
      (out as unknown as Record<string, number>)[key] = n;
    }
  }
  if (out.minNotificationIntervalMs <= 0) fail(`${path}.minNotificationIntervalMs`, 'a positive interval', out.minNotificationIntervalMs);
  if (out.maxNotificationIntervalMs < out.minNotificationIntervalMs) {
    fail(`${path}.maxNotificationIntervalMs`, `at least minNotificationIntervalMs (${out.minNotificationIntervalMs})`, out.maxNotificationIntervalMs);
  }
  return out;
}

/** Validates a scenario given as JSON text or as an already-parsed value. Throws SimError. */
export function parseScenario(input: unknown): Scenario {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input) as unknown;
    } catch (error) {
      throw new SimError('BAD_JSON', `expected a JSON scenario document, got invalid JSON (${(error as Error).message})`, '', { cause: error });
    }
  }
  if (!isRecord(doc)) fail('', 'a scenario object { servers, events, options? }', doc);
  for (const key of Object.keys(doc)) {
    if (key !== 'servers' && key !== 'events' && key !== 'options') fail(key, 'one of the keys servers, events, options', key);
  }
  if (!Array.isArray(doc.servers) || doc.servers.length === 0) fail('servers', 'a non-empty array of servers', doc.servers);
  const servers = doc.servers.map((s, i) => parseServer(s, `servers[${i}]`));
  const known = new Set<bigint>();
  servers.forEach((s, i) => {
    if (known.has(s.sid)) fail(`servers[${i}].sid`, 'a sid not used by another server', Number(s.sid));
    known.add(s.sid);
  });
  if (!servers.some((s) => s.type === 'participant')) fail('servers', 'at least one participant', 'only observers');
  const hierarchical = servers.some((s) => s.weight !== null || s.group !== null);
  if (hierarchical) {
    servers.forEach((s, i) => {
      if (s.type === 'observer' && s.weight !== null && s.weight !== 0) {
        fail(`servers[${i}].weight`, 'weight 0 (or none) for an observer', s.weight);
      }
    });
  }
  const rawEvents = doc.events === undefined ? [] : doc.events;
  if (!Array.isArray(rawEvents)) fail('events', 'an array of events', rawEvents);
  const events = rawEvents.map((e, i) => parseEvent(e, `events[${i}]`, known));
  // Stable sort by time: same-time events keep their document order.
  const ordered = events.map((e, i) => ({ e, i })).sort((x, y) => x.e.at - y.e.at || x.i - y.i).map((x) => x.e);
  return { servers, events: ordered, options: parseOptions(doc.options, 'options') };
}

/** True when any server has a weight or a group: the scenario uses QuorumHierarchical. */
export function isHierarchical(scenario: Pick<Scenario, 'servers'>): boolean {
  return scenario.servers.some((s) => s.weight !== null || s.group !== null);
}

/**
 * The membership text (dynamic config file form, version 0) describing the scenario's ensemble.
 * Hierarchical ensembles: servers without a group join group 1; participants without a weight
 * weigh 1; observers weigh 0.
 */
export function scenarioConfigText(scenario: Pick<Scenario, 'servers'>): string {
  const lines = scenario.servers.map((s) => `server.${s.sid}=s${s.sid}:2888:3888:${s.type}`);
  if (isHierarchical(scenario)) {
    const groups = new Map<number, bigint[]>();
    for (const s of scenario.servers) {
      const g = s.group ?? 1;
      const list = groups.get(g) ?? [];
      list.push(s.sid);
      groups.set(g, list);
    }
    for (const [g, sids] of [...groups].sort((x, y) => x[0] - y[0])) lines.push(`group.${g}=${sids.join(':')}`);
    for (const s of scenario.servers) lines.push(`weight.${s.sid}=${s.weight ?? (s.type === 'observer' ? 0 : 1)}`);
  }
  return lines.join('\n');
}

/** The JSON document for a scenario (inverse of parseScenario): what `--scenario` files hold. */
export function scenarioDocument(scenario: Scenario): Record<string, unknown> {
  const long = (v: bigint): number | string => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());
  const servers = scenario.servers.map((s) => {
    const out: Record<string, unknown> = { sid: long(s.sid), zxid: `0x${BigInt.asUintN(64, s.zxid).toString(16)}`, peerEpoch: long(s.peerEpoch) };
    if (s.zxid < 0n) out.zxid = s.zxid.toString();
    if (s.type !== 'participant') out.type = s.type;
    if (s.version !== 2) out.version = s.version;
    if (s.weight !== null) out.weight = s.weight;
    if (s.group !== null) out.group = s.group;
    return out;
  });
  const events = scenario.events.map((e) => {
    switch (e.kind) {
      case 'start':
      case 'crash':
      case 'restart':
        return { at: e.at, [e.kind]: e.sids.map(long) };
      case 'partition':
        return { at: e.at, partition: e.groups.map((g) => g.map(long)) };
      case 'heal':
        return { at: e.at, heal: true };
      case 'drop':
      case 'duplicate':
        return { at: e.at, [e.kind]: e.rate };
      case 'delay':
      case 'reorder':
        return { at: e.at, [e.kind]: { rate: e.rate, ms: e.ms } };
    }
  });
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(scenario.options)) {
    if ((DEFAULT_OPTIONS as unknown as Record<string, unknown>)[key] !== value) options[key] = value;
  }
  return Object.keys(options).length === 0 ? { servers, events } : { servers, events, options };
}
