// Length-prefixed frames of an election connection (PROTOCOL.md §2.1-§2.2): a 4-byte big-endian
// length, then that many payload bytes. The decoder takes chunks split anywhere and copies each
// byte at most once: whole frames inside a chunk are returned as views, split ones are assembled.

import { FRAME_HEADER_LENGTH, INT32_MAX, MAX_FRAME_LENGTH } from './constants.js';
import { assertBytes, view } from './bytes.js';
import { WireError } from './errors.js';

export interface FrameOptions {
  /** Largest accepted payload length; defaults to 524288 (ZooKeeper's PACKETMAXSIZE). */
  maxLength?: number;
}

function maxLengthOf(options: FrameOptions | undefined): number {
  const max = options?.maxLength ?? MAX_FRAME_LENGTH;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > INT32_MAX) {
    throw new WireError('OUT_OF_RANGE', `expected maxLength within 1..${INT32_MAX}, got ${String(max)}`);
  }
  return max;
}

function checkLength(length: number, max: number): void {
  if (length <= 0 || length > max) {
    throw new WireError('FRAME_LENGTH', `expected a frame length within 1..${max}, got ${length}`);
  }
}

/** Prefixes `payload` with its length. Throws FRAME_LENGTH for empty or oversized payloads. */
export function encodeFrame(payload: Uint8Array, options?: FrameOptions): Uint8Array {
  assertBytes('frame payload', payload);
  checkLength(payload.length, maxLengthOf(options));
  const out = new Uint8Array(FRAME_HEADER_LENGTH + payload.length);
  view(out).setInt32(0, payload.length);
  out.set(payload, FRAME_HEADER_LENGTH);
  return out;
}

/**
 * Incremental frame decoder. After a bad length every later call throws the same error: the
 * stream cannot be resynchronised, the connection must be closed.
 */
export class FrameDecoder {
  readonly maxLength: number;
  private readonly header = new Uint8Array(FRAME_HEADER_LENGTH);
  private headerFill = 0;
  private body: Uint8Array | null = null;
  private bodyFill = 0;
  private failure: WireError | null = null;

  constructor(options?: FrameOptions) {
    this.maxLength = maxLengthOf(options);
  }

  /**
   * Feeds one chunk and returns the payloads it completes. Payloads may be views into `chunk`.
   * On a bad length it throws; payloads completed earlier in the same chunk are then lost,
   * use `feed` to receive them first.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    this.feed(chunk, (frame) => frames.push(frame));
    return frames;
  }

  /** Like `push`, but hands each payload to `onFrame` as soon as it is complete. */
  feed(chunk: Uint8Array, onFrame: (payload: Uint8Array) => void): void {
    if (this.failure !== null) throw this.failure;
    assertBytes('chunk', chunk);
    try {
      this.consume(chunk, onFrame);
    } catch (error) {
      if (WireError.isInstance(error)) this.failure = error;
      throw error;
    }
  }

  private consume(chunk: Uint8Array, onFrame: (payload: Uint8Array) => void): void {
    const end = chunk.length;
    let pos = 0;
    while (pos < end) {
      if (this.body !== null) {
        const take = Math.min(this.body.length - this.bodyFill, end - pos);
        this.body.set(chunk.subarray(pos, pos + take), this.bodyFill);
        this.bodyFill += take;
        pos += take;
        if (this.bodyFill === this.body.length) {
          const frame = this.body;
          this.body = null;
          onFrame(frame);
        }
        continue;
      }
      let length: number;
      if (this.headerFill === 0 && end - pos >= FRAME_HEADER_LENGTH) {
        length = view(chunk).getInt32(pos);
        pos += FRAME_HEADER_LENGTH;
      } else {
        const take = Math.min(FRAME_HEADER_LENGTH - this.headerFill, end - pos);
        this.header.set(chunk.subarray(pos, pos + take), this.headerFill);
        this.headerFill += take;
        pos += take;
        if (this.headerFill < FRAME_HEADER_LENGTH) break;
        this.headerFill = 0;
        length = view(this.header).getInt32(0);
      }
      checkLength(length, this.maxLength);
      if (end - pos >= length) {
        onFrame(chunk.subarray(pos, pos + length));
        pos += length;
      } else {
        this.body = new Uint8Array(length);
        this.body.set(chunk.subarray(pos), 0);
        this.bodyFill = end - pos;
        pos = end;
      }
    }
  }

  /** Bytes held for an incomplete frame (header and body). */
  get bufferedBytes(): number {
    return this.headerFill + (this.body === null ? 0 : this.bodyFill);
  }

  /** True when no partial frame is pending (a clean place for the peer to close). */
  get idle(): boolean {
    return this.headerFill === 0 && this.body === null;
  }

  /** The error that stopped this decoder, if any. */
  get error(): WireError | null {
    return this.failure;
  }
}
