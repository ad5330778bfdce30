// Server states as carried in a notification's first int (QuorumPeer.ServerState ordinals).

export enum ServerState {
  LOOKING = 0,
  FOLLOWING = 1,
  LEADING = 2,
  OBSERVING = 3,
}

export type ServerStateName = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

/** True for the four codes ZooKeeper knows; other codes are kept as plain numbers. */
export function isKnownState(n: number): n is ServerState {
  return n === 0 || n === 1 || n === 2 || n === 3;
}

/** `LOOKING`… for known codes, `UNKNOWN(<n>)` otherwise. */
export function stateName(n: number): ServerStateName | `UNKNOWN(${number})` {
  return isKnownState(n) ? (ServerState[n] as ServerStateName) : `UNKNOWN(${n})`;
}
