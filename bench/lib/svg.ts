// A small SVG line plot (no dependency): one or more series of (x, y) points with optional
// min-max whiskers, linear or log axes. Used for "latency against N" next to RESULTS.md.

export interface PlotPoint {
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}

export interface PlotSeries {
  name: string;
  points: readonly PlotPoint[];
  /** CSS colour; a palette entry when omitted. */
  color?: string;
  dashed?: boolean;
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly PlotSeries[];
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** "Nice" tick values covering [lo, hi] on a linear axis. */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step, i = 0; v <= hi + step * 1e-9 && i < 50; v += step, i++) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten (and 2x, 5x when the range is short) within [lo, hi] on a log axis. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const from = Math.floor(Math.log10(lo));
  const to = Math.ceil(Math.log10(hi));
  const mults = to - from <= 2 ? [1, 2, 5] : [1];
  for (let e = from; e <= to && e - from < 30; e++) {
    for (const m of mults) {
      const v = m * 10 ** e;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(Number(v.toPrecision(12)));
    }
  }
  return out;
}

function tickLabel(v: number): string {
  if (v >= 1000 && v % 1000 === 0) return `${v / 1000}k`;
  if (Math.abs(v) < 1 && v !== 0) return String(Number(v.toPrecision(2)));
  return String(Number(v.toPrecision(4)));
}

/** The whole SVG document as text. Points with non-positive values are skipped on log axes. */
export function renderPlot(spec: PlotSpec): string {
  const W = spec.width ?? 640;
  const H = spec.height ?? 400;
  const m = { left: 70, right: 170, top: 40, bottom: 50 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const usable = (p: PlotPoint): boolean => (!spec.logX || p.x > 0) && (!spec.logY || p.y > 0);
  const pts = spec.series.flatMap((s) => s.points.filter(usable));
  const ys = pts.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]).filter((v) => !spec.logY || v > 0);
  const xs = pts.map((p) => p.x);
  let [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (!spec.logY) y0 = Math.min(0, y0);
  if (x1 === x0) [x0, x1] = spec.logX ? [x0 / 2, x1 * 2] : [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = spec.logY ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1];
  if (spec.logY) [y0, y1] = [10 ** Math.floor(Math.log10(y0)), 10 ** Math.ceil(Math.log10(y1))];
  else y1 = y1 * 1.08;
  const fx = spec.logX
    ? (x: number) => m.left + ((Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * pw
    : (x: number) => m.left + ((x - x0) / (x1 - x0)) * pw;
  const fy = spec.logY
    ? (y: number) => m.top + ph - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * ph
    : (y: number) => m.top + ph - ((y - y0) / (y1 - y0)) * ph;
  const r = (v: number): string => v.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(spec.title)}</text>`);
  const yt = spec.logY ? logTicks(y0, y1) : linearTicks(y0, y1);
  for (const v of yt) {
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${r(fy(v))}" y2="${r(fy(v))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${r(fy(v) + 4)}" text-anchor="end">${tickLabel(v)}</text>`);
  }
  const xt = [...new Set(xs)].sort((a, b) => a - b);
  for (const v of xt.length <= 12 ? xt : spec.logX ? logTicks(x0, x1) : linearTicks(x0, x1)) {
    out.push(`<line x1="${r(fx(v))}" x2="${r(fx(v))}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="#333"/>`);
    out.push(`<text x="${r(fx(v))}" y="${m.top + ph + 18}" text-anchor="middle">${tickLabel(v)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  spec.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const p = s.points.filter(usable).sort((a, b) => a.x - b.x);
    if (p.length > 0) {
      const d = p.map((q, j) => `${j === 0 ? 'M' : 'L'}${r(fx(q.x))},${r(fy(q.y))}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
      for (const q of p) {
        if (q.lo !== undefined && q.hi !== undefined && (!spec.logY || q.lo > 0)) {
          out.push(`<line x1="${r(fx(q.x))}" x2="${r(fx(q.x))}" y1="${r(fy(q.lo))}" y2="${r(fy(q.hi))}" stroke="${color}" stroke-width="1"/>`);
        }
        out.push(`<circle cx="${r(fx(q.x))}" cy="${r(fy(q.y))}" r="3.5" fill="${color}"/>`);
      }
    }
    const ly = m.top + 10 + i * 20;
    out.push(`<line x1="${m.left + pw + 12}" x2="${m.left + pw + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${m.left + pw + 42}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
