// The Fast Leader Election state machine (PROTOCOL.md 4): ZooKeeper's receiver thread (4.5) and
// lookForLeader loop (4.6) folded into one pure step per input. Inputs in, actions out; no I/O,
// no clock, no randomness. Timers are named; arming one replaces the previous one of that name.

import { isKnownState, ServerState } from '@zkvote/wire';
import type { QuorumVerifier } from '@zkvote/quorum';
import { ConfigWatch, defaultParseConfig } from './config-watch.js';
import { ElectionError } from '../errors.js';
import { AgreeingVotes, tally, trackedVerifiers, type Tally } from './tally.js';
import {
  DEFAULT_FINALIZE_WAIT_MS,
  DEFAULT_HELD_VOTE_WINDOW_MS,
  DEFAULT_MAX_NOTIFICATION_INTERVAL_MS,
  DEFAULT_MIN_NOTIFICATION_INTERVAL_MS,
  LONG_MIN,
  type Action,
  type DecisionPath,
  type ElectionEvent,
  type ElectionNotification,
  type ElectionOptions,
  type ElectionSnapshot,
  type IgnoreReason,
  type LearnerType,
  type StartLookingInput,
  type TimerName,
  type Vote,
} from './types.js';
import { isBetter, makeVote, votesEqual, type Candidate } from './vote.js';

/** The version every 3.5+ server writes; ours too. */
const NOTIFICATION_VERSION = 2;

export class FastLeaderElection {
  readonly myid: bigint;
  readonly learnerType: LearnerType;
  readonly verifier: QuorumVerifier;
  readonly lastSeenVerifier: QuorumVerifier | null;
  readonly fastDecision: boolean;
  readonly #minInterval: number;
  readonly #maxInterval: number;
  readonly #finalizeWait: number;
  readonly #configBytes: Uint8Array;
  readonly #configWatch: ConfigWatch | null;
  /** Current ∪ last-seen voting members: ZooKeeper's "valid voters". */
  readonly #voters: ReadonlySet<bigint>;
  readonly #sortedVoters: readonly bigint[];
  readonly #tracked: QuorumVerifier[];

  #state: ServerState = ServerState.LOOKING;
  #logicalclock = 0n;
  #proposed: Candidate | null = null;
  #init: Candidate = { leader: LONG_MIN, zxid: LONG_MIN, peerEpoch: LONG_MIN };
  #currentVote: Vote | null = null;
  #started = false;
  #looking = false;
  #stopped = false;
  #recvset = new Map<bigint, Vote>();
  /** Which votes in #recvset equal our proposal; every write to #recvset goes through #store. */
  readonly #agreeing = new AgreeingVotes();
  #outofelection = new Map<bigint, Vote>();
  #notTimeout: number;
  #finalizing: Tally | null = null;
  readonly #armed = new Set<TimerName>();
  readonly #connected = new Set<bigint>();
  /** Sids whose election connection has been up at least once (fast decision). */
  readonly #everUp = new Set<bigint>();
  /** Voters fast decision may skip in this lookForLeader: seen leaving, not back (see #fastReady). */
  readonly #absent = new Set<bigint>();
  /** The leader of the previous decision (not myself), whose loss is what usually starts this election. */
  #previousLeader: bigint | null = null;
  /**
   * Fast mode: voters that provably did not take our latest broadcast. Since we last sent our
   * proposal to everyone they answered us FOLLOWING/LEADING, or LOOKING in an older round.
   * Emptied by every broadcast; a voter leaves it once answered (see #answerWorseVote).
   */
  readonly #missed = new Set<bigint>();
  /**
   * Fast mode: the latest LOOKING notification of each voter that reached us while we were
   * decided, of a round newer than ours, with when it came. Replayed when we start looking if
   * still recent (see #replayHeld).
   */
  readonly #held = new Map<bigint, { n: ElectionNotification; at: number }>();
  readonly #heldWindow: number;

  constructor(opts: ElectionOptions) {
    this.myid = opts.myid;
    this.learnerType = opts.learnerType ?? 'participant';
    this.verifier = opts.verifier;
    this.lastSeenVerifier = opts.lastSeenVerifier ?? null;
    this.fastDecision = opts.fastDecision ?? true;
    this.#minInterval = positive('minNotificationIntervalMs', opts.minNotificationIntervalMs ?? DEFAULT_MIN_NOTIFICATION_INTERVAL_MS);
    this.#maxInterval = positive('maxNotificationIntervalMs', opts.maxNotificationIntervalMs ?? DEFAULT_MAX_NOTIFICATION_INTERVAL_MS);
    this.#finalizeWait = positive('finalizeWaitMs', opts.finalizeWaitMs ?? DEFAULT_FINALIZE_WAIT_MS);
    this.#heldWindow = nonNegative('heldVoteWindowMs', opts.heldVoteWindowMs ?? DEFAULT_HELD_VOTE_WINDOW_MS);
    this.#notTimeout = this.#minInterval;
    this.#configBytes = opts.configBytes ?? new TextEncoder().encode(this.verifier.toString());
    this.#configWatch = opts.parseConfig === false ? null : new ConfigWatch(this.verifier, this.#configBytes, opts.parseConfig ?? defaultParseConfig);
    const voters = new Set(this.verifier.votingMembers.keys());
    for (const sid of this.lastSeenVerifier?.votingMembers.keys() ?? []) voters.add(sid);
    this.#voters = voters;
    this.#sortedVoters = [...voters].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.#tracked = trackedVerifiers(this.verifier, this.lastSeenVerifier);
  }

  get state(): ServerState {
    return this.#state;
  }
  get logicalclock(): bigint {
    return this.#logicalclock;
  }
  /** The live proposal as a LOOKING vote of the current round (null before the first election). */
  get proposal(): Vote | null {
    const p = this.#proposed;
    return p === null ? null : makeVote(p.leader, p.zxid, this.#logicalclock, p.peerEpoch);
  }
  /** QuorumPeer's currentVote: what this server answers LOOKING peers with once decided. */
  get currentVote(): Vote | null {
    return this.#currentVote;
  }
  /** True between startLooking() and the decision. */
  get looking(): boolean {
    return this.#looking;
  }
  get stopped(): boolean {
    return this.#stopped;
  }
  isVoter(sid: bigint): boolean {
    return this.#voters.has(sid);
  }

  /** lookForLeader() begins: round + 1, the initial vote, notifications to every voter. */
  startLooking(input: StartLookingInput): Action[] {
    if (this.#stopped) throw new ElectionError('STOPPED', 'expected a running election, got startLooking() after stop()');
    if (this.#looking) throw new ElectionError('ALREADY_LOOKING', `expected a decided election, got startLooking() while round ${this.#logicalclock} is running`);
    const participant = this.learnerType === 'participant';
    // The election object is created once per peer life; that is when currentVote is first set.
    this.#currentVote ??= makeVote(this.myid, input.lastZxid, -1n, input.currentEpoch);
    this.#previousLeader = this.#currentVote.leader === this.myid ? null : this.#currentVote.leader;
    this.#absent.clear();
    for (const sid of this.#everUp) if (!this.#connected.has(sid)) this.#absent.add(sid);
    this.#started = true;
    this.#looking = true;
    this.#state = ServerState.LOOKING;
    this.#recvset = new Map();
    this.#agreeing.cleared();
    this.#outofelection = new Map();
    this.#notTimeout = this.#minInterval;
    this.#finalizing = null;
    this.#init = {
      leader: this.verifier.votingMembers.has(this.myid) ? this.myid : LONG_MIN,
      zxid: participant ? input.lastZxid : LONG_MIN,
      peerEpoch: participant ? input.currentEpoch : LONG_MIN,
    };
    const out: Action[] = [];
    this.#setRound(this.#logicalclock + 1n, out);
    this.#propose(this.#init, 'initial', undefined, out);
    this.#sendNotifications(out);
    this.#setTimer('notification', this.#notTimeout, out);
    this.#replayHeld(input.now, out);
    return out;
  }

  /**
   * One notification from `sid` (the connection's sid, never a field of the message). `now` is
   * the caller's clock; without it the notification cannot be held for the next election.
   */
  receive(sid: bigint, n: ElectionNotification, now?: number): Action[] {
    const out: Action[] = [];
    if (this.#stopped) return this.#ignore(sid, 'stopped', out);
    if (!this.#started) return this.#ignore(sid, 'not-started', out);
    if (this.#state === ServerState.LOOKING && this.#newerConfig(sid, n, out)) return out;

    if (!this.#voters.has(sid)) {
      // Observers and strangers get our decided vote, our round and our state, never a place in the election.
      const cv = this.#currentVote;
      if (cv !== null) {
        this.#send(sid, this.#state, cv.leader, cv.zxid, this.#logicalclock, cv.peerEpoch, out);
        this.#emit({ kind: 'replied', to: sid, reason: 'non-voter' }, out);
      }
      return out;
    }
    if (!isKnownState(n.state)) return this.#ignore(sid, 'unknown-state', out);
    this.#emit({ kind: 'received', sid, notification: n }, out);

    if (this.#state === ServerState.LOOKING) {
      if (this.#looking && sid !== this.myid && (n.state !== ServerState.LOOKING || n.electionEpoch < this.#logicalclock)) {
        this.#missed.add(sid);
      }
      if (n.state === ServerState.LOOKING && n.electionEpoch < this.#logicalclock) {
        const p = this.#proposed ?? this.#init;
        this.#send(sid, ServerState.LOOKING, p.leader, p.zxid, this.#logicalclock, p.peerEpoch, out);
        this.#emit({ kind: 'replied', to: sid, reason: 'stale-round' }, out);
      }
      this.#poll(sid, n, out);
      return out;
    }
    if (n.state === ServerState.LOOKING) {
      const cv = this.#currentVote;
      if (cv !== null) {
        this.#send(sid, this.#state, cv.leader, cv.zxid, cv.electionEpoch, cv.peerEpoch, out);
        this.#emit({ kind: 'replied', to: sid, reason: 'not-looking' }, out);
      }
      if (this.fastDecision && this.#heldWindow > 0 && now !== undefined && sid !== this.myid && n.electionEpoch > this.#logicalclock) {
        this.#held.set(sid, { n, at: now });
      }
      return out;
    }
    return this.#ignore(sid, 'not-looking', out);
  }

  timerFired(timer: TimerName, ctx: { someQueueEmpty: boolean }): Action[] {
    const out: Action[] = [];
    if (!this.#armed.delete(timer) || !this.#looking) return out;
    if (timer === 'finalize') {
      const t = this.#finalizing;
      if (t !== null) this.#decideProposal(t, false, out);
      return out;
    }
    if (this.#finalizing !== null) return out;
    // Upstream's haveDelivered(): some send queue drained, so the network is moving; resend.
    if (ctx.someQueueEmpty) this.#sendNotifications(out);
    else out.push({ type: 'connectAll' });
    this.#notTimeout = Math.min(this.#notTimeout * 2, this.#maxInterval);
    this.#emit({ kind: 'timeout', resent: ctx.someQueueEmpty, nextIntervalMs: this.#notTimeout }, out);
    this.#setTimer('notification', this.#notTimeout, out);
    return out;
  }

  connectionUp(sid: bigint): Action[] {
    this.#connected.add(sid);
    this.#everUp.add(sid);
    this.#absent.delete(sid);
    return [];
  }

  /**
   * A connection went away. Fast decision stops waiting for that voter only if the loss is
   * trustworthy: it happened before this election began, or it is the leader we last followed.
   * Any other drop during the election may be the connection manager's tie-break replacing a
   * connection (both sides dialled at once), so that voter is still waited for (finalizeWait).
   */
  connectionDown(sid: bigint): Action[] {
    const out: Action[] = [];
    if (!this.#connected.delete(sid)) return out;
    if (!this.#looking || sid === this.#previousLeader) this.#absent.add(sid);
    const t = this.#finalizing;
    if (this.fastDecision && t !== null && this.#looking && this.#fastReady()) this.#decideProposal(t, true, out);
    return out;
  }

  /** updateElectionVote: the synchronised epoch replaces currentVote's peerEpoch. */
  updatePeerEpoch(epoch: bigint): void {
    const cv = this.#currentVote;
    if (cv !== null) this.#currentVote = makeVote(cv.leader, cv.zxid, cv.electionEpoch, epoch, cv.state);
  }

  /** Shut the election down: timers cancelled, every later input ignored. */
  stop(): Action[] {
    const out: Action[] = [];
    if (this.#stopped) return out;
    this.#stopped = true;
    this.#looking = false;
    this.#held.clear();
    this.#finalizing = null;
    if (this.#proposed !== null) this.#proposed = { leader: -1n, zxid: -1n, peerEpoch: this.#proposed.peerEpoch };
    for (const timer of [...this.#armed]) this.#cancelTimer(timer, out);
    return out;
  }

  snapshot(): ElectionSnapshot {
    return {
      state: this.#state,
      logicalclock: this.#logicalclock,
      proposal: this.proposal,
      currentVote: this.#currentVote,
      recvset: new Map(this.#recvset),
      outofelection: new Map(this.#outofelection),
      notificationIntervalMs: this.#notTimeout,
      finalizing: this.#finalizing !== null,
      looking: this.#looking,
      stopped: this.#stopped,
      connected: [...this.#connected].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    };
  }

  // --- lookForLeader, one polled notification at a time -------------------------------------

  #poll(sid: bigint, n: ElectionNotification, out: Action[]): void {
    if (!this.#looking) return;
    const t = this.#finalizing;
    if (t !== null) {
      if (!this.#better(n, this.#proposal())) {
        // Upstream throws the notification away; fast decision still learns from an agreeing vote.
        this.#emit({ kind: 'finalize-discarded', sid, notification: n }, out);
        if (this.fastDecision && this.#recordAgreeingVote(sid, n) && this.#fastReady()) {
          this.#decideProposal(t, true, out);
          return;
        }
        this.#answerWorseVote(sid, n, out);
        this.#setTimer('finalize', this.#finalizeWait, out);
        return;
      }
      this.#finalizing = null;
      this.#cancelTimer('finalize', out);
      this.#emit({ kind: 'finalize-resumed', sid, notification: n }, out);
    }
    this.#handle(sid, n, out);
    if (this.#looking && this.#finalizing === null) this.#setTimer('notification', this.#notTimeout, out);
  }

  #handle(sid: bigint, n: ElectionNotification, out: Action[]): void {
    if (!this.#voters.has(n.leader)) {
      this.#ignore(sid, 'non-voter', out);
      return;
    }
    switch (n.state) {
      case ServerState.LOOKING:
        this.#handleLooking(sid, n, out);
        return;
      case ServerState.FOLLOWING:
      case ServerState.LEADING:
        this.#handleFollowingOrLeading(sid, n, out);
        return;
      default:
        this.#ignore(sid, 'observing', out);
    }
  }

  #handleLooking(sid: bigint, n: ElectionNotification, out: Action[]): void {
    if (this.#init.zxid === -1n) return void this.#ignore(sid, 'own-zxid-minus-one', out);
    if (n.zxid === -1n) return void this.#ignore(sid, 'zxid-minus-one', out);
    if (n.electionEpoch > this.#logicalclock) {
      this.#setRound(n.electionEpoch, out);
      this.#recvset.clear();
      this.#agreeing.cleared();
      // Entering a newer round: weigh the sender against where we started, not where we got to.
      if (this.#better(n, this.#init)) this.#propose(n, 'higher-round', sid, out);
      else this.#propose(this.#init, 'higher-round', undefined, out);
      this.#sendNotifications(out);
    } else if (n.electionEpoch < this.#logicalclock) {
      return void this.#ignore(sid, 'stale-round', out);
    } else if (this.#better(n, this.#proposal())) {
      this.#propose(n, 'better-vote', sid, out);
      this.#sendNotifications(out);
    } else {
      this.#answerWorseVote(sid, n, out);
    }
    this.#store(sid, makeVote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch));

    const target = this.proposal as Vote;
    const t = this.#agreeing.tally(this.#tracked, this.#recvset, target);
    if (!t.hasAllQuorums) return;
    const fast = this.fastDecision && this.#fastReady();
    this.#emit({ kind: 'quorum', vote: target, voters: t.voters, fast }, out);
    if (fast) return void this.#decideProposal(t, true, out);
    this.#finalizing = t;
    this.#cancelTimer('notification', out);
    this.#setTimer('finalize', this.#finalizeWait, out);
  }

  #handleFollowingOrLeading(sid: bigint, n: ElectionNotification, out: Action[]): void {
    const state = n.state as ServerState;
    const target = makeVote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch, state, n.version);
    if (n.electionEpoch === this.#logicalclock) {
      // Stored without the message version, so a 3.5+ sender's target matches on leader alone.
      this.#store(sid, makeVote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch, state));
      const t = tally(this.#tracked, this.#recvset, target);
      if (t.hasAllQuorums && this.#checkLeader(this.#recvset, n.leader, n.electionEpoch)) {
        return void this.#decide(n, n.electionEpoch, 'recvset', t.voters, false, out);
      }
    }
    this.#outofelection.set(sid, target);
    const t = tally(this.#tracked, this.#outofelection, target);
    if (t.hasAllQuorums && this.#checkLeader(this.#outofelection, n.leader, n.electionEpoch)) {
      this.#setRound(n.electionEpoch, out);
      this.#decide(n, n.electionEpoch, 'outofelection', t.voters, false, out);
    }
  }

  /** Someone else must have told us it leads; we only lead on reports from our current round. */
  #checkLeader(votes: ReadonlyMap<bigint, Vote>, leader: bigint, round: bigint): boolean {
    if (leader !== this.myid) return votes.get(leader)?.state === ServerState.LEADING;
    return this.#logicalclock === round;
  }

  /**
   * Fast decision (on top of the quorum): every voter we heard from in this round, ourselves
   * included, reported exactly our proposal, and every voter we did not hear from is known to be
   * gone: its connection was up once, went down before this election began (or it is the leader
   * we last followed and it dropped since), and has not come back. A voter that never connected,
   * or that dropped during this election, may still be on its way: we wait finalizeWait for it.
   */
  #fastReady(): boolean {
    const target = this.proposal;
    if (target === null) return false;
    for (const sid of this.#sortedVoters) {
      const v = this.#recvset.get(sid);
      if (v !== undefined) {
        if (!votesEqual(target, v)) return false;
      } else if (sid === this.myid || this.#connected.has(sid) || !this.#absent.has(sid)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Fast mode only: a voter in our round is LOOKING with a vote strictly worse than our proposal,
   * and it showed since our last broadcast that it did not take that broadcast (#missed): it
   * answered FOLLOWING/LEADING, or LOOKING in an older round. ZooKeeper stays silent (the sender
   * hears us on our next timeout, and its resends keep re-arming ours). We send it our proposal:
   * the very message our next resend would carry, just sooner. A vote that merely crossed our
   * broadcast gets nothing (the broadcast is on its way). At most one answer per broadcast, and
   * each needs our proposal strictly better than the vote it answers, so answers cannot ping-pong.
   */
  #answerWorseVote(sid: bigint, n: ElectionNotification, out: Action[]): void {
    if (!this.fastDecision || sid === this.myid || n.state !== ServerState.LOOKING || !this.#missed.has(sid)) return;
    if (n.electionEpoch !== this.#logicalclock || n.zxid === -1n || !this.#voters.has(n.leader)) return;
    const p = this.#proposal();
    if (!this.#better(p, n)) return;
    this.#missed.delete(sid);
    this.#send(sid, ServerState.LOOKING, p.leader, p.zxid, this.#logicalclock, p.peerEpoch, out);
    this.#emit({ kind: 'replied', to: sid, reason: 'worse-vote' }, out);
  }

  /** During finalizeWait: keep a same-round LOOKING vote that equals our proposal. */
  #recordAgreeingVote(sid: bigint, n: ElectionNotification): boolean {
    if (n.state !== ServerState.LOOKING || n.electionEpoch !== this.#logicalclock) return false;
    const vote = makeVote(n.leader, n.zxid, n.electionEpoch, n.peerEpoch);
    if (!votesEqual(this.proposal as Vote, vote)) return false;
    this.#store(sid, vote);
    return true;
  }

  #decideProposal(t: Tally, fast: boolean, out: Action[]): void {
    this.#decide(this.#proposal(), this.#logicalclock, 'looking', t.voters, fast, out);
  }

  #decide(c: Candidate, round: bigint, path: DecisionPath, voters: readonly bigint[], fast: boolean, out: Action[]): void {
    const state =
      c.leader === this.myid ? ServerState.LEADING : this.learnerType === 'participant' ? ServerState.FOLLOWING : ServerState.OBSERVING;
    const vote = makeVote(c.leader, c.zxid, round, c.peerEpoch);
    this.#state = state;
    this.#currentVote = vote;
    this.#looking = false;
    this.#finalizing = null;
    for (const timer of [...this.#armed]) this.#cancelTimer(timer, out);
    const decision = { state, vote, fast, path, voters };
    out.push({ type: 'decided', ...decision });
    this.#emit({ kind: 'decided', decision }, out);
  }

  // --- helpers --------------------------------------------------------------------------------

  #store(sid: bigint, vote: Vote): void {
    this.#recvset.set(sid, vote);
    this.#agreeing.stored(sid, vote);
  }

  #proposal(): Candidate {
    return this.#proposed ?? this.#init;
  }

  #better(next: Candidate, cur: Candidate): boolean {
    return isBetter((sid) => this.verifier.weight(sid), next, cur);
  }

  #propose(c: Candidate, reason: 'initial' | 'higher-round' | 'better-vote', from: bigint | undefined, out: Action[]): void {
    this.#proposed = { leader: c.leader, zxid: c.zxid, peerEpoch: c.peerEpoch };
    const vote = this.proposal as Vote;
    this.#emit(from === undefined ? { kind: 'proposal', reason, vote } : { kind: 'proposal', reason, vote, from }, out);
  }

  #setRound(round: bigint, out: Action[]): void {
    if (round === this.#logicalclock) return;
    this.#emit({ kind: 'round', from: this.#logicalclock, to: round }, out);
    this.#logicalclock = round;
  }

  #sendNotifications(out: Action[]): void {
    const p = this.#proposal();
    this.#missed.clear();
    for (const to of this.#sortedVoters) {
      this.#send(to, ServerState.LOOKING, p.leader, p.zxid, this.#logicalclock, p.peerEpoch, out);
    }
  }

  #send(to: bigint, state: ServerState, leader: bigint, zxid: bigint, electionEpoch: bigint, peerEpoch: bigint, out: Action[]): void {
    const notification = { state, leader, zxid, electionEpoch, peerEpoch, version: NOTIFICATION_VERSION, config: this.#configBytes };
    out.push({ type: 'send', to, notification });
  }

  #setTimer(timer: TimerName, delayMs: number, out: Action[]): void {
    this.#armed.add(timer);
    out.push({ type: 'setTimer', timer, delayMs });
  }

  #cancelTimer(timer: TimerName, out: Action[]): void {
    if (this.#armed.delete(timer)) out.push({ type: 'cancelTimer', timer });
  }

  #ignore(sid: bigint, reason: IgnoreReason, out: Action[]): Action[] {
    this.#emit({ kind: 'ignored', sid, reason }, out);
    return out;
  }

  /**
   * Fast mode: a voter that saw the leader die before we did starts the next election and sends
   * us its vote while we still follow. ZooKeeper answers and forgets it, so that vote reaches
   * our own election only on the sender's resend timer or as its answer to our broadcast, a
   * round trip or more after we start looking. A vote that came at most heldVoteWindowMs ago
   * is handed to the new election as if it had just arrived: exactly what a network delay of
   * that length would have done, which ZooKeeper's election must (and does) tolerate. The
   * window keeps it to that: an older vote may no longer be what its sender would say (it may
   * have synced newer transactions since). Only the newest vote per voter, of a round newer than
   * the one we decided in, is kept; all are replayed once, after our own first broadcast, and
   * only for voters still connected.
   */
  #replayHeld(now: number | undefined, out: Action[]): void {
    if (this.#held.size === 0) return;
    const held = [...this.#held];
    this.#held.clear();
    if (now === undefined) return;
    for (const [sid, { n, at }] of held) {
      if (!this.#looking) return;
      const age = now - at;
      // Too old, from a clock that stepped back, or from a voter whose connection is gone (it
      // may have crashed right after sending: a dead voter's vote must not win a fast decision).
      if (age < 0 || age > this.#heldWindow || !this.#connected.has(sid)) continue;
      this.#emit({ kind: 'replayed', sid, notification: n, ageMs: age }, out);
      out.push(...this.receive(sid, n, now));
    }
  }

  #emit(event: ElectionEvent, out: Action[]): void {
    out.push({ type: 'event', event });
  }

  /**
   * PROTOCOL.md 3.6: a LOOKING server that hears a strictly newer, different configuration
   * shuts its election down so the peer can restart it. Unparsable configs are ignored.
   */
  #newerConfig(sid: bigint, n: ElectionNotification, out: Action[]): boolean {
    const rqv = this.#configWatch?.newer(n.config, n.version) ?? null;
    if (rqv === null) return false;
    out.push(...this.stop());
    out.push({ type: 'restart', from: sid, verifier: rqv });
    return true;
  }
}

function nonNegative(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new ElectionError('BAD_OPTION', `expected ${name} to be 0 or a positive number of ms, got ${v}`);
  return v;
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new ElectionError('BAD_OPTION', `expected ${name} to be a positive number of ms, got ${v}`);
  return v;
}
