// Subscribes to a zkvote server's admin event stream (`/commands/events?format=ndjson`):
// one JSON event per line (state, vote, elected with electionMs, epoch, the peer's own
// election events). ZooKeeper has no such stream; a 404 says so and the caller stops asking.

import http from 'node:http';

export interface StreamHandle {
  close(): void;
}

export interface StreamCallbacks {
  onEvent(event: Record<string, unknown>, raw: string): void;
  /** The stream ended or could not start; `unsupported` when the server has no event stream. */
  onEnd(reason: { unsupported: boolean; error: string | null }): void;
}

const MAX_LINE = 1 << 20;

export function subscribeEvents(host: string, port: number, callbacks: StreamCallbacks, connectTimeoutMs = 2000): StreamHandle {
  let ended = false;
  const end = (unsupported: boolean, error: string | null): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    req.destroy();
    callbacks.onEnd({ unsupported, error });
  };
  const req = http.get(
    { host, port, path: '/commands/events?format=ndjson', headers: { accept: 'application/x-ndjson' }, agent: false },
    (res) => {
      clearTimeout(timer);
      const type = String(res.headers['content-type'] ?? '');
      if (res.statusCode !== 200 || !type.includes('ndjson')) {
        res.resume();
        end(res.statusCode === 404 || !type.includes('ndjson'), `HTTP ${res.statusCode ?? '?'}`);
        return;
      }
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line === '') continue;
          try {
            const event = JSON.parse(line) as unknown;
            if (typeof event === 'object' && event !== null && !Array.isArray(event)) {
              callbacks.onEvent(event as Record<string, unknown>, line);
            }
          } catch {
            // A line we cannot read is skipped; the next one may be fine.
          }
        }
        if (buffered.length > MAX_LINE) end(false, 'event line too long');
      });
      res.on('end', () => end(false, null));
      res.on('close', () => end(false, null));
      res.on('error', (e) => end(false, e.message));
    },
  );
  const timer = setTimeout(() => end(false, `no answer within ${connectTimeoutMs} ms`), connectTimeoutMs);
  req.on('error', (e) => end(false, e.message));
  return { close: () => end(false, null) };
}
