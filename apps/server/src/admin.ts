// The admin HTTP API: GET /commands/<name> answers JSON with `command` and `error` like
// ZooKeeper's AdminServer; GET /commands/events streams election events (Server-Sent Events,
// or NDJSON with ?format=ndjson; ?since=<seq> replays recent ones) for `zkvote watch` and
// anyone else watching live.

import http from 'node:http';
import { ADMIN_COMMANDS, electionBody, findCommand } from './admin-commands.js';
import { NOT_SERVING, type FourLetterContext } from './fourletter.js';
import { toJson } from './json.js';
import type { StreamEvent } from './monitor.js';
import { isServing } from './status.js';

export interface AdminServerOptions {
  ctx: FourLetterContext;
  /** Concurrent event-stream subscribers; more get HTTP 503. Default 64. */
  maxStreams?: number;
  /** Keep-alive comment interval on event streams. Default 15000 ms. */
  heartbeatMs?: number;
  /** Concurrent connections. Default 256. */
  maxConnections?: number;
}

/** A stream subscriber whose unsent backlog passes this is dropped (it is not reading). */
const MAX_STREAM_BACKLOG = 1 << 20;

export function createAdminServer(opts: AdminServerOptions): http.Server {
  const { ctx } = opts;
  const maxStreams = opts.maxStreams ?? 64;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  let streams = 0;

  const send = (res: http.ServerResponse, status: number, body: Record<string, unknown>): void => {
    const text = `${toJson(body)}\n`;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const stream = (req: http.IncomingMessage, res: http.ServerResponse, ndjson: boolean): void => {
    if (streams >= maxStreams) {
      send(res, 503, { command: 'events', error: `Too many event streams (limit ${maxStreams})` });
      return;
    }
    streams++;
    res.writeHead(200, {
      'content-type': ndjson ? 'application/x-ndjson' : 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const write = (kind: string, id: number | null, body: Record<string, unknown>): void => {
      if (res.writableLength > MAX_STREAM_BACKLOG) {
        res.destroy();
        return;
      }
      const line = toJson(body, 0);
      if (ndjson) res.write(`${line}\n`);
      else res.write(`${id === null ? '' : `id: ${id}\n`}event: ${kind}\ndata: ${line}\n\n`);
    };
    const onEvent = (e: StreamEvent): void => write(e.kind, e.seq, e);
    ctx.monitor.on('stream', onEvent);
    const heartbeat = setInterval(() => {
      if (ndjson) write('heartbeat', null, { kind: 'heartbeat', time: new Date().toISOString() });
      else res.write(': keep-alive\n\n');
    }, heartbeatMs);
    heartbeat.unref();
    let ended = false;
    const finish = (): void => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      ctx.monitor.off('stream', onEvent);
      streams--;
    };
    req.once('close', finish);
    res.once('close', finish);
    const status = ctx.monitor.status();
    write('snapshot', null, { kind: 'snapshot', ...electionBody(ctx, status), command: 'events', error: null });
    // ?since=<seq> replays the remembered events after <seq> (a watcher that reconnects).
    const since = Number(new URL(req.url ?? '/', 'http://admin').searchParams.get('since') ?? NaN);
    if (Number.isInteger(since)) for (const e of ctx.monitor.recent()) if (e.seq > since) write(e.kind, e.seq, e);
  };

  const server = http.createServer((req, res) => {
    res.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://admin');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { command: null, error: `Method ${req.method ?? '?'} not allowed; use GET` });
      return;
    }
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/commands' || path === '') {
      send(res, 200, {
        commands: [...ADMIN_COMMANDS.map((c) => c.name), 'events'],
        command: 'commands',
        error: null,
      });
      return;
    }
    const m = /^\/commands\/([^/]+)$/.exec(path);
    const name = m ? safeDecode(m[1] as string) : null;
    if (name === 'events') {
      stream(req, res, url.searchParams.get('format') === 'ndjson');
      return;
    }
    const command = name === null ? undefined : findCommand(name);
    if (command === undefined || name === null) {
      send(res, 404, { command: name ?? path, error: `Unknown command: ${name ?? path}` });
      return;
    }
    const status = ctx.monitor.status();
    if (command.serverRequired && !isServing(status)) {
      send(res, 200, { command: name, error: NOT_SERVING });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = command.run(ctx, status);
    } catch (e) {
      send(res, 500, { command: command.name, error: `Internal error: ${(e as Error).message}` });
      return;
    }
    send(res, 200, { ...body, command: command.name, error: null });
  });
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 64;
  server.maxConnections = opts.maxConnections ?? 256;
  server.on('clientError', (_err, socket) => socket.destroy());
  return server;
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
