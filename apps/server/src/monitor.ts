// Turns the peer's "something changed" pings into the facts operators care about: state
// changes, vote changes, elections with their duration, established epochs, and one ordered,
// timestamped event stream that the admin API, metrics and logs all read from.

import { EventEmitter } from 'node:events';
import { sameVote, type ElectionEventView, type PeerSource, type PeerStatus, type StateName, type VoteView } from './status.js';

export interface MonitorClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** One entry of the event stream (`/commands/events`). */
export interface StreamEvent {
  readonly seq: number;
  /** ISO-8601 time the server saw the event. */
  readonly time: string;
  /** The server reporting the event (an election event's own `sid` names the other peer). */
  readonly myid: bigint;
  readonly kind: string;
  readonly [field: string]: unknown;
}

export interface StateChange {
  from: StateName;
  to: StateName;
  status: PeerStatus;
}

export interface Elected {
  state: StateName;
  leader: bigint | null;
  electionMs: number;
  status: PeerStatus;
}

export interface MonitorEvents {
  state: [StateChange];
  vote: [{ vote: VoteView; status: PeerStatus }];
  elected: [Elected];
  epoch: [{ epoch: bigint; status: PeerStatus }];
  stream: [StreamEvent];
}

const RECENT_EVENTS = 256;

/** The vote a peer stands behind: its live proposal while LOOKING, else its decision. */
export function activeVote(s: PeerStatus): VoteView | null {
  return s.state === 'LOOKING' ? s.proposal : s.currentVote;
}

export class PeerMonitor extends EventEmitter<MonitorEvents> {
  readonly startedAt: number;
  /** Times this peer entered LOOKING (ZooKeeper's looking_count). */
  lookingCount = 0;
  /** Elections finished (LOOKING -> another state). */
  electionCount = 0;
  lastElectionMs: number | null = null;
  /** Election durations so far, as ZooKeeper's election_time summary reports them in mntr. */
  readonly electionTime = { count: 0, sum: 0, min: 0, max: 0 };
  electionStartedAt: number | null = null;

  readonly #source: PeerSource;
  readonly #clock: MonitorClock;
  #last: PeerStatus;
  #lastVote: VoteView | null;
  #seq = 0;
  #recent: StreamEvent[] = [];
  readonly #onChange = (): void => this.refresh();
  readonly #onEvent = (e: ElectionEventView): void => {
    this.#publish(e.kind, e);
    this.refresh();
  };

  constructor(source: PeerSource, clock: MonitorClock = { now: () => Date.now() }) {
    super();
    this.#source = source;
    this.#clock = clock;
    this.startedAt = clock.now();
    this.#last = source.status();
    this.#lastVote = activeVote(this.#last);
    if (this.#last.state === 'LOOKING') {
      this.lookingCount = 1;
      this.electionStartedAt = this.startedAt;
    }
    source.on('change', this.#onChange);
    source.on('event', this.#onEvent);
  }

  /** The latest snapshot (re-read from the peer). */
  status(): PeerStatus {
    this.refresh();
    return this.#last;
  }

  uptimeMs(): number {
    return this.#clock.now() - this.startedAt;
  }

  /** How long the current election has been running, or null when not LOOKING. */
  electingForMs(): number | null {
    return this.electionStartedAt === null ? null : Math.max(0, this.#clock.now() - this.electionStartedAt);
  }

  /** The last events, oldest first (at most 256). */
  recent(): readonly StreamEvent[] {
    return this.#recent;
  }

  /** Re-reads the peer's status and emits whatever changed. */
  refresh(): void {
    const prev = this.#last;
    const next = this.#source.status();
    this.#last = next;
    if (next.state !== prev.state) this.#stateChanged(prev, next);
    const vote = activeVote(next);
    if (vote !== null && !sameVote(vote, this.#lastVote)) {
      this.#lastVote = vote;
      this.emit('vote', { vote, status: next });
      this.#publish('vote', { vote, round: next.round });
    } else if (vote === null) {
      this.#lastVote = null;
    }
    if (next.establishedEpoch !== null && next.establishedEpoch !== prev.establishedEpoch) {
      this.emit('epoch', { epoch: next.establishedEpoch, status: next });
      this.#publish('epoch', { epoch: next.establishedEpoch, leader: next.leader, state: next.state });
    }
  }

  detach(): void {
    this.#source.off('change', this.#onChange);
    this.#source.off('event', this.#onEvent);
  }

  #stateChanged(prev: PeerStatus, next: PeerStatus): void {
    const now = this.#clock.now();
    this.emit('state', { from: prev.state, to: next.state, status: next });
    this.#publish('state', { from: prev.state, to: next.state, leader: next.leader, round: next.round });
    if (next.state === 'LOOKING') {
      this.lookingCount++;
      this.electionStartedAt = now;
      return;
    }
    if (prev.state === 'LOOKING') {
      // Prefer the peer's own measure: it started the clock when it began LOOKING.
      const electionMs = next.lastElectionMs ?? Math.max(0, now - (this.electionStartedAt ?? now));
      this.electionCount++;
      this.lastElectionMs = electionMs;
      const t = this.electionTime;
      t.min = t.count === 0 ? electionMs : Math.min(t.min, electionMs);
      t.max = Math.max(t.max, electionMs);
      t.sum += electionMs;
      t.count++;
      this.electionStartedAt = null;
      this.emit('elected', { state: next.state, leader: next.leader, electionMs, status: next });
      this.#publish('elected', { state: next.state, leader: next.leader, round: next.round, electionMs });
    }
  }

  #publish(kind: string, fields: Readonly<Record<string, unknown>>): void {
    const { kind: _ignored, ...rest } = fields as Record<string, unknown>;
    const event: StreamEvent = {
      ...rest,
      seq: this.#seq++,
      time: new Date(this.#clock.now()).toISOString(),
      myid: this.#last.sid,
      kind,
    };
    this.#recent.push(event);
    if (this.#recent.length > RECENT_EVENTS) this.#recent.splice(0, this.#recent.length - RECENT_EVENTS);
    this.emit('stream', event);
  }
}
