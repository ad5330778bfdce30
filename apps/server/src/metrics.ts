// Prometheus metrics (prom-client) on their own port, as ZooKeeper's PrometheusMetricsProvider
// does: ZooKeeper's names where it has the metric (election_time, looking_count, quorum_size,
// learners, ...) and zkvote_* for what only we expose. Values are read at scrape time.

import http from 'node:http';
import { Counter, Gauge, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import type { FourLetterContext } from './fourletter.js';
import type { StateName } from './status.js';

const STATE_CODE: Record<StateName, number> = { LOOKING: 0, FOLLOWING: 1, LEADING: 2, OBSERVING: 3 };

export interface ServerMetrics {
  readonly registry: Registry;
  /** Stops listening to the monitor. */
  detach(): void;
}

/** A counter whose value is owned elsewhere (a running total we only read). */
function mirroredCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      const v = read();
      if (v > 0) this.inc(v);
    },
  });
}

function readGauge(registry: Registry, name: string, help: string, read: () => number | bigint | null): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const v = read();
      this.set(v === null ? -1 : Number(v));
    },
  });
}

export function createMetrics(ctx: FourLetterContext, opts: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  const { monitor, info } = ctx;
  const status = () => monitor.status();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const electionTime = new Summary({
    name: 'election_time',
    help: 'Time between entering and leaving the LOOKING state, in ms (ZooKeeper election_time)',
    registers: [registry],
    percentiles: [0.5, 0.9, 0.99],
    maxAgeSeconds: 600,
    ageBuckets: 5,
  });
  const onElected = (e: { electionMs: number }): void => electionTime.observe(e.electionMs);
  monitor.on('elected', onElected);

  mirroredCounter(registry, 'looking_count', 'Number of transitions into the LOOKING state (ZooKeeper looking_count)', () => monitor.lookingCount);
  readGauge(registry, 'quorum_size', 'Voting members in the configuration (ZooKeeper quorum_size)', () => info.membership.votingMembers.size);
  readGauge(registry, 'learners', 'Learners with a live session to this leader (ZooKeeper learners; 0 when not leading)', () => {
    const s = status();
    return s.state === 'LEADING' ? s.learners.length : 0;
  });
  readGauge(registry, 'synced_followers', 'Followers synced with this leader (ZooKeeper synced_followers; 0 when not leading)', () => {
    const s = status();
    return s.state === 'LEADING' ? s.learners.length : 0;
  });
  readGauge(registry, 'uptime', 'Milliseconds since this server started (ZooKeeper uptime)', () => monitor.uptimeMs());
  readGauge(registry, 'num_alive_connections', 'Open client-port (four-letter word) connections', () => ctx.stats.connections);

  readGauge(registry, 'zkvote_state', 'Peer state: 0 LOOKING, 1 FOLLOWING, 2 LEADING, 3 OBSERVING', () => STATE_CODE[status().state]);
  readGauge(registry, 'zkvote_election_round', 'Current election round (logicalclock)', () => status().round);
  readGauge(registry, 'zkvote_leader', 'Sid of the elected leader, -1 while LOOKING', () => status().leader);
  readGauge(registry, 'zkvote_established_epoch', 'Epoch established with a quorum (fencing token), -1 if none', () => status().establishedEpoch);
  readGauge(registry, 'zkvote_accepted_epoch', 'acceptedEpoch as persisted in dataDir, -1 if unknown', () => status().acceptedEpoch);
  readGauge(registry, 'zkvote_current_epoch', 'currentEpoch as persisted in dataDir, -1 if unknown', () => status().currentEpoch);
  readGauge(registry, 'zkvote_connected_peers', 'Election connections currently established', () =>
    status().connections.filter((c) => c.connected).length,
  );
  readGauge(registry, 'zkvote_last_election_ms', 'Duration of the last finished election in ms, -1 if none', () => monitor.lastElectionMs);
  mirroredCounter(registry, 'zkvote_notifications_sent_total', 'Election notifications sent', () => status().messages.sent ?? 0);
  mirroredCounter(registry, 'zkvote_notifications_received_total', 'Election notifications received', () => status().messages.received ?? 0);
  mirroredCounter(registry, 'zkvote_elections_total', 'Elections finished (LOOKING -> another state)', () => monitor.electionCount);

  return {
    registry,
    detach: () => {
      monitor.off('elected', onElected);
    },
  };
}

/** GET /metrics (or /) in the Prometheus text format. */
export function createMetricsServer(metrics: ServerMetrics): http.Server {
  const server = http.createServer((req, res) => {
    res.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found; scrape GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      },
      (e: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`metrics failed: ${e.message}\n`);
      },
    );
  });
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.maxConnections = 64;
  server.on('clientError', (_err, socket) => socket.destroy());
  return server;
}
