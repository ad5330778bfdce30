// One row of `zkvote status`: what one server said about its vote, however it was asked.

import { formatZxid0x } from '@zkvote/wire';
import type { QuorumVerifier } from '@zkvote/quorum';
import { jsonLong, type JsonValue } from './json.js';

export type Via = 'election' | 'admin' | '4lw';

export interface ServerRow {
  /** null when the source could not tell (a 4lw server that refuses `conf`). */
  sid: bigint | null;
  /** LOOKING / FOLLOWING / LEADING / OBSERVING (or what the server called itself); null = not asked. */
  state: string | null;
  leader: bigint | null;
  zxid: bigint | null;
  /** The round (logicalclock). */
  electionEpoch: bigint | null;
  peerEpoch: bigint | null;
  /** The epoch established with a quorum (zkvote servers only). */
  epoch: bigint | null;
  via: Via;
  address: string;
  error: string | null;
}

/** Who votes, as learnt from a zoo.cfg or from the servers themselves. */
export type Membership = { kind: 'verifier'; verifier: QuorumVerifier } | { kind: 'voters'; voters: bigint[] };

export function emptyRow(via: Via, address: string, sid: bigint | null): ServerRow {
  return { sid, state: null, leader: null, zxid: null, electionEpoch: null, peerEpoch: null, epoch: null, via, address, error: null };
}

const long = (v: bigint | null): JsonValue => (v === null ? null : jsonLong(v));

export function rowJson(r: ServerRow): { [key: string]: JsonValue } {
  return {
    sid: long(r.sid),
    state: r.state,
    leader: long(r.leader),
    zxid: r.zxid === null ? null : formatZxid0x(r.zxid),
    electionEpoch: long(r.electionEpoch),
    peerEpoch: long(r.peerEpoch),
    epoch: long(r.epoch),
    via: r.via,
    address: r.address,
    error: r.error,
  };
}
