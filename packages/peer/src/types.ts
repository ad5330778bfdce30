// The peer's public vocabulary: options, states, and the typed events embedders subscribe to.

import type { CnxTlsOptions, PeerInfo } from '@zkvote/cnxmanager';
import type { DecisionPath, DriverStats, ProposalReason, Vote } from '@zkvote/election';
import type { QuorumVerifier } from '@zkvote/quorum';
import type { Clock, Logger } from './clock.js';
import type { LearnerView } from './epoch/leader.js';

export type PeerState = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

export interface ListenAddress {
  host: string;
  /** 0 picks a free port; read the real one from `peer.electionAddress` / `peer.quorumAddress`. */
  port: number;
}

export interface PeerOptions {
  /** Our sid; read from `dataDir/myid` when omitted. */
  myid?: bigint;
  /** The committed configuration (server.N lines); must contain `myid`. */
  verifier: QuorumVerifier;
  /** Where `acceptedEpoch` and `currentEpoch` live (and `myid`, when not given). */
  dataDir: string;
  /** Election port to bind; default our server.N entry's first address and election port. */
  electionAddress?: ListenAddress;
  /** Quorum port to bind; default our server.N entry's first address and quorum port. */
  quorumAddress?: ListenAddress;
  /** ms per tick (zoo.cfg tickTime); default 2000. */
  tickTime?: number;
  /** Ticks a leader has to gather and establish a quorum; default 10. */
  initLimit?: number;
  /** Ticks of silence after which a leader or follower gives up; default 5. */
  syncLimit?: number;
  /** Decide without finalizeWait when every connected voter agrees; default true. */
  fastDecision?: boolean;
  /**
   * zoo.cfg `reconfigEnabled`; default false. A newer, different config heard while LOOKING
   * always restarts the election (PROTOCOL.md 3.6); only with reconfig on is it adopted.
   */
  reconfigEnabled?: boolean;
  /** Sids that run zkvote (zoo.cfg `zkvote.peers`); absent means every server does. */
  zkvotePeers?: ReadonlySet<bigint>;
  /** ZooKeeper's multiAddress.enabled: v2 handshake, several addresses per server. */
  multiAddress?: boolean;
  /** Mutual TLS on both ports (sslQuorum). */
  tls?: CnxTlsOptions;
  /** Initial last zxid (default 0; zkvote keeps no data tree). See `setZxid`. */
  lastZxid?: bigint;
  clock?: Clock;
  logger?: Logger;
  /** Upper bound of an observer's random wait before re-electing (zookeeper.observer.election.DelayMs); default 200. */
  observerElectionDelayMs?: number;
  /** Randomness for that wait, in [0, 1); default Math.random. */
  random?: () => number;
  election?: {
    minNotificationIntervalMs?: number;
    maxNotificationIntervalMs?: number;
    finalizeWaitMs?: number;
  };
}

export interface StateChange {
  state: PeerState;
  leader: bigint | null;
  epoch: bigint | null;
  round: bigint;
}

export interface LeaderChange {
  leader: bigint | null;
  previous: bigint | null;
  epoch: bigint | null;
  /** False when the leader is a ZooKeeper server (mixed ensemble): no epoch is known then. */
  zkvote: boolean;
}

export type Role = 'leader' | 'follower' | 'observer';

/** A typed stream of what the election and the epoch protocol do, for logs and live views. */
export type PeerElectionEvent =
  | { type: 'looking'; at: number; round: bigint; reason: string }
  | { type: 'proposal'; at: number; round: bigint; vote: Vote; reason: ProposalReason; from?: bigint }
  | { type: 'round'; at: number; from: bigint; to: bigint }
  | {
      type: 'vote-received';
      at: number;
      sid: bigint;
      state: PeerState | number;
      leader: bigint;
      zxid: bigint;
      electionEpoch: bigint;
      peerEpoch: bigint;
    }
  | { type: 'notification-timeout'; at: number; resent: boolean; nextIntervalMs: number }
  | {
      type: 'decided';
      at: number;
      state: PeerState;
      leader: bigint;
      round: bigint;
      zxid: bigint;
      peerEpoch: bigint;
      durationMs: number;
      fast: boolean;
      path: DecisionPath;
      voters: readonly bigint[];
    }
  | { type: 'established'; at: number; role: Role; leader: bigint; epoch: bigint }
  | { type: 'step-down'; at: number; role: Role; leader: bigint; reason: string };

export interface PeerEvents {
  state: [StateChange];
  leader: [LeaderChange];
  electionEvent: [PeerElectionEvent];
}

/** The view behind the admin API's /commands/election. */
export interface ElectionInfo {
  myid: bigint;
  state: PeerState;
  round: bigint;
  leader: bigint | null;
  epoch: bigint | null;
  acceptedEpoch: bigint;
  currentEpoch: bigint;
  lastZxid: bigint;
  proposal: Vote | null;
  currentVote: Vote | null;
  recvset: Array<{ sid: bigint; vote: Vote }>;
  outofelection: Array<{ sid: bigint; vote: Vote }>;
  connections: PeerInfo[];
  /** ms from LOOKING to the last decision, null before the first one. */
  lastElectionDurationMs: number | null;
  /** Notifications received, dropped as malformed, and sent. */
  messages: DriverStats;
  /** What the after-election session is doing. */
  session:
    | { kind: 'none' }
    | { kind: 'leader'; phase: string; proposedEpoch: bigint | null; learners: LearnerView[] }
    | { kind: 'follower'; phase: string; leader: bigint; lastHeard: number | null }
    | { kind: 'passive'; leader: bigint; lastConfirmed: number | null; reportingNewElection: bigint[] };
  zkvotePeers: bigint[] | null;
}
