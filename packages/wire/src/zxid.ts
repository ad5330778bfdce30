// Zxid arithmetic as ZooKeeper's ZxidUtils does it (PROTOCOL.md §3.7): a signed 64-bit value,
// epoch in the high 32 bits (sign-extending), counter in the low 32 bits.

import { INT32_MAX, INT32_MIN } from './constants.js';
import { checkInt64 } from './bytes.js';
import { WireError } from './errors.js';

/** High 32 bits, arithmetic shift: `zxidEpoch(-1n) === -1n`. */
export function zxidEpoch(zxid: bigint): bigint {
  return checkInt64('zxid', zxid) >> 32n;
}

/** Low 32 bits as an unsigned value 0..0xffffffff. */
export function zxidCounter(zxid: bigint): bigint {
  return checkInt64('zxid', zxid) & 0xffff_ffffn;
}

/**
 * Builds a zxid. The epoch must fit in 32 signed bits and the counter in 32 unsigned bits,
 * so that `makeZxid(zxidEpoch(z), zxidCounter(z)) === z` for every int64 `z`.
 */
export function makeZxid(epoch: bigint, counter: bigint): bigint {
  checkInt64('epoch', epoch);
  checkInt64('counter', counter);
  if (epoch < BigInt(INT32_MIN) || epoch > BigInt(INT32_MAX)) {
    throw new WireError('OUT_OF_RANGE', `expected epoch within signed 32-bit range, got ${epoch}`);
  }
  if (counter < 0n || counter > 0xffff_ffffn) {
    throw new WireError('OUT_OF_RANGE', `expected counter within 0..0xffffffff, got ${counter}`);
  }
  return BigInt.asIntN(64, (epoch << 32n) | counter);
}

/** Lowercase hex without prefix, negatives as 16 two's-complement digits (Java's Long.toHexString). */
export function formatZxid(zxid: bigint): string {
  return BigInt.asUintN(64, checkInt64('zxid', zxid)).toString(16);
}

/** `formatZxid` with a `0x` prefix, the form ZooKeeper's logs and 4lw output use. */
export function formatZxid0x(zxid: bigint): string {
  return `0x${formatZxid(zxid)}`;
}
