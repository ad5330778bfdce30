// Independent byte builders for expected values: plain hex strings assembled by hand, so a
// test cannot pass because the encoder and the decoder under test share a mistake.

import { Buffer } from 'node:buffer';

export function i32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

export function i64(n: bigint): string {
  const u = n < 0n ? n + (1n << 64n) : n;
  return u.toString(16).padStart(16, '0');
}

export function ascii(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

export function bytes(...hexParts: string[]): Uint8Array {
  return new Uint8Array(Buffer.from(hexParts.join('').replace(/\s+/g, ''), 'hex'));
}

export function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Notification payload: state, leader, zxid, electionEpoch [, peerEpoch [, tail hex]]. */
export function notificationHex(f: {
  state: number;
  leader: bigint;
  zxid: bigint;
  electionEpoch: bigint;
  peerEpoch?: bigint;
  tail?: string;
}): string {
  let h = i32(f.state) + i64(f.leader) + i64(f.zxid) + i64(f.electionEpoch);
  if (f.peerEpoch !== undefined) h += i64(f.peerEpoch);
  return h + (f.tail ?? '');
}

export function frameHex(payloadHex: string): string {
  return i32(payloadHex.length / 2) + payloadHex;
}

/** Catches and returns the thrown value (or undefined). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
