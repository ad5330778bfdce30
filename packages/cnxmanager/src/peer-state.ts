// What the manager remembers per sid: the one-slot send queue (PROTOCOL.md 2.3), the last
// message handed to a connection (for the resend rule), the live connection or dial, counters.

import type { PeerAddress } from './options.js';
import type { Connection, Direction, RejectReason } from './connection.js';

export interface Dial {
  addresses: readonly PeerAddress[];
  index: number;
  conn: Connection | null;
  /** After the handshake is out the dial can no longer be abandoned silently. */
  handshakeWritten: boolean;
  /** Counted against maxUnknownConnects (the sid is not a configured peer). */
  unknown: boolean;
}

export interface PeerState {
  readonly sid: bigint;
  /** Send slot of capacity 1: the newest frame (length + payload) not yet written. */
  slot: Uint8Array | null;
  /** Frame last handed to any connection to this sid; re-sent on a new connection. */
  lastSent: Uint8Array | null;
  conn: Connection | null;
  dial: Dial | null;
  connectedAt: number | null;
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  lastError: string | null;
}

export function newPeerState(sid: bigint): PeerState {
  return {
    sid,
    slot: null,
    lastSent: null,
    conn: null,
    dial: null,
    connectedAt: null,
    bytesIn: 0,
    bytesOut: 0,
    messagesIn: 0,
    messagesOut: 0,
    lastError: null,
  };
}

/** One row of `peerTable()`. Counters are totals over every connection to the sid. */
export interface PeerInfo {
  sid: bigint;
  state: 'connected' | 'connecting' | 'idle';
  /** Who opened the live connection; with the tie-break this is 'outgoing' iff sid < myid. */
  direction: Direction | null;
  remoteAddress: string | null;
  localAddress: string | null;
  /** Clock time the live connection was registered. */
  connectedAt: number | null;
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  /** The send slot holds a message not yet written. */
  queued: boolean;
  lastError: string | null;
  /** The sid has a configured election address. */
  configured: boolean;
  /** A voter set is configured and does not contain this sid. */
  nonVoter: boolean;
}

export interface CnxStats {
  /** Connections closed for a fault of the other side, by reason (each counted once). */
  rejections: Record<RejectReason, number>;
  /** Messages dropped by the full receive queue (drop-oldest). */
  recvDrops: number;
  /** Messages replaced in a send slot by a newer one before being written (newest wins). */
  sendOverwrites: number;
  /** Accepted sockets still waiting for their handshake. */
  pendingHandshakes: number;
  /** Sockets of this manager not yet fully closed (pending, dialing, live, closing). */
  openSockets: number;
  accepted: number;
  connectAttempts: number;
  connectFailures: number;
  /** Connect attempts refused because maxUnknownConnects were already in flight. */
  connectsCapped: number;
  /** Incoming connections from smaller sids closed so that we connect back (PROTOCOL.md 1.4). */
  tieBreakCloses: number;
  /** Per-sid entries for sids without a configured address dropped to stay bounded. */
  unknownEvictions: number;
}

export function describePeer(p: PeerState, configured: boolean, nonVoter: boolean): PeerInfo {
  return {
    sid: p.sid,
    state: p.conn !== null ? 'connected' : p.dial !== null ? 'connecting' : 'idle',
    direction: p.conn?.direction ?? null,
    remoteAddress: p.conn?.remoteAddress ?? null,
    localAddress: p.conn?.localAddress ?? null,
    connectedAt: p.connectedAt,
    bytesIn: p.bytesIn,
    bytesOut: p.bytesOut,
    messagesIn: p.messagesIn,
    messagesOut: p.messagesOut,
    queued: p.slot !== null,
    lastError: p.lastError,
    configured,
    nonVoter,
  };
}
