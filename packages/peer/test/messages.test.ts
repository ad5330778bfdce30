import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PeerError } from '../src/errors.js';
import {
  MAX_QUORUM_PAYLOAD,
  QuorumFrameDecoder,
  RejectReason,
  encodeQuorumMessage,
  type QuorumMessage,
  type ResponderStatus,
} from '../src/epoch/messages.js';

const long = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const message: fc.Arbitrary<QuorumMessage> = fc.oneof(
  fc.record({
    type: fc.constant('FOLLOWERINFO' as const),
    role: fc.constantFrom('participant' as const, 'observer' as const),
    sid: long,
    acceptedEpoch: long,
    lastZxid: long,
  }),
  fc.record({ type: fc.constant('NEWEPOCH' as const), leader: long, epoch: long }),
  fc.record({ type: fc.constant('ACKEPOCH' as const), epoch: long, currentEpoch: long, lastZxid: long }),
  fc.record({ type: fc.constant('ESTABLISHED' as const), epoch: long }),
  fc.record({ type: fc.constant('PING' as const), epoch: long, seq: long }),
  fc.record({ type: fc.constant('PONG' as const), seq: long }),
  fc.record({
    type: fc.constant('REJECT' as const),
    reason: fc.constantFrom(RejectReason.UNKNOWN_SID, RejectReason.STALE_EPOCH, RejectReason.LEARNER_AHEAD, RejectReason.PROTOCOL),
  }),
  fc.record({ type: fc.constant('REJECT' as const), reason: fc.constant(RejectReason.NOT_LEADING), status: status() }),
);

function status(): fc.Arbitrary<ResponderStatus> {
  const round = fc.bigInt({ min: 0n, max: (1n << 63n) - 1n });
  return fc.oneof(
    fc.record({ state: fc.constant('LOOKING' as const), leader: fc.constant(null), round }),
    fc.record({
      state: fc.constantFrom('FOLLOWING' as const, 'LEADING' as const, 'OBSERVING' as const),
      leader: fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
      round,
    }),
  );
}

/** Expected bytes written out by hand, independent of the encoder. */
function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

describe('quorum-port messages', () => {
  it('encodes FOLLOWERINFO as documented in the README', () => {
    const bytes = encodeQuorumMessage({ type: 'FOLLOWERINFO', role: 'participant', sid: 2n, acceptedEpoch: 1n, lastZxid: 0x100000003n });
    expect(bytes).toEqual(
      hex('0000001f 01 5a4b5651 01 00 0000000000000002 0000000000000001 0000000100000003'),
    );
  });

  it('encodes PING and REJECT as documented', () => {
    expect(encodeQuorumMessage({ type: 'PING', epoch: 3n, seq: 9n })).toEqual(hex('00000011 05 0000000000000003 0000000000000009'));
    expect(encodeQuorumMessage({ type: 'REJECT', reason: RejectReason.STALE_EPOCH })).toEqual(
      hex('00000013 07 03 00 0000000000000000 0000000000000000'),
    );
    expect(
      encodeQuorumMessage({ type: 'REJECT', reason: RejectReason.NOT_LEADING, status: { state: 'LOOKING', leader: null, round: 4n } }),
    ).toEqual(hex('00000013 07 01 00 ffffffffffffffff 0000000000000004'));
    expect(
      encodeQuorumMessage({ type: 'REJECT', reason: RejectReason.NOT_LEADING, status: { state: 'FOLLOWING', leader: 5n, round: 2n } }),
    ).toEqual(hex('00000013 07 01 01 0000000000000005 0000000000000002'));
  });

  it('refuses to encode a status whose leader does not match its state', () => {
    const looking = { state: 'LOOKING', leader: 3n, round: 1n } as const;
    expect(() => encodeQuorumMessage({ type: 'REJECT', reason: RejectReason.NOT_LEADING, status: looking })).toThrow(/leader sid exactly/);
  });

  it('round-trips every message, split at every offset', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 4 }), fc.nat(), (msgs, cut) => {
        const stream = Buffer.concat(msgs.map((m) => encodeQuorumMessage(m)));
        const at = cut % (stream.length + 1);
        const decoder = new QuorumFrameDecoder();
        const out = [...decoder.push(stream.subarray(0, at)), ...decoder.push(stream.subarray(at))];
        expect(out).toEqual(msgs);
        expect(decoder.pending).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['zero length', '00000000'],
    ['negative length', 'ffffffff'],
    ['length beyond the largest message', '00000020'],
    ['HTTP', Buffer.from('GET / HTTP/1.1\r\n').toString('hex')],
    ['unknown type', '00000001 09'],
    ['wrong size for type', '00000002 06 00'],
    ['bad magic', '0000001f 01 deadbeef 01 00' + '00'.repeat(24)],
    ['bad version', '0000001f 01 5a4b5651 02 00' + '00'.repeat(24)],
    ['bad role', '0000001f 01 5a4b5651 01 02' + '00'.repeat(24)],
    ['old two-byte REJECT', '00000002 07 01'],
    ['bad reject reason', '00000013 07 00 00' + '00'.repeat(16)],
    ['NOT_LEADING with an unknown state', '00000013 07 01 04 ffffffffffffffff 0000000000000001'],
    ['NOT_LEADING LOOKING with a leader', '00000013 07 01 00 0000000000000002 0000000000000001'],
    ['NOT_LEADING FOLLOWING without a leader', '00000013 07 01 01 ffffffffffffffff 0000000000000001'],
    ['NOT_LEADING with a negative round', '00000013 07 01 01 0000000000000002 ffffffffffffffff'],
    ['STALE_EPOCH with status bytes', '00000013 07 03 01 0000000000000002 0000000000000001'],
  ])('refuses %s with a typed error', (_name, text) => {
    const decoder = new QuorumFrameDecoder();
    let error: unknown = null;
    try {
      decoder.push(hex(text));
    } catch (e) {
      error = e;
    }
    expect(PeerError.isInstance(error)).toBe(true);
    expect((error as PeerError).code).toBe('BAD_MESSAGE');
    expect((error as PeerError).message).toMatch(/^expected .*, got /);
  });

  it('ends random input as messages or a typed error, never a crash, never buffering more than a frame', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const decoder = new QuorumFrameDecoder();
        try {
          for (const c of chunks) {
            decoder.push(c);
            expect(decoder.pending).toBeLessThanOrEqual(4 + MAX_QUORUM_PAYLOAD);
          }
        } catch (e) {
          expect(PeerError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
