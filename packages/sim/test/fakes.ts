// Deliberately simple (and deliberately broken) election cores, to show that the simulator's
// plumbing works and that the invariant checker can fail.

import type { Action, ElectionNotification, ElectionOptions, StartLookingInput } from '@zkvote/election';
import type { CoreFactory, ElectionCore } from '../src/index.js';

const LOOKING = 0;

/**
 * A toy election: one round, LOOKING votes only, decides as soon as a quorum backs its proposal.
 * `lowestWins` flips the order (lower sid, ignoring zxids) to elect the wrong leader honestly.
 */
export class ToyCore implements ElectionCore {
  private proposal: { leader: bigint; zxid: bigint; peerEpoch: bigint } | null = null;
  private readonly votes = new Map<bigint, bigint>();
  private decided = false;
  constructor(
    private readonly o: ElectionOptions,
    private readonly lowestWins: boolean,
  ) {}

  startLooking(input: StartLookingInput): Action[] {
    this.decided = false;
    this.votes.clear();
    this.proposal = { leader: this.o.myid, zxid: input.lastZxid, peerEpoch: input.currentEpoch };
    return this.broadcast();
  }

  receive(sid: bigint, n: ElectionNotification): Action[] {
    if (this.decided || n.state !== LOOKING || this.proposal === null) return [];
    const p = this.proposal;
    const better = this.lowestWins
      ? n.leader < p.leader
      : n.peerEpoch > p.peerEpoch || (n.peerEpoch === p.peerEpoch && (n.zxid > p.zxid || (n.zxid === p.zxid && n.leader > p.leader)));
    const out: Action[] = [];
    if (better) {
      this.proposal = { leader: n.leader, zxid: n.zxid, peerEpoch: n.peerEpoch };
      out.push(...this.broadcast());
    }
    this.votes.set(sid, n.leader);
    const backers = [...this.votes].filter(([, l]) => l === this.proposal?.leader).map(([s]) => s);
    if (this.o.verifier.containsQuorum(backers)) {
      this.decided = true;
      const q = this.proposal;
      out.push({
        type: 'decided',
        state: q.leader === this.o.myid ? 2 : 1,
        vote: { leader: q.leader, zxid: q.zxid, electionEpoch: 1n, peerEpoch: q.peerEpoch, state: 0, version: 0 },
        fast: true,
        path: 'looking',
        voters: backers.sort((a, b) => (a < b ? -1 : 1)),
      });
    }
    return out;
  }

  timerFired(): Action[] {
    return [];
  }
  connectionUp(): Action[] {
    return [];
  }
  connectionDown(): Action[] {
    return [];
  }
  stop(): Action[] {
    return [];
  }

  private broadcast(): Action[] {
    const p = this.proposal;
    if (p === null) return [];
    return [...this.o.verifier.votingMembers.keys()].map((to) => ({
      type: 'send' as const,
      to,
      notification: { state: LOOKING, leader: p.leader, zxid: p.zxid, electionEpoch: 1n, peerEpoch: p.peerEpoch, version: 2, config: null },
    }));
  }
}

export const toyCore: CoreFactory = (o) => new ToyCore(o, false);
export const lowestWinsCore: CoreFactory = (o) => new ToyCore(o, true);

/** Declares itself leader at once, claiming every voter backed it. */
export const usurperCore: CoreFactory = (o) => ({
  startLooking: (input) => [
    {
      type: 'decided',
      state: 2,
      vote: { leader: o.myid, zxid: input.lastZxid, electionEpoch: 1n, peerEpoch: input.currentEpoch, state: 0, version: 0 },
      fast: true,
      path: 'looking',
      voters: [...o.verifier.votingMembers.keys()],
    },
  ],
  receive: () => [],
  timerFired: () => [],
  connectionUp: () => [],
  connectionDown: () => [],
  stop: () => [],
});

/** Never decides anything: only liveness can catch it. */
export const mutedCore: CoreFactory = () => ({
  startLooking: () => [],
  receive: () => [],
  timerFired: () => [],
  connectionUp: () => [],
  connectionDown: () => [],
  stop: () => [],
});

/** Records every input, and sends what the test scripts through `script`. */
export interface ProbeLog {
  inputs: string[];
}
export function probeCore(log: ProbeLog, script: (myid: bigint, input: string) => Action[]): CoreFactory {
  return (o) => {
    const note = (s: string): Action[] => {
      log.inputs.push(`S${o.myid} ${s}`);
      return script(o.myid, s);
    };
    return {
      startLooking: () => note('start'),
      receive: (sid, n) => note(`recv S${sid} leader ${n.leader} r${n.electionEpoch}`),
      timerFired: (t, ctx) => note(`timer ${t} ${ctx.someQueueEmpty ? 'someEmpty' : 'allBusy'}`),
      connectionUp: (sid) => note(`up S${sid}`),
      connectionDown: (sid) => note(`down S${sid}`),
      stop: () => note('stop'),
    };
  };
}
