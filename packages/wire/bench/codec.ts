// Codec throughput: notifications built and parsed per second, frame decoding bytes per second.
// Prints a table and rewrites only the wire section of <repo>/bench/RESULTS.md.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildHandshake, buildMsg, encodeFrame, FrameDecoder, parse, parseHandshake } from '../src/index.js';

const RESULTS = fileURLToPath(new URL('../../../bench/RESULTS.md', import.meta.url));
const BEGIN = '<!-- wire:begin -->';
const END = '<!-- wire:end -->';
const DURATION_MS = Number(process.env.WIRE_BENCH_MS ?? 400);

const config =
  'server.1=127.0.0.1:28881:38881:participant\nserver.2=127.0.0.1:28882:38882:participant\n' +
  'server.3=127.0.0.1:28883:38883:participant\nversion=0';
const notification = {
  state: 0,
  leader: 3n,
  zxid: 0x100000006n,
  electionEpoch: 2n,
  peerEpoch: 1n,
  config: new TextEncoder().encode(config),
};
const payload = buildMsg(notification);

/** Runs `op` in batches for about DURATION_MS and returns how many units per second it did. */
function measure(op: () => number): number {
  const warmUntil = performance.now() + DURATION_MS / 4;
  while (performance.now() < warmUntil) op();
  let units = 0;
  const start = performance.now();
  let now = start;
  while (now - start < DURATION_MS) {
    for (let i = 0; i < 100; i++) units += op();
    now = performance.now();
  }
  return (units * 1000) / (now - start);
}

let sink = 0;

const built = measure(() => {
  sink += buildMsg(notification).length;
  return 1;
});
const parsed = measure(() => {
  sink += parse(payload).config!.length;
  return 1;
});

// A stream of 1000 notification frames cut into 1448-byte segments (a typical TCP MSS), so most
// frames straddle two chunks and the reassembly path is exercised.
const frame = encodeFrame(payload);
const stream = new Uint8Array(frame.length * 1000);
for (let i = 0; i < 1000; i++) stream.set(frame, i * frame.length);
const chunks: Uint8Array[] = [];
for (let off = 0; off < stream.length; off += 1448) chunks.push(stream.subarray(off, off + 1448));
const frameBytes = measure(() => {
  const d = new FrameDecoder();
  for (const c of chunks) sink += d.push(c).length;
  return stream.length;
});

const handshake = buildHandshake({ sid: 3n, protocol: 'v1', addresses: [{ host: '127.0.0.1', port: 38883 }] });
const handshakes = measure(() => {
  const r = parseHandshake(handshake);
  sink += r.status === 'ok' ? r.consumed : 0;
  return 1;
});

const rows: Array<[string, string]> = [
  [`notifications built/s (v2, ${payload.length}-byte payload)`, fmt(built)],
  [`notifications parsed/s (v2, ${payload.length}-byte payload)`, fmt(parsed)],
  [`frame decoding bytes/s (${frame.length}-byte frames, 1448-byte chunks)`, `${fmt(frameBytes)} (${(frameBytes / 2 ** 20).toFixed(1)} MiB/s)`],
  ['handshakes parsed/s (v1, 1 address)', fmt(handshakes)],
];

const env = `node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'} (${cpus().length} cores), ${new Date().toISOString()}`;
const table = ['| @zkvote/wire | per second |', '|---|---:|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
console.log(table);
console.log(`\n${env}`);
if (sink < 0) throw new Error('unreachable: keeps the measured results alive');

const section = [
  BEGIN,
  '## @zkvote/wire codec',
  '',
  `Measured by \`pnpm --filter @zkvote/wire bench\` (about ${DURATION_MS} ms per row) on ${env}.`,
  '',
  table,
  END,
].join('\n');
const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# zkvote benchmark results\n';
const begin = current.indexOf(BEGIN);
const end = current.indexOf(END);
const next =
  begin >= 0 && end > begin
    ? current.slice(0, begin) + section + current.slice(end + END.length)
    : `${current.replace(/\n*$/, '\n\n')}${section}\n`;
writeFileSync(RESULTS, next);
console.log(`updated ${RESULTS}`);

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
