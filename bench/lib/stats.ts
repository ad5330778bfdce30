// Order statistics for benchmark samples: median, min-max, and how to print them. Pure.

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  mean: number;
}

/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median: expected at least one sample, got none');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Linear-interpolated quantile q in [0, 1]. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new Error('quantile: expected at least one sample, got none');
  const s = [...xs].sort((a, b) => a - b);
  const pos = Math.min(Math.max(q, 0), 1) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

export function summarize(xs: readonly number[]): Summary | null {
  if (xs.length === 0) return null;
  return {
    n: xs.length,
    median: median(xs),
    min: Math.min(...xs),
    max: Math.max(...xs),
    mean: xs.reduce((a, b) => a + b, 0) / xs.length,
  };
}

/** Milliseconds with sensible precision: 0.42, 3.1, 47, 1234. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const a = Math.abs(ms);
  if (a < 1) return ms.toFixed(2);
  if (a < 10) return ms.toFixed(1);
  return Math.round(ms).toString();
}

/** `median [min..max]` or an em dash when there are no samples. */
export function fmtSummary(s: Summary | null, fmt: (x: number) => string = fmtMs): string {
  if (s === null) return '—';
  if (s.n === 1) return fmt(s.median);
  return `${fmt(s.median)} [${fmt(s.min)}..${fmt(s.max)}]`;
}

/** The ratio column: how many times `slow` is of `fast`, as `12.3x`. */
export function fmtRatio(slow: number | null | undefined, fast: number | null | undefined): string {
  if (slow == null || fast == null || !(fast > 0) || !Number.isFinite(slow)) return '—';
  const r = slow / fast;
  if (r >= 100) return `${Math.round(r)}x`;
  if (r < 1) return `${r.toFixed(2)}x`;
  return `${r.toFixed(1)}x`;
}

export function fmtMiB(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}
