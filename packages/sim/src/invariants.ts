// Safety and liveness checks over a finished run. They read only the recorded messages and
// decisions, never the cores' internals, so a core that lies about why it decided is caught.

import type { QuorumVerifier } from '@zkvote/quorum';
import { formatZxid0x } from '@zkvote/wire';
import { divergenceBoundMs } from './bounds.js';
import { DEFAULT_HELD_VOTE_WINDOW_MS } from '@zkvote/election';
import type { DecisionRecord, ElectionRun, MessageRecord, SimResult, Violation } from './types.js';

const sidList = (sids: Iterable<bigint>): string => [...sids].map((s) => `S${s}`).join(',') || 'none';

function voteText(leader: bigint, zxid: bigint, peerEpoch: bigint, round: bigint): string {
  return `(leader ${leader}, zxid ${formatZxid0x(zxid)}, peerEpoch ${peerEpoch}, round ${round})`;
}

/**
 * - quorum-backing: a quorum of voters sent the decider, in that election run (or, in fast mode,
 *   while it was decided just before it: see heldVotes), votes equal to
 *   the decided (leader, zxid, peerEpoch, round), or FOLLOWING/LEADING reports for that
 *   leader (plus, unless the decider leads, the leader's own LEADING report);
 * - claimed-voters: every voter the core says it counted was actually heard from;
 * - highest-vote: a voter electing through LOOKING votes picks a leader whose (peerEpoch, zxid)
 *   is at least the starting point of every voter whose vote it counted;
 * - agreement: two voters never hold decisions for different leaders from the same round for
 *   longer than divergenceBoundMs. ZooKeeper's election alone does not rule such a split out (a
 *   better vote can reach some peers after others decided; fast decision cannot wait for voters
 *   it is not connected to); what must hold is that the split is transient: the leader without a
 *   quorum steps down and its followers notice;
 * - liveness: see LivenessReport.
 * The first three need the message log (SimResult.messagesLogged); without it only agreement
 * and liveness are checked.
 */
export function checkInvariants(result: SimResult, verifier: QuorumVerifier, replay: string): Violation[] {
  const out: Violation[] = [];
  const add = (v: Omit<Violation, 'seed' | 'replay'>): void => void out.push({ ...v, seed: result.seed, replay });
  const isVoter = (sid: bigint): boolean => verifier.votingMembers.has(sid);
  const heard = indexDeliveries(result.messages);

  // Without the message log there is nothing to back a decision with: those checks are skipped.
  const held = heldVotes(result, heard);
  for (const d of result.messagesLogged ? result.decisions : []) {
    const inbox = [
      ...(held.get(d.election) ?? []),
      ...(heard.get(d.sid) ?? []).filter((m) => m.toElection === d.election && (m.deliverySeq ?? Infinity) <= d.afterDeliveries),
    ];
    const looking = new Set<bigint>();
    const reports = new Set<bigint>();
    let leaderSaidLeading = d.leader === d.sid;
    for (const m of inbox) {
      if (!isVoter(m.from)) continue;
      const v = m.vote;
      // ZooKeeper's Vote equality against a LOOKING target ignores the state: a same-round
      // FOLLOWING/LEADING vote with identical numbers counts like a LOOKING one.
      const exact = v.leader === d.leader && v.zxid === d.zxid && v.peerEpoch === d.peerEpoch && v.electionEpoch === d.round;
      if (exact && m.state !== 'OBSERVING') looking.add(m.from);
      if ((m.state === 'FOLLOWING' || m.state === 'LEADING') && v.leader === d.leader) {
        reports.add(m.from);
        if (m.from === d.leader && m.state === 'LEADING') leaderSaidLeading = true;
      }
    }
    const both = new Set([...looking, ...reports]);
    const backed = verifier.containsQuorum(looking) || (leaderSaidLeading && verifier.containsQuorum(both));
    const what = `S${d.sid} decided ${d.state} S${d.leader} in round ${d.round} at ${d.at} ms`;
    if (!backed) {
      add({
        invariant: 'quorum-backing',
        at: d.at,
        sids: [d.sid],
        message: `${what}, but the votes ${voteText(d.leader, d.zxid, d.peerEpoch, d.round)} it got came from ${sidList(looking)} and the following/leading reports for S${d.leader} from ${sidList(reports)}${leaderSaidLeading ? '' : ` (S${d.leader} never reported LEADING)`}: not a quorum`,
      });
    }
    const unheard = d.voters.filter((s) => !both.has(s));
    if (unheard.length > 0) {
      add({ invariant: 'claimed-voters', at: d.at, sids: [d.sid, ...unheard], message: `${what} counting ${sidList(unheard)}, which never sent it such a vote in that election` });
    }
    if (isVoter(d.sid) && d.path === 'looking') checkHighest(result, d, inbox, looking, what, add);
  }

  checkAgreement(result.decisions.filter((d) => isVoter(d.sid)), divergenceBoundMs(result.scenario.options), result.endedAt, add);

  const l = result.liveness;
  if (l.checked && l.leader === null) {
    const states = result.peers
      .filter((p) => p.up)
      .map((p) => `S${p.sid} ${p.state}${p.leader === null ? '' : ` S${p.leader}`}`)
      .join(', ');
    add({
      invariant: 'liveness',
      at: l.deadline,
      sids: result.peers.filter((p) => p.up).map((p) => p.sid),
      message: `faults stopped at ${l.quietFrom} ms with a quorum up, but by ${l.deadline} ms (bound ${l.boundMs} ms) the live peers did not follow one leader: ${states}`,
    });
  }
  return out;
}

type Delivered = MessageRecord & { deliveredAt: number };

/**
 * Fast decision hands a run the LOOKING votes its peer heard while decided in the run just
 * before (the core's "votes heard while following", heldVoteWindowMs left at its default): per
 * sender the newest LOOKING vote delivered after that decision, of a round newer than the
 * decided one, if it came at most DEFAULT_HELD_VOTE_WINDOW_MS before the new run started. Those,
 * and nothing else from the previous run, may back the new run's decision.
 */
function heldVotes(result: SimResult, heard: ReadonlyMap<bigint, Delivered[]>): Map<number, Delivered[]> {
  const out = new Map<number, Delivered[]>();
  if (!result.scenario.options.fastDecision) return out;
  const decisionOf = new Map<number, DecisionRecord>();
  for (const d of result.decisions) if (!decisionOf.has(d.election)) decisionOf.set(d.election, d);
  const lastRun = new Map<bigint, ElectionRun>();
  for (const run of result.elections) {
    const prev = lastRun.get(run.sid);
    lastRun.set(run.sid, run);
    const decided = prev === undefined ? undefined : decisionOf.get(prev.id);
    if (prev === undefined || prev.life !== run.life || decided === undefined) continue;
    const newest = new Map<bigint, Delivered>();
    for (const m of heard.get(run.sid) ?? []) {
      if (m.toElection !== prev.id || (m.deliverySeq ?? -1) <= decided.afterDeliveries) continue;
      if (m.state !== 'LOOKING' || m.vote.electionEpoch <= decided.round) continue;
      const seen = newest.get(m.from);
      if (seen === undefined || (seen.deliverySeq ?? 0) < (m.deliverySeq ?? 0)) newest.set(m.from, m);
    }
    const kept = [...newest.values()].filter((m) => m.deliveredAt >= run.startedAt - DEFAULT_HELD_VOTE_WINDOW_MS);
    if (kept.length > 0) out.set(run.id, kept);
  }
  return out;
}

function indexDeliveries(messages: readonly MessageRecord[]): Map<bigint, Delivered[]> {
  const byTo = new Map<bigint, Delivered[]>();
  for (const m of messages) {
    if (m.fate !== 'delivered' || m.deliveredAt === null) continue;
    const list = byTo.get(m.to) ?? [];
    list.push(m as Delivered);
    byTo.set(m.to, list);
  }
  return byTo;
}

function checkHighest(
  result: SimResult,
  d: DecisionRecord,
  inbox: readonly Delivered[],
  looking: ReadonlySet<bigint>,
  what: string,
  add: (v: Omit<Violation, 'seed' | 'replay'>) => void,
): void {
  const beaten: string[] = [];
  const sids: bigint[] = [];
  for (const m of inbox) {
    if (!looking.has(m.from) || m.state !== 'LOOKING' || m.fromElection === null) continue;
    const v = m.vote;
    if (v.leader !== d.leader || v.electionEpoch !== d.round || v.zxid !== d.zxid || v.peerEpoch !== d.peerEpoch) continue;
    const run = result.elections[m.fromElection];
    if (run === undefined) continue;
    const lower = d.peerEpoch < run.currentEpoch || (d.peerEpoch === run.currentEpoch && d.zxid < run.lastZxid);
    if (lower && !sids.includes(m.from)) {
      sids.push(m.from);
      beaten.push(`S${m.from} started from (peerEpoch ${run.currentEpoch}, zxid ${formatZxid0x(run.lastZxid)})`);
    }
  }
  if (sids.length > 0) {
    add({
      invariant: 'highest-vote',
      at: d.at,
      sids: [d.sid, ...sids],
      message: `${what} with (peerEpoch ${d.peerEpoch}, zxid ${formatZxid0x(d.zxid)}), lower than voters it counted: ${beaten.join('; ')}`,
    });
  }
}

/** Two voters holding decisions for different leaders from the same round, and for how long. */
export interface Divergence {
  round: bigint;
  a: DecisionRecord;
  b: DecisionRecord;
  /** When both held (the later decision). */
  from: number;
  /** When one of them ended (Infinity if both held to the end of the run). */
  until: number;
}

/** Every same-round split among voters' decisions that overlapped in time. */
export function findDivergences(decisions: readonly DecisionRecord[]): Divergence[] {
  const byRound = new Map<bigint, DecisionRecord[]>();
  for (const d of decisions) {
    const list = byRound.get(d.round) ?? [];
    list.push(d);
    byRound.set(d.round, list);
  }
  const out: Divergence[] = [];
  for (const [round, list] of byRound) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as DecisionRecord;
        const b = list[j] as DecisionRecord;
        if (a.sid === b.sid || a.leader === b.leader) continue;
        const from = Math.max(a.at, b.at);
        const until = Math.min(a.endedAt ?? Infinity, b.endedAt ?? Infinity);
        if (from < until) out.push({ round, a, b, from, until });
      }
    }
  }
  return out;
}

function checkAgreement(
  decisions: readonly DecisionRecord[],
  boundMs: number,
  endedAt: number,
  add: (v: Omit<Violation, 'seed' | 'replay'>) => void,
): void {
  const reported = new Set<string>();
  for (const x of findDivergences(decisions)) {
    const lasted = Math.min(x.until, endedAt) - x.from;
    const unresolved = x.until === Infinity && endedAt - x.from >= boundMs;
    if (lasted <= boundMs && !unresolved) continue;
    const key = `${x.round}:${x.a.leader}:${x.b.leader}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const { a, b } = x;
    add({
      invariant: 'agreement',
      at: x.from + boundMs,
      sids: [a.sid, b.sid],
      message: `in round ${x.round}, S${a.sid} decided ${a.state} S${a.leader} at ${a.at} ms and S${b.sid} decided ${b.state} S${b.leader} at ${b.at} ms; the split lasted ${x.until === Infinity ? 'to the end of the run' : `${lasted} ms`}, more than the ${boundMs} ms the model needs to correct it`,
    });
  }
}
