// Small helpers shared by the codecs: big-endian int access on any Uint8Array (Buffer included),
// range checks that turn bad values into WireErrors, UTF-8, and hex for tools and tests.

import { INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN } from './constants.js';
import { WireError } from './errors.js';

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function assertBytes(what: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new WireError('BAD_INPUT', `expected ${what} as a Uint8Array, got ${describe(value)}`);
  }
}

export function checkInt64(field: string, value: unknown): bigint {
  if (typeof value !== 'bigint') {
    throw new WireError('BAD_INPUT', `expected ${field} as a bigint, got ${describe(value)}`);
  }
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new WireError('OUT_OF_RANGE', `expected ${field} within signed 64-bit range, got ${value}`);
  }
  return value;
}

export function checkInt32(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new WireError('BAD_INPUT', `expected ${field} as an integer number, got ${describe(value)}`);
  }
  if (value < INT32_MIN || value > INT32_MAX) {
    throw new WireError('OUT_OF_RANGE', `expected ${field} within signed 32-bit range, got ${value}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `bigint ${value}`;
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value;
}

const encoder = new TextEncoder();
const lenientDecoder = new TextDecoder('utf-8');
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, replacing malformed sequences with U+FFFD (never throws). */
export function utf8Decode(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/** Decodes UTF-8 or returns null when the bytes are not valid UTF-8. */
export function utf8DecodeStrict(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out += HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}

/** Parses hex (whitespace allowed between digits); throws WireError BAD_INPUT on bad text. */
export function fromHex(text: string): Uint8Array {
  if (typeof text !== 'string') throw new WireError('BAD_INPUT', `expected hex text, got ${describe(text)}`);
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new WireError('BAD_INPUT', `expected an even number of hex digits, got ${JSON.stringify(text.slice(0, 40))}`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
