// The per-sid table. Entries of configured peers live as long as the manager; entries of
// strangers (sids with no configured address and not voters) only while they hold a connection,
// a dial or an unsent message, and at most MAX_IDLE_STRANGERS of those idle ones are kept.

import { newPeerState, type PeerState } from './peer-state.js';

export const MAX_IDLE_STRANGERS = 256;

export class PeerRegistry {
  private readonly table = new Map<bigint, PeerState>();
  /** Idle stranger entries dropped to stay within MAX_IDLE_STRANGERS. */
  evictions = 0;

  constructor(private readonly isKnown: (sid: bigint) => boolean) {}

  get(sid: bigint): PeerState | undefined {
    return this.table.get(sid);
  }

  sids(): bigint[] {
    return [...this.table.keys()];
  }

  values(): IterableIterator<PeerState> {
    return this.table.values();
  }

  /** The entry for `sid`, created if needed. */
  ensure(sid: bigint): PeerState {
    let p = this.table.get(sid);
    if (p === undefined) {
      p = newPeerState(sid);
      this.table.set(sid, p);
      if (!this.isKnown(sid)) this.evictIdleStrangers(sid);
    }
    return p;
  }

  /** Drops a stranger's entry once nothing refers to it any more. */
  prune(peer: PeerState): void {
    if (this.isKnown(peer.sid) || peer.conn !== null || peer.dial !== null || peer.slot !== null) return;
    if (this.table.get(peer.sid) === peer) this.table.delete(peer.sid);
  }

  private evictIdleStrangers(keep: bigint): void {
    let strangers = 0;
    for (const sid of this.table.keys()) if (!this.isKnown(sid)) strangers++;
    for (const [sid, p] of this.table) {
      if (strangers <= MAX_IDLE_STRANGERS) return;
      if (sid === keep || this.isKnown(sid) || p.conn !== null || p.dial !== null) continue;
      this.table.delete(sid);
      this.evictions++;
      strangers--;
    }
  }
}
