// QuorumHierarchical (PROTOCOL.md 5.4): weighted servers in groups; a quorum is a strict
// majority of the non-zero-weight groups, each holding more than half of its weight.

import { QuorumConfigError, type QuorumConfigErrorInit } from './errors.js';
import type { QuorumServer } from './server.js';
import { indexMembers, membersEqual, serverLines, sortedBySid, versionHex, type QuorumVerifier } from './verifier.js';

export interface HierarchicalInit {
  servers: Iterable<QuorumServer>;
  /** gid → sids of the group (need not be declared servers). */
  groups: Iterable<readonly [bigint, Iterable<bigint>]>;
  /** Explicit weights; participants without one weigh 1. */
  weights?: Iterable<readonly [bigint, number]>;
  version?: bigint;
  /** Where to blame a validation error (the parser passes file/line/key of the offending entry). */
  locate?: (what: 'server' | 'group' | 'weight', id: bigint) => QuorumConfigErrorInit;
}

export class QuorumHierarchical implements QuorumVerifier {
  readonly kind = 'hierarchical' as const;
  readonly version: bigint;
  readonly members: ReadonlyMap<bigint, QuorumServer>;
  readonly votingMembers: ReadonlyMap<bigint, QuorumServer>;
  readonly observingMembers: ReadonlyMap<bigint, QuorumServer>;
  /** gid → its sids, ascending (gids ascending). */
  readonly groups: ReadonlyMap<bigint, readonly bigint[]>;
  /** Effective weights: explicit ones plus the default 1 of every participant (ascending sid). */
  readonly weights: ReadonlyMap<bigint, number>;
  /** gid → sum of its members' weights. */
  readonly groupWeights: ReadonlyMap<bigint, number>;
  /** Groups minus the zero-weight ones; a quorum needs more than floor(numGroups / 2) of them. */
  readonly numGroups: number;
  private readonly groupOf: ReadonlyMap<bigint, bigint>;

  constructor(init: HierarchicalInit) {
    const at = init.locate ?? (() => ({}));
    const { members, voting, observing } = indexMembers(init.servers);
    this.members = members;
    this.votingMembers = voting;
    this.observingMembers = observing;
    this.version = init.version ?? 0n;

    const groupOf = new Map<bigint, bigint>();
    const groups: [bigint, bigint[]][] = [];
    for (const [gid, sids] of init.groups) {
      const list: bigint[] = [];
      for (const sid of sids) {
        if (groupOf.has(sid)) {
          throw new QuorumConfigError(
            'SERVER_IN_MULTIPLE_GROUPS',
            `expected server ${sid} in one group, found it in group ${groupOf.get(sid)} and group ${gid}`,
            at('group', gid),
          );
        }
        groupOf.set(sid, gid);
        list.push(sid);
      }
      groups.push([gid, list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))]);
    }
    const weights = new Map<bigint, number>();
    for (const [sid, w] of init.weights ?? []) {
      if (!Number.isSafeInteger(w) || w < 0) {
        throw new QuorumConfigError('BAD_WEIGHT', `expected a non-negative integer weight, got ${w}`, at('weight', sid));
      }
      weights.set(sid, w);
    }
    for (const [sid] of voting) {
      if (!groupOf.has(sid)) {
        throw new QuorumConfigError('SERVER_NOT_IN_GROUP', `expected participant ${sid} to be in a group`, at('server', sid));
      }
      if (!weights.has(sid)) weights.set(sid, 1);
    }
    const groupWeights = new Map<bigint, number>();
    for (const [gid, list] of groups) {
      let total = 0;
      for (const sid of list) {
        const w = weights.get(sid);
        if (w === undefined) {
          // ZooKeeper dies on an unboxing NullPointerException here; name the real cause instead.
          throw new QuorumConfigError(
            'MISSING_WEIGHT',
            `expected an explicit weight.${sid} for non-participant ${sid} listed in group ${gid}`,
            at('group', gid),
          );
        }
        total += w;
      }
      groupWeights.set(gid, total);
    }
    this.groupOf = groupOf;
    this.groups = sortedBySid(groups);
    this.weights = sortedBySid(weights);
    this.groupWeights = sortedBySid(groupWeights);
    this.numGroups = groups.length - [...groupWeights.values()].filter((w) => w === 0).length;
  }

  weight(sid: bigint): number {
    return this.weights.get(sid) ?? 0;
  }

  /** The group of `sid`, or undefined when it is in none. */
  groupIdOf(sid: bigint): bigint | undefined {
    return this.groupOf.get(sid);
  }

  containsQuorum(sids: Iterable<bigint>): boolean {
    const sums = new Map<bigint, number>();
    for (const sid of new Set(sids)) {
      const gid = this.groupOf.get(sid);
      if (gid !== undefined) sums.set(gid, (sums.get(gid) ?? 0) + this.weight(sid));
    }
    if (sums.size === 0) return false;
    let counted = 0;
    for (const [gid, sum] of sums) {
      if (sum > Math.floor((this.groupWeights.get(gid) ?? 0) / 2)) counted++;
    }
    return counted > Math.floor(this.numGroups / 2);
  }

  equals(other: QuorumVerifier): boolean {
    if (other.kind !== 'hierarchical') return false;
    const o = other as QuorumHierarchical;
    if (o.version === this.version) return true;
    if (!membersEqual(this.members, o.members)) return false;
    return (
      sameMap(this.weights, o.weights, (a, b) => a === b) &&
      sameMap(this.groups, o.groups, (a, b) => a.length === b.length && a.every((s, i) => s === b[i]))
    );
  }

  toString(): string {
    const lines = serverLines(this.members);
    for (const [gid, sids] of this.groups) lines.push(`group.${gid}=${sids.join(':')}`);
    for (const [sid, w] of this.weights) lines.push(`weight.${sid}=${w}`);
    lines.push(`version=${versionHex(this.version)}`);
    return lines.join('\n');
  }
}

function sameMap<V>(a: ReadonlyMap<bigint, V>, b: ReadonlyMap<bigint, V>, eq: (x: V, y: V) => boolean): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const o = b.get(k);
    if (o === undefined || !eq(v, o)) return false;
  }
  return true;
}

/** Cross-realm check for a hierarchical verifier. */
export function isHierarchical(qv: QuorumVerifier): qv is QuorumHierarchical {
  return qv.kind === 'hierarchical';
}
