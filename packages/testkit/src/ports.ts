// Free TCP ports on 127.0.0.1 for processes that must be told their port up front (ZooKeeper's
// zoo.cfg). Binding port 0, reading the port and closing is racy by nature: another process may
// take the port before ours binds it. We at least never hand out the same port twice per run.

import net from 'node:net';
import { TestkitError } from './errors.js';

const handedOut = new Set<number>();
/** Binds allowed beyond what is needed and what can collide (for ports taken meanwhile by others). */
const SPARE_ATTEMPTS = 64;

function bindEphemeral(): Promise<{ port: number; server: net.Server }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new TestkitError('PORTS', `expected a TCP address from listen(0), got ${String(address)}`));
        return;
      }
      resolve({ port: address.port, server });
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * `n` distinct free ports on 127.0.0.1, none handed out before in this process. All probe
 * sockets are held open together so the kernel cannot give the same port twice in one call.
 */
export async function freePorts(n: number): Promise<number[]> {
  if (!Number.isInteger(n) || n < 0) {
    throw new TestkitError('BAD_OPTIONS', `freePorts: expected a non-negative integer count, got ${n}`);
  }
  const held: net.Server[] = [];
  const ports: number[] = [];
  try {
    // Every probe socket stays bound until we return, so the kernel cannot offer the same port
    // twice in this call: at most handedOut.size binds can hit a port handed out earlier. A long
    // run (the benchmarks hand out thousands) needs that many spare binds, not a fixed few.
    const limit = n + handedOut.size + SPARE_ATTEMPTS;
    for (let attempt = 0; ports.length < n; attempt++) {
      if (attempt >= limit) {
        throw new TestkitError('PORTS', `freePorts: expected ${n} fresh ports, found ${ports.length} after ${attempt} binds`);
      }
      const { port, server } = await bindEphemeral();
      held.push(server);
      if (!handedOut.has(port)) {
        ports.push(port);
      }
    }
  } finally {
    await Promise.all(held.map(closeServer));
  }
  for (const port of ports) handedOut.add(port);
  return ports;
}

/** One free port on 127.0.0.1 (see `freePorts` for the race this cannot avoid). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}
