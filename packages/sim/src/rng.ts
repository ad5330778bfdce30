// Seeded pseudo-random numbers: sfc32 seeded through splitmix32, so one integer seed reproduces
// a whole run. `fork(label)` derives an independent stream, so adding draws in one subsystem
// (say, latency jitter) does not shift the draws of another (say, the scenario generator).

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The seed this stream was created from (for reports). */
  readonly seed: number;

  /** `seed` is any safe integer (negative and > 2^32 values are folded into 64 bits of state). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`expected a safe integer seed, got ${seed}`);
    this.seed = seed;
    const st = { s: (seed >>> 0) ^ Math.floor(seed / 0x1_0000_0000) };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st) | 1;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n > 0)) return 0;
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. Draws a number even when p is 0 or 1, so streams stay aligned. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** A random subset of `items` of exactly `k` elements, in the original order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const idx = items.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
    }
    return idx
      .slice(0, Math.max(0, Math.min(k, items.length)))
      .sort((x, y) => x - y)
      .map((i) => items[i] as T);
  }

  /** An independent stream derived from this stream's seed and a label. */
  fork(label: string): Rng {
    const mixed = (this.seed ^ hashLabel(label)) >>> 0;
    const hi = Math.floor(this.seed / 0x1_0000_0000) & 0x1f_ffff;
    return new Rng(hi * 0x1_0000_0000 + mixed);
  }
}
