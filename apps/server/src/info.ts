// Static facts about this server (from zoo.cfg and myid) that the admin API, four-letter words
// and metrics report next to the peer's live status.

export interface HostPortView {
  readonly host: string;
  readonly port: number;
}

/** One member as @zkvote/quorum's QuorumServer describes it (structurally). */
export interface MemberView {
  readonly sid: bigint;
  readonly addresses: ReadonlyArray<{ readonly host: string; readonly quorumPort: number; readonly electionPort: number }>;
  readonly type: 'participant' | 'observer';
  readonly clientAddress: HostPortView | null;
}

/** The parts of a QuorumVerifier the observers read. */
export interface MembershipView {
  readonly version: bigint;
  readonly members: ReadonlyMap<bigint, MemberView>;
  readonly votingMembers: ReadonlyMap<bigint, MemberView>;
  readonly observingMembers: ReadonlyMap<bigint, MemberView>;
  toString(): string;
}

export interface ServerInfo {
  /** zkvote-server's version, e.g. 0.1.0. */
  readonly version: string;
  readonly sid: bigint;
  readonly dataDir: string;
  readonly tickTime: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly minSessionTimeout: number;
  readonly maxSessionTimeout: number;
  readonly maxClientCnxns: number;
  /** clientPortAddress:clientPort, or null without a clientPort. */
  readonly clientAddress: HostPortView | null;
  readonly membership: MembershipView;
  /** 4lw.commands.whitelist: '*' or the listed words. */
  readonly fourLetterWhitelist: ReadonlySet<string> | '*';
  /** Sids taken to be zkvote peers (zkvote.peers); null = every server. */
  readonly zkvotePeers: ReadonlySet<bigint> | null;
}

export const SERVER_VERSION = '0.1.0';

/** The version text 4lw/admin print where ZooKeeper prints its own build. */
export function versionText(info: ServerInfo): string {
  return `${info.version}-zkvote, built on zkvote-server (ZooKeeper 3.5-3.9 election protocol)`;
}

export function formatHostPort(h: HostPortView): string {
  return h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`;
}
