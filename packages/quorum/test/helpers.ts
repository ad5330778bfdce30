// Small builders shared by the tests (kept apart from src so tests cannot share its bugs).
import type { QuorumServer } from '../src/index.js';

export function participant(sid: number | bigint, host = `h${sid}`): QuorumServer {
  return { sid: BigInt(sid), addresses: [{ host, quorumPort: 2888, electionPort: 3888 }], type: 'participant', clientAddress: null };
}

export function observer(sid: number | bigint, host = `h${sid}`): QuorumServer {
  return { ...participant(sid, host), type: 'observer' };
}

export const sids = (...xs: number[]): bigint[] => xs.map(BigInt);

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
