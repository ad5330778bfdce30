// The garbage campaign: the captured malformed election-port inputs (fixtures from ZooKeeper
// 3.8.0), seeded random bytes, slow handshakes and connection floods, aimed at any TCP port.

import { readFileSync } from 'node:fs';
import net from 'node:net';
import { seededRandom } from '@zkvote/testkit';

interface MalformedCase {
  case: string;
  sent_hex: string[];
}

/** The malformed inputs ZooKeeper 3.8.0 was probed with (test/fixtures), one entry per case. */
export function malformedInputs(): Array<{ name: string; chunks: Buffer[] }> {
  const url = new URL('./fixtures/zk-3.8.0-malformed-inputs.json', import.meta.url);
  const cases = JSON.parse(readFileSync(url, 'utf8')) as MalformedCase[];
  const seen = new Set<string>();
  const out: Array<{ name: string; chunks: Buffer[] }> = [];
  for (const c of cases) {
    if (seen.has(c.case)) continue;
    seen.add(c.case);
    out.push({ name: c.case, chunks: c.sent_hex.map((h) => Buffer.from(h, 'hex')) });
  }
  return out;
}

export function randomChunks(rand: () => number, count: number, maxLen: number): Buffer[] {
  return Array.from({ length: count }, () => Buffer.from(Array.from({ length: 1 + Math.floor(rand() * maxLen) }, () => Math.floor(rand() * 256))));
}

/**
 * Connects, writes `chunks` (one write each, `gapMs` apart), then holds the socket until the
 * server closes it or `holdMs` passes. Resolves whether the server closed first; never rejects.
 */
export function sendAndHold(port: number, chunks: readonly Buffer[], opts: { gapMs?: number; holdMs?: number } = {}): Promise<boolean> {
  const gapMs = opts.gapMs ?? 0;
  const holdMs = opts.holdMs ?? 300;
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      socket.destroy();
      resolve(closedByServer);
    };
    socket.on('error', () => finish(true));
    socket.on('data', () => undefined);
    socket.once('close', () => finish(true));
    socket.once('connect', () => {
      chunks.forEach((c, i) => {
        timers.push(setTimeout(() => {
          if (!done) socket.write(c);
        }, i * gapMs));
      });
      timers.push(setTimeout(() => finish(false), chunks.length * gapMs + holdMs));
    });
  });
}

/** Opens `count` connections at once, each writing a few seeded random bytes, and drops them. */
export async function flood(port: number, count: number, rand: () => number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => sendAndHold(port, randomChunks(rand, 1, 16), { holdMs: 200 })));
}

/** Everything at once against one port: malformed cases, random bytes, slow writers, a flood. */
export async function campaign(port: number, seed: number): Promise<void> {
  const rand = seededRandom(seed);
  await Promise.all([
    ...malformedInputs().map((c) => sendAndHold(port, c.chunks, { gapMs: 20, holdMs: 400 })),
    ...Array.from({ length: 10 }, () => sendAndHold(port, randomChunks(rand, 3, 64), { gapMs: 10 })),
    // Slow handshakes: a byte every 100 ms.
    ...Array.from({ length: 3 }, () => sendAndHold(port, randomChunks(rand, 12, 1), { gapMs: 100, holdMs: 100 })),
  ]);
  await flood(port, 100, rand);
}
