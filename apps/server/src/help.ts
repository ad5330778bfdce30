// `zkvote-server --help`: every zoo.cfg key zkvote-server honours, its own zkvote.* keys, the
// environment variables, and where to look once it runs.

import { ZKVOTE_KEYS } from './config.js';
import { SERVER_VERSION } from './info.js';

export function helpText(): string {
  const zk = ZKVOTE_KEYS.map(([k, v]) => `  ${k.padEnd(32)} ${v}`).join('\n');
  return `zkvote-server ${SERVER_VERSION}: a ZooKeeper-compatible leader-election peer (Fast Leader Election)

Usage:
  zkvote-server <path/to/zoo.cfg>     run the server described by zoo.cfg (like QuorumPeerMain)
  zkvote-server --help | --version

It reads zoo.cfg (ZooKeeper 3.5-3.9 format), the dynamic config file when dynamicConfigFile is
set, and dataDir/myid. Relative paths are taken from the working directory, as ZooKeeper does.

zoo.cfg keys honoured:
  tickTime                         ms per tick (default 3000)
  initLimit, syncLimit             ticks a new leader waits for a quorum / a peer may be silent
  dataDir                          holds myid, acceptedEpoch and currentEpoch (required)
  clientPort, clientPortAddress    four-letter words listen here (address default 0.0.0.0;
                                   no clientPort = no four-letter words)
  server.N=host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort]
  group.N, weight.N                hierarchical quorums
  dynamicConfigFile                membership in a separate file (its version is the file suffix)
  standaloneEnabled, multiAddress.enabled (handshake v2), quorumListenOnAllIPs (bind 0.0.0.0)
  peerType                         warned about when it contradicts the server.N role
  electionAlg                      must be 3
  4lw.commands.whitelist           comma-separated words or * (default srvr)
  admin.enableServer               false disables the admin HTTP API (default true)
  admin.serverAddress              admin bind address (default 127.0.0.1, unlike ZooKeeper)
  admin.serverPort                 admin port (default 8080)
  metricsProvider.className        any value enables Prometheus metrics, on
  metricsProvider.httpPort         ... this port (default 7000) and
  metricsProvider.httpHost         ... this address (default 127.0.0.1)
  minSessionTimeout, maxSessionTimeout, maxClientCnxns   reported by conf only
  sslQuorum=true                   mutual TLS on the election port, with PEM stores:
    ssl.quorum.keyStore.location   PEM file with this server's key and certificate chain
    ssl.quorum.keyStore.password   passphrase of the key, if any
    ssl.quorum.trustStore.location PEM file with the trusted CA certificates
    ssl.quorum.hostnameVerification  verify peer host names (default true)
  Other ZooKeeper keys are accepted and ignored (logged as warnings when ZooKeeper would not
  know them either).

zkvote.* keys (ZooKeeper ignores them, so one zoo.cfg can serve both):
${zk}

Environment:
  ZKVOTE_LOG_LEVEL                 overrides zkvote.logLevel
  ZKVOTE_METRICS_PORT              overrides the metrics port (0 = off)

Observing it:
  logs      one JSON line per event on stdout (pino; pipe through pino-pretty to read):
            "state LOOKING -> FOLLOWING", "vote ...", and ZooKeeper's
            "LEADING - LEADER ELECTION TOOK - N ms" / "FOLLOWING - ..." / "OBSERVING - ...",
            then "<STATE> - EPOCH ESTABLISHED - E" once the leader has its epoch
  admin     http://<admin.serverAddress>:<admin.serverPort>/commands/<name>, JSON with
            "command" and "error" as in ZooKeeper's AdminServer:
            ruok, leader (lead), voting_view, srvr (server_stats), stat (stats),
            conf (configuration), mntr (monitor), zabstate, and zkvote's
            election (state, round, proposal, votes by sid, connections, epochs, counters);
            /commands/events streams election events (Server-Sent Events; ?format=ndjson
            for one JSON object per line; ?since=<seq> replays recent events first)
  4lw       echo srvr | nc <clientPortAddress> <clientPort>: ruok srvr stat mntr conf isro envi
  metrics   GET http://<httpHost>:<httpPort>/metrics (Prometheus text format)

Exit codes: 0 after SIGTERM/SIGINT (graceful close), 2 when it cannot start (bad config,
missing myid, unreadable dataDir, port in use: one line on stderr naming the cause).
`;
}
