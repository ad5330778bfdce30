// One `server.N` entry: its grammar (PROTOCOL.md 5.2), the text a ZooKeeper 3.8 server
// renders for it (3.6), and member equality as ZooKeeper's QuorumServer defines it.

import { QuorumConfigError, show, type QuorumConfigErrorCode, type QuorumConfigErrorInit } from './errors.js';

export type LearnerType = 'participant' | 'observer';

export interface ServerAddress {
  /** Host as ZooKeeper keeps it: hostnames and IPv4 literals verbatim, IPv6 in full form. */
  readonly host: string;
  readonly quorumPort: number;
  readonly electionPort: number;
}

export interface ClientAddress {
  readonly host: string;
  readonly port: number;
}

export interface QuorumServer {
  readonly sid: bigint;
  readonly addresses: readonly ServerAddress[];
  readonly type: LearnerType;
  readonly clientAddress: ClientAddress | null;
  /** The client address came from zoo.cfg's clientPort, so it is not rendered (3.6). */
  readonly clientFromStatic?: boolean;
}

export interface ServerSpecOptions {
  multiAddressEnabled?: boolean;
}

const WRONG_FORMAT =
  'expected host:quorumPort:electionPort[:participant|:observer][|more addresses][;[clientHost:]clientPort]';

/** Parse the value of `server.<sid>=`; errors carry `where` (file, line, key). */
export function parseServerSpec(
  sid: bigint,
  spec: string,
  where: QuorumConfigErrorInit = {},
  options: ServerSpecOptions = {},
): QuorumServer {
  const fail = (code: QuorumConfigErrorCode, detail: string): never => {
    throw new QuorumConfigError(code, detail, where);
  };
  const serverClient = javaSplit(spec, ';');
  if (serverClient.length > 2 || serverClient.length === 0) {
    fail('BAD_SERVER_SPEC', `${WRONG_FORMAT}, got ${show(spec)}`);
  }
  let clientAddress: ClientAddress | null = null;
  const clientText = serverClient[1];
  if (clientText !== undefined) {
    const parts = hostAndPort(clientText, fail);
    if (parts.length === 0 || parts.length > 2) fail('BAD_SERVER_SPEC', `expected client part [clientHost:]clientPort, got ${show(clientText)}`);
    const host = parts.length === 2 ? (parts[0] as string) : '0.0.0.0';
    clientAddress = { host: javaHostString(host), port: parsePort(parts[parts.length - 1] as string, host, fail) };
  }
  const addressTexts = (serverClient[0] as string).split('|');
  if (addressTexts.length > 1 && options.multiAddressEnabled !== true) {
    fail(
      'MULTI_ADDRESS_DISABLED',
      `expected one address (multiAddress.enabled=false), got ${addressTexts.length} for sid ${sid}`,
    );
  }
  const addresses: ServerAddress[] = [];
  let type: LearnerType | undefined;
  for (const text of addressTexts) {
    const parts = hostAndPort(text, fail);
    if (parts.length < 3 || parts.length > 4) fail('BAD_SERVER_SPEC', `${WRONG_FORMAT}, got ${show(spec)}`);
    const host = parts[0] as string;
    if (host === '') fail('BAD_SERVER_SPEC', `expected a host name before the quorum port, got ${show(text)}`);
    const quorumPort = parsePort(parts[1] as string, host, fail);
    const electionPort = parsePort(parts[2] as string, host, fail);
    if (quorumPort === electionPort) {
      fail('SAME_PORTS', `expected different quorum and election ports, got ${quorumPort} for both`);
    }
    const roleText = parts[3];
    if (roleText !== undefined) {
      const role = parseRole(roleText, fail);
      if (type !== undefined && type !== role) {
        fail('MIXED_ROLES', `expected all addresses of sid ${sid} to have the same role, got ${type} and ${role}`);
      }
      type = role;
    }
    addresses.push({ host: javaHostString(host), quorumPort, electionPort });
  }
  return { sid, addresses, type: type ?? 'participant', clientAddress };
}

export function parseRole(text: string, fail: (c: 'BAD_ROLE', d: string) => never): LearnerType {
  const role = text.trim().toLowerCase();
  if (role === 'participant' || role === 'observer') return role;
  return fail('BAD_ROLE', `expected role participant or observer, got ${show(text)}`);
}

/** The serverSpec ZooKeeper 3.8 renders (without the `server.N=` prefix). */
export function formatServerSpec(server: QuorumServer): string {
  // ZooKeeper sorts quorum and election addresses by host separately (stable sort) and zips them.
  const byHost = (a: ServerAddress, b: ServerAddress): number => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0);
  const quorum = [...server.addresses].sort(byHost);
  const election = [...server.addresses].sort(byHost);
  let out = quorum
    .map((a, i) => `${delimitHost(a.host)}:${a.quorumPort}:${(election[i] as ServerAddress).electionPort}`)
    .join('|');
  out += `:${server.type}`;
  const c = server.clientAddress;
  if (c !== null && server.clientFromStatic !== true) out += `;${delimitHost(c.host)}:${c.port}`;
  return out;
}

/** QuorumServer.equals: sid, addresses, role, client address (not where the client address came from). */
export function serversEqual(a: QuorumServer, b: QuorumServer): boolean {
  if (a.sid !== b.sid || a.type !== b.type || a.addresses.length !== b.addresses.length) return false;
  const key = (s: ServerAddress): string => `${s.host}\u0000${s.quorumPort}\u0000${s.electionPort}`;
  const mine = a.addresses.map(key).sort();
  const theirs = b.addresses.map(key).sort();
  if (mine.some((k, i) => k !== theirs[i])) return false;
  const ca = a.clientAddress;
  const cb = b.clientAddress;
  if (ca === null || cb === null) return ca === cb;
  return ca.host === cb.host && ca.port === cb.port;
}

function delimitHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Java String.split for a literal one-character separator: trailing empty strings removed. */
export function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '' && s.length > 0) return [];
  return parts;
}

/** ZooKeeper's host[:port...] splitter, aware of bracketed IPv6 literals. */
function hostAndPort(s: string, fail: (c: 'BAD_SERVER_SPEC', d: string) => never): string[] {
  if (!s.startsWith('[')) return javaSplit(s, ':');
  const close = s.indexOf(']');
  if (close < 0) return fail('BAD_SERVER_SPEC', `expected ']' closing the IPv6 literal, got ${show(s)}`);
  if (close + 2 === s.length) return fail('BAD_SERVER_SPEC', `expected a port after ']:', got ${show(s)}`);
  if (close + 2 < s.length) {
    if (s[close + 1] !== ':') return fail('BAD_SERVER_SPEC', `expected ':' after ']', got ${show(s)}`);
    return [s.slice(1, close), ...javaSplit(s.slice(close + 2), ':')];
  }
  return [s.replace(/[[\]]/g, '')];
}

function parsePort(
  text: string,
  host: string,
  fail: (c: 'BAD_PORT' | 'PORT_OUT_OF_RANGE', d: string) => never,
): number {
  if (!/^[+-]?\d{1,10}$/.test(text)) {
    return fail('BAD_PORT', `expected a decimal port for ${host}, got ${show(text)}`);
  }
  const port = Number(text);
  if (port < 0 || port > 65535) return fail('PORT_OUT_OF_RANGE', `expected a port in 0..65535, got ${text}`);
  return port;
}

/**
 * The host string Java's InetSocketAddress reports: IPv6 literals in full, uncompressed,
 * lowercase form (an IPv4-mapped one becomes the IPv4 literal); everything else verbatim.
 */
export function javaHostString(host: string): string {
  if (!host.includes(':')) return host;
  const pct = host.indexOf('%');
  const addr = pct >= 0 ? host.slice(0, pct) : host;
  const scope = pct >= 0 ? host.slice(pct) : '';
  const groups = expandIpv6(addr);
  if (groups === null) return host;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff && scope === '') {
    const [a, b] = [groups[6] as number, groups[7] as number];
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return groups.map((g) => g.toString(16)).join(':') + scope;
}

function expandIpv6(s: string): number[] | null {
  let text = s;
  // An embedded dotted quad (::ffff:1.2.3.4) becomes two hex groups first.
  const v4 = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const o = v4.slice(2, 6).map(Number) as [number, number, number, number];
    if (o.some((x) => x > 255)) return null;
    text = `${v4[1]}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] as string);
  const rest = halves.length === 2 ? parse(halves[1] as string) : [];
  if (head === null || rest === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const fill = 8 - head.length - rest.length;
  if (fill < 1) return null;
  return [...head, ...new Array<number>(fill).fill(0), ...rest];
}
