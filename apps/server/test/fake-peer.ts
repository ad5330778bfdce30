// A scriptable PeerSource for unit tests of the observers (no sockets, no election).

import { EventEmitter } from 'node:events';
import type { ElectionEventView, PeerSource, PeerStatus } from '../src/status.js';

export class FakePeer extends EventEmitter implements PeerSource {
  current: PeerStatus;
  closed = false;

  constructor(init: Partial<PeerStatus> & { sid: bigint }) {
    super();
    this.current = {
      state: 'LOOKING',
      learnerType: 'participant',
      leader: null,
      round: 1n,
      zxid: 0n,
      proposal: { leader: init.sid, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n },
      currentVote: null,
      recvset: new Map(),
      outofelection: new Map(),
      connections: [],
      acceptedEpoch: 0n,
      currentEpoch: 0n,
      establishedEpoch: null,
      learners: [],
      messages: { sent: 0, received: 0 },
      ...init,
    };
  }

  status(): PeerStatus {
    return this.current;
  }

  /** Replaces fields and pings listeners, as the real peer does on every change. */
  update(patch: Partial<PeerStatus>): void {
    this.current = { ...this.current, ...patch };
    this.emit('change');
  }

  /** Moves to a decided state for `leader` in `round`. */
  decide(state: 'LEADING' | 'FOLLOWING' | 'OBSERVING', leader: bigint, round = this.current.round): void {
    this.update({
      state,
      leader,
      round,
      currentVote: { leader, zxid: this.current.zxid, electionEpoch: round, peerEpoch: 0n },
    });
  }

  electionEvent(e: ElectionEventView): void {
    this.emit('event', e);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
