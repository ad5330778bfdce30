// Talking to a running ZooKeeper from outside: four-letter words over the client port and the
// AdminServer's JSON commands over HTTP.

import http from 'node:http';
import net from 'node:net';
import { TestkitError } from '../errors.js';

export type ZkMode = 'leader' | 'follower' | 'observer' | 'standalone';

/** Sends a four-letter word (`srvr`, `mntr`, `conf`, `ruok`, ...) and returns the raw reply. */
export function fourLetterWord(port: number, word: string, timeoutMs = 2_000, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TestkitError('TIMEOUT', `expected a reply to '${word}' from ${host}:${port} within ${timeoutMs} ms, got ${Buffer.concat(chunks).length} bytes`));
    }, timeoutMs);
    socket.once('connect', () => socket.write(word));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new TestkitError('IO', `expected a reply to '${word}' from ${host}:${port}, got ${err.message}`, { cause: err }));
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** The `Mode:` line of a `srvr` reply, or null (e.g. "not currently serving requests"). */
export function parseSrvrMode(text: string): ZkMode | null {
  const m = /^Mode:\s*(leader|follower|observer|standalone)\s*$/m.exec(text);
  return m ? (m[1] as ZkMode) : null;
}

/** GET http://host:port/commands/<command> and parse the JSON body. */
export function adminCommand(port: number, command: string, timeoutMs = 2_000, host = '127.0.0.1'): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: `/commands/${encodeURIComponent(command)}`, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', (err) => reject(new TestkitError('IO', `admin ${command} on ${host}:${port}: ${err.message}`, { cause: err })));
      res.once('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          resolve(JSON.parse(body) as unknown);
        } catch {
          reject(new TestkitError('IO', `admin ${command} on ${host}:${port}: expected JSON (HTTP ${res.statusCode}), got ${JSON.stringify(body.slice(0, 200))}`));
        }
      });
    });
    req.once('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.once('error', (err) => reject(new TestkitError('IO', `admin ${command} on ${host}:${port}: ${err.message}`, { cause: err })));
  });
}
