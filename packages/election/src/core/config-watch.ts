// PROTOCOL.md 3.6 on the receiving side: spot a notification whose config is strictly newer than
// our committed one and differs from it. Parsing is cached, since every peer repeats the same text.

import { parseNotificationConfig, type QuorumVerifier } from '@zkvote/quorum';

export type ConfigParser = (bytes: Uint8Array) => QuorumVerifier | null;

export function defaultParseConfig(bytes: Uint8Array): QuorumVerifier | null {
  const r = parseNotificationConfig(bytes);
  return r.ok ? r.verifier : null;
}

export class ConfigWatch {
  #last: { bytes: Uint8Array; verifier: QuorumVerifier | null } | null = null;

  constructor(
    private readonly committed: QuorumVerifier,
    private readonly ownBytes: Uint8Array,
    private readonly parse: ConfigParser,
  ) {}

  /** The received configuration if it should restart the election, else null (invalid text included). */
  newer(config: Uint8Array | null, version: number): QuorumVerifier | null {
    if (version <= 1 || config === null || sameBytes(config, this.ownBytes)) return null;
    let rqv: QuorumVerifier | null;
    const cached = this.#last;
    if (cached !== null && sameBytes(cached.bytes, config)) {
      rqv = cached.verifier;
    } else {
      try {
        rqv = this.parse(config);
      } catch {
        rqv = null;
      }
      this.#last = { bytes: config.slice(), verifier: rqv };
    }
    if (rqv === null || rqv.version <= this.committed.version || rqv.equals(this.committed)) return null;
    return rqv;
  }
}

/** Node's Buffer compares with memcmp; a config carries the whole membership, so it is worth it. */
const nativeEquals: ((a: Uint8Array, b: Uint8Array) => boolean) | null =
  typeof Buffer === 'function' ? (a, b) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b) : null;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  if (nativeEquals !== null) return nativeEquals(a, b);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
