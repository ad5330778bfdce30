// The messages of zkvote's epoch protocol on the quorum port (README "Epoch establishment"):
// a 4-byte big-endian length, then a one-byte type and fixed-size fields. Every message has
// exactly one valid length, so anything else is garbage and closes the connection.

import { PeerError } from '../errors.js';

/** 'ZKVQ': first bytes of a learner's hello, so a stray client or a ZooKeeper learner is told apart at once. */
export const QUORUM_MAGIC = 0x5a4b5651;
export const QUORUM_PROTOCOL_VERSION = 1;

export enum QuorumMessageType {
  FOLLOWERINFO = 1,
  NEWEPOCH = 2,
  ACKEPOCH = 3,
  ESTABLISHED = 4,
  PING = 5,
  PONG = 6,
  REJECT = 7,
}

export enum RejectReason {
  /** The contacted peer is not (or no longer) an active leader. */
  NOT_LEADING = 1,
  /** The learner's sid is not a member of the leader's configuration (or is the leader's own). */
  UNKNOWN_SID = 2,
  /** The learner already accepted an epoch above the one this leader proposes. */
  STALE_EPOCH = 3,
  /** The learner's state is more recent than the leader's (epoch, then zxid). */
  LEARNER_AHEAD = 4,
  /** Out-of-order or inconsistent message. */
  PROTOCOL = 5,
}

export type LearnerRole = 'participant' | 'observer';

/** The election state a NOT_LEADING rejection reports, numbered as ZooKeeper's ServerState. */
export type ResponderState = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';
const RESPONDER_STATES: readonly ResponderState[] = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'];

/**
 * What a peer that is not an active leader tells a learner: its state, the leader it decided
 * for (null while LOOKING) and its election round, so the learner can tell "not decided yet"
 * from "decided for someone else".
 */
export interface ResponderStatus {
  readonly state: ResponderState;
  readonly leader: bigint | null;
  readonly round: bigint;
}

export type QuorumMessage =
  | { type: 'FOLLOWERINFO'; role: LearnerRole; sid: bigint; acceptedEpoch: bigint; lastZxid: bigint }
  | { type: 'NEWEPOCH'; leader: bigint; epoch: bigint }
  | { type: 'ACKEPOCH'; epoch: bigint; currentEpoch: bigint; lastZxid: bigint }
  | { type: 'ESTABLISHED'; epoch: bigint }
  | { type: 'PING'; epoch: bigint; seq: bigint }
  | { type: 'PONG'; seq: bigint }
  | { type: 'REJECT'; reason: RejectReason.NOT_LEADING; status: ResponderStatus }
  | { type: 'REJECT'; reason: Exclude<RejectReason, RejectReason.NOT_LEADING> };

/** Payload sizes (type byte included), the only lengths accepted. */
const PAYLOAD_SIZE: Record<QuorumMessageType, number> = {
  [QuorumMessageType.FOLLOWERINFO]: 1 + 4 + 1 + 1 + 8 + 8 + 8,
  [QuorumMessageType.NEWEPOCH]: 1 + 8 + 8,
  [QuorumMessageType.ACKEPOCH]: 1 + 8 + 8 + 8,
  [QuorumMessageType.ESTABLISHED]: 1 + 8,
  [QuorumMessageType.PING]: 1 + 8 + 8,
  [QuorumMessageType.PONG]: 1 + 8,
  [QuorumMessageType.REJECT]: 1 + 1 + 1 + 8 + 8,
};

export const MAX_QUORUM_PAYLOAD = Math.max(...Object.values(PAYLOAD_SIZE));

function bad(detail: string): PeerError {
  return new PeerError('BAD_MESSAGE', detail);
}

export function encodeQuorumMessage(msg: QuorumMessage): Uint8Array {
  const type = QuorumMessageType[msg.type];
  const size = PAYLOAD_SIZE[type];
  const out = new Uint8Array(4 + size);
  const view = new DataView(out.buffer);
  view.setInt32(0, size);
  view.setUint8(4, type);
  let at = 5;
  const long = (v: bigint): void => {
    view.setBigInt64(at, v);
    at += 8;
  };
  switch (msg.type) {
    case 'FOLLOWERINFO':
      view.setUint32(at, QUORUM_MAGIC);
      view.setUint8(at + 4, QUORUM_PROTOCOL_VERSION);
      view.setUint8(at + 5, msg.role === 'participant' ? 0 : 1);
      at += 6;
      long(msg.sid);
      long(msg.acceptedEpoch);
      long(msg.lastZxid);
      break;
    case 'NEWEPOCH':
      long(msg.leader);
      long(msg.epoch);
      break;
    case 'ACKEPOCH':
      long(msg.epoch);
      long(msg.currentEpoch);
      long(msg.lastZxid);
      break;
    case 'ESTABLISHED':
      long(msg.epoch);
      break;
    case 'PING':
      long(msg.epoch);
      long(msg.seq);
      break;
    case 'PONG':
      long(msg.seq);
      break;
    case 'REJECT':
      view.setUint8(at, msg.reason);
      at += 1;
      // Other reasons come from an active leader and carry no status: all zero.
      if (msg.reason === RejectReason.NOT_LEADING) {
        const { state, leader, round } = msg.status;
        if ((state === 'LOOKING') !== (leader === null)) {
          throw bad(`expected a leader sid exactly when the state is decided, got ${state} with leader ${String(leader)}`);
        }
        view.setUint8(at, RESPONDER_STATES.indexOf(state));
        at += 1;
        long(leader ?? -1n);
        long(round);
      }
      break;
  }
  return out;
}

/** Decodes one payload (without its length prefix); throws PeerError BAD_MESSAGE on anything off. */
export function decodeQuorumPayload(payload: Uint8Array): QuorumMessage {
  if (payload.length === 0) throw bad('expected a message type byte, got an empty payload');
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const type = view.getUint8(0) as QuorumMessageType;
  const size = PAYLOAD_SIZE[type];
  if (size === undefined) throw bad(`expected a message type 1..7, got ${type}`);
  if (payload.length !== size) {
    throw bad(`expected ${size} bytes for ${QuorumMessageType[type]}, got ${payload.length}`);
  }
  const long = (at: number): bigint => view.getBigInt64(at);
  switch (type) {
    case QuorumMessageType.FOLLOWERINFO: {
      const magic = view.getUint32(1);
      if (magic !== QUORUM_MAGIC) throw bad(`expected magic 0x${QUORUM_MAGIC.toString(16)}, got 0x${magic.toString(16)}`);
      const version = view.getUint8(5);
      if (version !== QUORUM_PROTOCOL_VERSION) {
        throw bad(`expected protocol version ${QUORUM_PROTOCOL_VERSION}, got ${version}`);
      }
      const roleByte = view.getUint8(6);
      if (roleByte > 1) throw bad(`expected learner role 0 (participant) or 1 (observer), got ${roleByte}`);
      return {
        type: 'FOLLOWERINFO',
        role: roleByte === 0 ? 'participant' : 'observer',
        sid: long(7),
        acceptedEpoch: long(15),
        lastZxid: long(23),
      };
    }
    case QuorumMessageType.NEWEPOCH:
      return { type: 'NEWEPOCH', leader: long(1), epoch: long(9) };
    case QuorumMessageType.ACKEPOCH:
      return { type: 'ACKEPOCH', epoch: long(1), currentEpoch: long(9), lastZxid: long(17) };
    case QuorumMessageType.ESTABLISHED:
      return { type: 'ESTABLISHED', epoch: long(1) };
    case QuorumMessageType.PING:
      return { type: 'PING', epoch: long(1), seq: long(9) };
    case QuorumMessageType.PONG:
      return { type: 'PONG', seq: long(1) };
    case QuorumMessageType.REJECT: {
      const reason = view.getUint8(1) as RejectReason;
      if (RejectReason[reason] === undefined) throw bad(`expected a reject reason 1..5, got ${reason}`);
      const stateByte = view.getUint8(2);
      const leader = long(3);
      const round = long(11);
      if (reason !== RejectReason.NOT_LEADING) {
        if (stateByte !== 0 || leader !== 0n || round !== 0n) {
          throw bad(`expected zero status bytes with reject reason ${RejectReason[reason]}, got state ${stateByte}, leader ${leader}, round ${round}`);
        }
        return { type: 'REJECT', reason };
      }
      const state = RESPONDER_STATES[stateByte];
      if (state === undefined) throw bad(`expected a responder state 0..3, got ${stateByte}`);
      if (round < 0n) throw bad(`expected a non-negative election round, got ${round}`);
      if (state === 'LOOKING') {
        if (leader !== -1n) throw bad(`expected leader -1 from a LOOKING responder, got ${leader}`);
        return { type: 'REJECT', reason, status: { state, leader: null, round } };
      }
      if (leader < 0n) throw bad(`expected a leader sid >= 0 from a ${state} responder, got ${leader}`);
      return { type: 'REJECT', reason, status: { state, leader, round } };
    }
  }
  throw bad(`expected a known message type, got ${String(type)}`);
}

/**
 * Splits a byte stream into messages. Never buffers more than one maximal frame: a length
 * outside 1..MAX_QUORUM_PAYLOAD is rejected as soon as its four bytes are in.
 */
export class QuorumFrameDecoder {
  private buffer = new Uint8Array(0);

  push(chunk: Uint8Array): QuorumMessage[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.length);
    const out: QuorumMessage[] = [];
    let at = 0;
    while (joined.length - at >= 4) {
      const length = new DataView(joined.buffer, at, 4).getInt32(0);
      if (length < 1 || length > MAX_QUORUM_PAYLOAD) {
        throw bad(`expected a frame length 1..${MAX_QUORUM_PAYLOAD}, got ${length}`);
      }
      if (joined.length - at - 4 < length) break;
      out.push(decodeQuorumPayload(joined.subarray(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    this.buffer = joined.slice(at);
    return out;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get pending(): number {
    return this.buffer.length;
  }
}
