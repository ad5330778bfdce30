// Election notifications (PROTOCOL.md §3): building the payload in one of the three layouts a
// sender may use, and parsing any payload exactly as a 3.5.8+ receiver decides what to keep.

import {
  LEGACY28_LENGTH,
  MAX_CONFIG_LENGTH,
  NOTIFICATION_CURRENT_VERSION,
  NOTIFICATION_V0_40_TRAILING_VERSION,
  V0_40_LENGTH,
  V2_HEADER_LENGTH,
} from './constants.js';
import { assertBytes, checkInt32, checkInt64, utf8Decode, utf8Encode, view } from './bytes.js';
import { WireError } from './errors.js';

export interface Notification {
  /** A ServerState value; unknown codes are kept as numbers. */
  state: number;
  leader: bigint;
  zxid: bigint;
  electionEpoch: bigint;
  peerEpoch: bigint;
  /** Message-format version: 0 for the 28/40-byte layouts, else the int read at offset 36. */
  version: number;
  /** Raw config bytes (version >= 2), else null. */
  config: Uint8Array | null;
}

/**
 * How a payload was recognised:
 * - `legacy28`: 28 bytes, peerEpoch derived from the zxid;
 * - `v0-40`: 40 bytes, trailing int ignored, version 0;
 * - `extended`: 41+ bytes with version <= 1, bytes after offset 40 ignored;
 * - `v2`: version >= 2 with a config.
 */
export type NotificationLayout = 'legacy28' | 'v0-40' | 'extended' | 'v2';
export type BuildLayout = 'legacy28' | 'v0-40' | 'v2';

export interface ParsedNotification extends Notification {
  layout: NotificationLayout;
  /** Bytes present but ignored by the receiver (after the config, or after offset 40). */
  ignoredBytes: number;
}

export interface NotificationInit {
  state: number;
  leader: bigint;
  zxid: bigint;
  electionEpoch: bigint;
  /** Not written by `legacy28` (receivers derive it from the zxid). Defaults to 0. */
  peerEpoch?: bigint;
  /** Written by `v2` when >= 2, otherwise 2 is written. Ignored by the other layouts. */
  version?: number;
  /** Config text or bytes for `v2`; null/absent writes an empty config. */
  config?: Uint8Array | string | null;
}

export type TryParseResult = { ok: true; value: ParsedNotification } | { ok: false; error: WireError };

/** Builds a notification payload (no frame length). */
export function buildMsg(init: NotificationInit, layout: BuildLayout = 'v2'): Uint8Array {
  if (typeof init !== 'object' || init === null) {
    throw new WireError('BAD_INPUT', `expected a notification object, got ${init === null ? 'null' : typeof init}`);
  }
  const state = checkInt32('state', init.state);
  const leader = checkInt64('leader', init.leader);
  const zxid = checkInt64('zxid', init.zxid);
  const electionEpoch = checkInt64('electionEpoch', init.electionEpoch);
  const peerEpoch = init.peerEpoch === undefined ? 0n : checkInt64('peerEpoch', init.peerEpoch);

  if (layout === 'legacy28') return writeHeader(LEGACY28_LENGTH, state, leader, zxid, electionEpoch, null);
  if (layout === 'v0-40') {
    const out = writeHeader(V0_40_LENGTH, state, leader, zxid, electionEpoch, peerEpoch);
    view(out).setInt32(36, NOTIFICATION_V0_40_TRAILING_VERSION);
    return out;
  }
  if (layout !== 'v2') {
    throw new WireError('BAD_INPUT', `expected layout 'legacy28', 'v0-40' or 'v2', got ${String(layout)}`);
  }

  const requested = init.version === undefined ? NOTIFICATION_CURRENT_VERSION : checkInt32('version', init.version);
  const version = requested >= 2 ? requested : NOTIFICATION_CURRENT_VERSION;
  const config = configBytes(init.config);
  if (config.length > MAX_CONFIG_LENGTH) {
    throw new WireError(
      'BAD_CONFIG_LENGTH',
      `expected a config of at most ${MAX_CONFIG_LENGTH} bytes (one frame), got ${config.length}`,
    );
  }
  const out = writeHeader(V2_HEADER_LENGTH + config.length, state, leader, zxid, electionEpoch, peerEpoch);
  const dv = view(out);
  dv.setInt32(36, version);
  dv.setInt32(40, config.length);
  out.set(config, V2_HEADER_LENGTH);
  return out;
}

function configBytes(config: NotificationInit['config']): Uint8Array {
  if (config === undefined || config === null) return new Uint8Array(0);
  if (typeof config === 'string') return utf8Encode(config);
  assertBytes('config', config);
  return config;
}

function writeHeader(
  size: number,
  state: number,
  leader: bigint,
  zxid: bigint,
  electionEpoch: bigint,
  peerEpoch: bigint | null,
): Uint8Array {
  const out = new Uint8Array(size);
  const dv = view(out);
  dv.setInt32(0, state);
  dv.setBigInt64(4, leader);
  dv.setBigInt64(12, zxid);
  dv.setBigInt64(20, electionEpoch);
  if (peerEpoch !== null) dv.setBigInt64(28, peerEpoch);
  return out;
}

/**
 * Parses a payload with the 3.5.8+ receiver's rules (PROTOCOL.md §3.3); every payload that
 * receiver would drop throws a WireError instead. The config is copied out of `payload`.
 */
export function parse(payload: Uint8Array): ParsedNotification {
  assertBytes('notification payload', payload);
  const cap = payload.length;
  if (cap < LEGACY28_LENGTH) {
    throw new WireError(
      'SHORT_NOTIFICATION',
      `expected a notification of at least ${LEGACY28_LENGTH} bytes, got ${cap}`,
    );
  }
  const dv = view(payload);
  const state = dv.getInt32(0);
  const leader = dv.getBigInt64(4);
  const zxid = dv.getBigInt64(12);
  const electionEpoch = dv.getBigInt64(20);

  if (cap === LEGACY28_LENGTH) {
    return result(state, leader, zxid, electionEpoch, zxid >> 32n, 0, null, 'legacy28', 0);
  }
  if (cap < V0_40_LENGTH) {
    throw new WireError(
      'BAD_LAYOUT',
      `expected a notification of 28, 40 or more than 40 bytes, got ${cap} (the 36-byte 3.4.0-3.4.5 layout is not accepted)`,
    );
  }
  const peerEpoch = dv.getBigInt64(28);
  if (cap === V0_40_LENGTH) return result(state, leader, zxid, electionEpoch, peerEpoch, 0, null, 'v0-40', 0);

  const version = dv.getInt32(36);
  if (version <= 1) {
    return result(state, leader, zxid, electionEpoch, peerEpoch, version, null, 'extended', cap - V0_40_LENGTH);
  }
  if (cap < V2_HEADER_LENGTH) {
    throw new WireError(
      'BAD_LAYOUT',
      `expected at least ${V2_HEADER_LENGTH} bytes for a version ${version} notification (config length), got ${cap}`,
    );
  }
  const configLength = dv.getInt32(40);
  if (configLength < 0 || configLength > cap) {
    throw new WireError(
      'BAD_CONFIG_LENGTH',
      `expected a config length within 0..${cap} (the payload size), got ${configLength}`,
    );
  }
  const end = V2_HEADER_LENGTH + configLength;
  if (end > cap) {
    throw new WireError(
      'TRUNCATED_CONFIG',
      `expected ${configLength} config bytes after offset ${V2_HEADER_LENGTH}, got ${cap - V2_HEADER_LENGTH}`,
    );
  }
  const config = payload.slice(V2_HEADER_LENGTH, end);
  return result(state, leader, zxid, electionEpoch, peerEpoch, version, config, 'v2', cap - end);
}

// One constructor keeps every ParsedNotification the same shape (cheaper for V8 than spreads).
function result(
  state: number,
  leader: bigint,
  zxid: bigint,
  electionEpoch: bigint,
  peerEpoch: bigint,
  version: number,
  config: Uint8Array | null,
  layout: NotificationLayout,
  ignoredBytes: number,
): ParsedNotification {
  return { state, leader, zxid, electionEpoch, peerEpoch, version, config, layout, ignoredBytes };
}

/** `parse` without exceptions. Only WireErrors can occur; anything else is rethrown as a bug. */
export function tryParse(payload: Uint8Array): TryParseResult {
  try {
    return { ok: true, value: parse(payload) };
  } catch (error) {
    if (WireError.isInstance(error)) return { ok: false, error };
    throw error;
  }
}

/** The config as text (UTF-8, malformed sequences replaced), or null when there is none. */
export function configText(n: Pick<Notification, 'config'>): string | null {
  return n.config === null ? null : utf8Decode(n.config);
}
