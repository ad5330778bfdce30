// A minimal acceptor pipeline for tests: handshake, then frames, then notifications, recording
// what a ZooKeeper 3.8 acceptor would have done with the same bytes.

import {
  FrameDecoder,
  HandshakeReader,
  WireError,
  tryParse,
  type Handshake,
  type TryParseResult,
} from '../src/index.js';

export interface Reception {
  handshake: Handshake | null;
  frames: Uint8Array[];
  notifications: TryParseResult[];
  /** The error that would close the connection (handshake or framing). */
  fatal: WireError | null;
}

export function receive(segments: Uint8Array[]): Reception {
  const out: Reception = { handshake: null, frames: [], notifications: [], fatal: null };
  const reader = new HandshakeReader();
  const decoder = new FrameDecoder();
  const onFrame = (payload: Uint8Array) => {
    out.frames.push(payload);
    out.notifications.push(tryParse(payload));
  };
  try {
    for (const segment of segments) {
      if (out.handshake === null) {
        const r = reader.push(segment);
        if (r.status === 'need-more') continue;
        out.handshake = r.handshake;
        decoder.feed(r.rest, onFrame);
      } else {
        decoder.feed(segment, onFrame);
      }
    }
  } catch (e) {
    if (!WireError.isInstance(e)) throw e;
    out.fatal = e;
  }
  return out;
}
