import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PeerError } from '../src/errors.js';
import {
  MAX_QUORUM_PAYLOAD,
  QuorumFrameDecoder,
  RejectReason,
  encodeQuorumMessage,
  type QuorumMessage,
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
  fc.record({ type: fc.constant('REJECT' as const), reason: fc.constantFrom(1, 2, 3, 4, 5) as fc.Arbitrary<RejectReason> }),
);

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
    expect(encodeQuorumMessage({ type: 'REJECT', reason: RejectReason.NOT_LEADING })).toEqual(hex('00000002 07 01'));
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
    ['bad reject reason', '00000002 07 00'],
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
