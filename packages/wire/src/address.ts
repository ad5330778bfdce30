// Election addresses as carried in the handshake (PROTOCOL.md §1.2-§1.3): `host:port` or
// `[ipv6]:port` items joined by `|`. Parsing is as lenient as ZooKeeper about host names but
// rejects every item ZooKeeper would reject (and ports it would crash on); formatting is strict.

import { WireError } from './errors.js';

export interface HostPort {
  /** Host name or IP literal; IPv6 literals without brackets. */
  host: string;
  port: number;
}

const MAX_PORT = 65535;

/** Parses one `host:port` or `[v6]:port` item. */
export function parseHostPort(item: string): HostPort {
  let host: string;
  let portText: string;
  if (item.startsWith('[')) {
    const close = item.indexOf(']');
    if (close < 0 || item[close + 1] !== ':') {
      throw new WireError('BAD_ADDRESS', `expected '[ipv6]:port', got ${quote(item)}`);
    }
    host = item.slice(1, close);
    portText = item.slice(close + 2);
    if (portText.includes(':')) {
      throw new WireError('BAD_ADDRESS', `expected a single ':' after ']', got ${quote(item)}`);
    }
  } else {
    const parts = item.split(':');
    if (parts.length !== 2) {
      throw new WireError('BAD_ADDRESS', `expected 'host:port' (exactly one ':'), got ${quote(item)}`);
    }
    host = parts[0]!;
    portText = parts[1]!;
  }
  if (host.length === 0) throw new WireError('BAD_ADDRESS', `expected a non-empty host, got ${quote(item)}`);
  return { host, port: parsePort(portText, item) };
}

function parsePort(text: string, item: string): number {
  if (!/^[0-9]{1,10}$/.test(text)) {
    throw new WireError('BAD_PORT', `expected a numeric port in ${quote(item)}, got ${quote(text)}`);
  }
  const port = Number(text);
  if (port > MAX_PORT) {
    throw new WireError('BAD_PORT', `expected a port within 0..${MAX_PORT} in ${quote(item)}, got ${port}`);
  }
  return port;
}

/** Parses a `|`-separated address list; every item must be well formed (wildcards are kept). */
export function parseAddressList(text: string): HostPort[] {
  return text.split('|').map(parseHostPort);
}

/** True for the any-local addresses a receiver ignores: 0.0.0.0, ::, 0:0:0:0:0:0:0:0 (bracketed or not). */
export function isWildcardHost(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h === '0.0.0.0') return true;
  return h.includes(':') && /^[0:]+$/.test(h) && isIpv6Literal(h);
}

function isIpv6Literal(host: string): boolean {
  const bare = host.split('%')[0]!;
  if (!/^[0-9A-Fa-f:.]+$/.test(bare)) return false;
  const halves = bare.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const all = halves.flatMap(groups);
  const last = all[all.length - 1];
  const embedsV4 = last !== undefined && last.includes('.');
  const width = all.length + (embedsV4 ? 1 : 0);
  const groupOk = (g: string, i: number) =>
    embedsV4 && i === all.length - 1 ? /^\d{1,3}(\.\d{1,3}){3}$/.test(g) : /^[0-9A-Fa-f]{1,4}$/.test(g);
  if (!all.every(groupOk)) return false;
  return halves.length === 2 ? width <= 7 : width === 8;
}

const HOSTNAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/;

/**
 * Formats one item for sending; throws on anything a receiver could reject or misread
 * (empty or odd host characters, non-integer ports, ports outside 0..65535).
 */
export function formatHostPort(hp: HostPort): string {
  if (typeof hp !== 'object' || hp === null) {
    throw new WireError('BAD_INPUT', `expected { host, port }, got ${hp === null ? 'null' : typeof hp}`);
  }
  const { host, port } = hp;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > MAX_PORT) {
    throw new WireError('BAD_PORT', `expected an integer port within 0..${MAX_PORT}, got ${String(port)}`);
  }
  if (typeof host !== 'string' || host.length === 0) {
    throw new WireError('BAD_ADDRESS', `expected a non-empty host string, got ${quote(String(host))}`);
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.includes(':')) {
    if (!isIpv6Literal(bare)) throw new WireError('BAD_ADDRESS', `expected an IPv6 literal, got ${quote(host)}`);
    return `[${bare}]:${port}`;
  }
  if (!HOSTNAME.test(bare)) {
    throw new WireError('BAD_ADDRESS', `expected a host name or IPv4 literal, got ${quote(host)}`);
  }
  return `${bare}:${port}`;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}
