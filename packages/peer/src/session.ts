// The after-election session a peer runs in each role: a leader's epoch establishment, a
// learner's connection to a zkvote leader, or the passive watch of a ZooKeeper leader.

import type { FollowerSession } from './epoch/follower.js';
import type { LeaderSession } from './epoch/leader.js';
import type { PassiveFollow } from './passive.js';
import type { ElectionInfo } from './types.js';

export type Session =
  | { kind: 'none' }
  | { kind: 'leader'; session: LeaderSession }
  | { kind: 'follower'; session: FollowerSession }
  | { kind: 'passive'; watch: PassiveFollow };

export function sessionView(s: Session): ElectionInfo['session'] {
  switch (s.kind) {
    case 'leader':
      return { kind: 'leader', phase: s.session.state, proposedEpoch: s.session.proposedEpoch, learners: s.session.learnerViews() };
    case 'follower':
      return { kind: 'follower', phase: s.session.state, leader: s.session.leader, lastHeard: s.session.lastHeard };
    case 'passive':
      return { kind: 'passive', leader: s.watch.leader, lastConfirmed: s.watch.lastConfirmed, reportingNewElection: s.watch.reportingNewElection() };
    case 'none':
      return { kind: 'none' };
  }
}

export function endSession(s: Session): void {
  if (s.kind === 'leader') s.session.stop('leaving LEADING');
  else if (s.kind === 'follower') s.session.stop('leaving FOLLOWING');
  else if (s.kind === 'passive') s.watch.stop();
}
