// zoo.cfg text for a loopback ZooKeeper node, and the server.N membership lines that every
// member (ZooKeeper or zkvote) must share.

export interface ServerEntry {
  sid: number;
  host?: string;
  quorumPort: number;
  electionPort: number;
  type?: 'participant' | 'observer';
}

/** `server.N=host:quorumPort:electionPort[:observer]` (host defaults to 127.0.0.1). */
export function serverLine(e: ServerEntry): string {
  return `server.${e.sid}=${e.host ?? '127.0.0.1'}:${e.quorumPort}:${e.electionPort}${e.type === 'observer' ? ':observer' : ''}`;
}

/** Membership lines sorted by sid. */
export function serverLines(entries: readonly ServerEntry[]): string[] {
  return [...entries].sort((a, b) => a.sid - b.sid).map(serverLine);
}

export interface ZooCfgInput {
  dataDir: string;
  clientPort: number;
  adminPort: number;
  servers: readonly ServerEntry[];
  /** Writes peerType=observer (the node's own server line must say :observer too). */
  observer?: boolean;
  tickTime?: number;
  initLimit?: number;
  syncLimit?: number;
  /** Overrides a default key in place, or appends. */
  extraConfig?: Record<string, string>;
}

/** zoo.cfg text: client and admin on 127.0.0.1, every four-letter word allowed. */
export function zooCfgText(input: ZooCfgInput): string {
  const entries = new Map<string, string>([
    ['tickTime', String(input.tickTime ?? 2000)],
    ['initLimit', String(input.initLimit ?? 10)],
    ['syncLimit', String(input.syncLimit ?? 5)],
    ['dataDir', input.dataDir],
    ['clientPort', String(input.clientPort)],
    ['clientPortAddress', '127.0.0.1'],
    ['4lw.commands.whitelist', '*'],
    ['admin.enableServer', 'true'],
    ['admin.serverAddress', '127.0.0.1'],
    ['admin.serverPort', String(input.adminPort)],
  ]);
  if (input.observer) entries.set('peerType', 'observer');
  for (const [k, v] of Object.entries(input.extraConfig ?? {})) entries.set(k, v);
  return [...[...entries].map(([k, v]) => `${k}=${v}`), ...serverLines(input.servers), ''].join('\n');
}

/** log4j.properties for a ZooKeeper child: INFO to the console, one line per event, with myid. */
export const LOG4J_PROPERTIES = [
  'log4j.rootLogger=INFO, CONSOLE',
  'log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender',
  'log4j.appender.CONSOLE.Threshold=INFO',
  'log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n',
  '',
].join('\n');
