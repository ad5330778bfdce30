import { describe, expect, it } from 'vitest';
import { ServerState } from '@zkvote/wire';
import { parseDynamicConfig } from '@zkvote/quorum';
import { ElectionError } from '../errors.js';
import { FastLeaderElection } from './fle.js';
import type { ElectionNotification } from './types.js';

const lines = (sids: number[]) => sids.map((s) => `server.${s}=127.0.0.1:${2000 + s}:${3000 + s}:participant`).join('\n');
const verifier = parseDynamicConfig(lines([1, 2, 3])).verifier;
const utf8 = (s: string) => new TextEncoder().encode(s);
const looking = (leader: bigint, config: Uint8Array | null): ElectionNotification => ({
  state: ServerState.LOOKING, leader, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n, version: 2, config,
});

describe('FastLeaderElection misuse', () => {
  it('refuses a second startLooking while looking, and any after stop', () => {
    const fle = new FastLeaderElection({ myid: 1n, verifier });
    fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    expect(() => fle.startLooking({ lastZxid: 0n, currentEpoch: 0n })).toThrow(expect.objectContaining({ code: 'ALREADY_LOOKING' }));
    expect(fle.stop()).toEqual([{ type: 'cancelTimer', timer: 'notification' }]);
    expect(fle.proposal).toMatchObject({ leader: -1n, zxid: -1n });
    try {
      fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
      expect.unreachable();
    } catch (e) {
      expect(ElectionError.isInstance(e) && e.code).toBe('STOPPED');
    }
    expect(fle.receive(2n, looking(2n, null))).toEqual([{ type: 'event', event: { kind: 'ignored', sid: 2n, reason: 'stopped' } }]);
  });

  it('rejects non-positive intervals', () => {
    expect(() => new FastLeaderElection({ myid: 1n, verifier, finalizeWaitMs: 0 })).toThrow(/finalizeWaitMs/);
  });

  it('ignores input before the first startLooking', () => {
    const fle = new FastLeaderElection({ myid: 1n, verifier });
    expect(fle.receive(2n, looking(2n, null))[0]).toMatchObject({ event: { reason: 'not-started' } });
  });
});

describe('config carried in notifications (PROTOCOL.md 3.6)', () => {
  it('an invalid config is ignored and the vote still counts', () => {
    const fle = new FastLeaderElection({ myid: 1n, verifier });
    fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    const out = fle.receive(2n, looking(2n, utf8('my very invalid config string')));
    expect(out.some((a) => a.type === 'restart')).toBe(false);
    expect(fle.proposal?.leader).toBe(2n);
  });

  it('the same or an older version never restarts; a newer different one does, only while looking', () => {
    const newer = utf8(parseDynamicConfig(lines([1, 2, 4]), { version: 5n }).verifier.toString());
    const sameVersionOther = utf8(parseDynamicConfig(lines([1, 2, 4])).verifier.toString());
    const fle = new FastLeaderElection({ myid: 1n, verifier });
    fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    expect(fle.receive(2n, looking(2n, sameVersionOther)).some((a) => a.type === 'restart')).toBe(false);
    const out = fle.receive(2n, looking(2n, newer));
    expect(out.find((a) => a.type === 'restart')).toMatchObject({ from: 2n, verifier: { version: 5n } });
    expect(fle.stopped).toBe(true);

    const decided = new FastLeaderElection({ myid: 3n, verifier, fastDecision: true });
    decided.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    decided.receive(3n, looking(3n, null));
    decided.receive(2n, looking(3n, null));
    decided.timerFired('finalize', { someQueueEmpty: true }); // 1 never connected: no fast decision
    expect(decided.state).toBe(ServerState.LEADING);
    expect(decided.receive(2n, looking(2n, newer)).some((a) => a.type === 'restart')).toBe(false);
  });

  it('parseConfig: false turns config gossip off', () => {
    const newer = utf8(parseDynamicConfig(lines([1, 2, 4]), { version: 5n }).verifier.toString());
    const fle = new FastLeaderElection({ myid: 1n, verifier, parseConfig: false });
    fle.startLooking({ lastZxid: 0n, currentEpoch: 0n });
    expect(fle.receive(2n, looking(2n, newer)).some((a) => a.type === 'restart')).toBe(false);
  });
});
