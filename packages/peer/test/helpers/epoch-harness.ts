// In-process leader and learners of the epoch protocol over real loopback sockets, with one
// manual clock for every timer so timeouts are reached by advancing time, not by waiting.

import { QuorumMaj, type QuorumServer } from '@zkvote/quorum';
import type { Logger } from '../../src/clock.js';
import { silentLogger } from '../../src/clock.js';
import type { EpochContext, EpochStorage } from '../../src/epoch/context.js';
import { FollowerSession } from '../../src/epoch/follower.js';
import { LeaderSession } from '../../src/epoch/leader.js';
import { QuorumListener } from '../../src/epoch/listener.js';
import type { ResponderStatus } from '../../src/epoch/messages.js';
import { ManualClock } from './manual-clock.js';

export class MemoryEpochs implements EpochStorage {
  writes: string[] = [];
  constructor(
    public acceptedEpoch = 0n,
    public currentEpoch = 0n,
  ) {}
  async setAcceptedEpoch(epoch: bigint): Promise<void> {
    this.writes.push(`accepted=${epoch}`);
    this.acceptedEpoch = epoch;
  }
  async setCurrentEpoch(epoch: bigint): Promise<void> {
    this.writes.push(`current=${epoch}`);
    this.currentEpoch = epoch;
  }
}

export const TICK = 50;

export function server(sid: bigint, quorumPort: number, type: 'participant' | 'observer' = 'participant'): QuorumServer {
  return { sid, addresses: [{ host: '127.0.0.1', quorumPort, electionPort: quorumPort + 1 }], type, clientAddress: null };
}

export function context(
  myid: bigint,
  verifier: QuorumMaj,
  clock: ManualClock,
  store: EpochStorage,
  extra: Partial<EpochContext> = {},
  logger: Logger = silentLogger,
): EpochContext {
  return { myid, verifier, store, lastZxid: () => 0n, clock, logger, tickTime: TICK, initLimit: 10, syncLimit: 5, ...extra };
}

/** A leader (sid `leaderSid`) listening on an ephemeral port, learners built on demand. */
export class EpochHarness {
  readonly clock = new ManualClock();
  listener!: QuorumListener;
  leader!: LeaderSession;
  verifier!: QuorumMaj;
  port = 0;
  leaderSid = 0n;
  readonly followers: FollowerSession[] = [];
  /** What the listener answers with NOT_LEADING while nobody leads; tests change it at will. */
  status: ResponderStatus = { state: 'LOOKING', leader: null, round: 1n };

  async start(
    sids: bigint[],
    leaderSid: bigint,
    leaderStore: EpochStorage,
    options: { observers?: bigint[]; handshakeTimeoutMs?: number; lead?: boolean } = {},
  ): Promise<void> {
    this.listener = new QuorumListener({
      host: '127.0.0.1',
      port: 0,
      clock: this.clock,
      logger: silentLogger,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? TICK * 5,
      status: () => this.status,
    });
    this.port = (await this.listener.listen()).port;
    this.leaderSid = leaderSid;
    const observers = new Set(options.observers ?? []);
    this.verifier = new QuorumMaj(sids.map((s) => server(s, this.port, observers.has(s) ? 'observer' : 'participant')));
    this.leader = new LeaderSession(context(leaderSid, this.verifier, this.clock, leaderStore));
    if (options.lead !== false) this.lead();
  }

  lead(): void {
    this.listener.setHandler((channel, info) => this.leader.addLearner(channel, info));
    this.leader.start();
  }

  follower(
    sid: bigint,
    store: EpochStorage,
    role: 'participant' | 'observer' = 'participant',
    extra: { round?: bigint; lookingGraceMs?: number } = {},
  ): FollowerSession {
    const f = new FollowerSession(context(sid, this.verifier, this.clock, store), {
      leader: this.leaderSid,
      role,
      endpoints: [{ host: '127.0.0.1', port: this.port }],
      ...extra,
    });
    this.followers.push(f);
    return f;
  }

  async close(): Promise<void> {
    for (const f of this.followers) f.stop('test over');
    this.leader?.stop('test over');
    await this.listener?.close();
  }
}
