import { describe, expect, it } from 'vitest';
import { parseDynamicConfig } from '@zkvote/quorum';
import { emptyRow, type ServerRow } from './row.js';
import { summarize } from './status.js';
import { diffReports } from './watch.js';

const row = (sid: bigint, state: string | null, leader: bigint | null, extra: Partial<ServerRow> = {}): ServerRow => ({
  ...emptyRow('election', `127.0.0.1:${3880 + Number(sid)}`, sid),
  state,
  leader,
  ...extra,
});

describe('summarize', () => {
  it('agrees when every answering server follows one leader; unreachable rows do not break agreement', () => {
    const s = summarize([row(1n, 'FOLLOWING', 3n), row(2n, null, null, { error: 'connection refused' }), row(3n, 'LEADING', 3n)], null);
    expect(s).toMatchObject({ leader: 3n, agreed: true, quorum: true });
  });

  it('a tie between two named leaders names none', () => {
    const s = summarize([row(1n, 'FOLLOWING', 1n), row(2n, 'FOLLOWING', 2n)], null);
    expect(s).toMatchObject({ leader: null, agreed: false, quorum: false });
  });

  it('the quorum is judged by the membership: 2 of 5 voters is none, observers never count', () => {
    const { verifier } = parseDynamicConfig(
      [1, 2, 3, 4, 5].map((i) => `server.${i}=h${i}:2888:3888`).join('\n') + '\nserver.6=h6:2888:3888:observer',
    );
    const m = { kind: 'verifier' as const, verifier };
    expect(summarize([row(1n, 'LEADING', 1n), row(2n, 'FOLLOWING', 1n), row(6n, 'OBSERVING', 1n)], m)).toMatchObject({ agreed: true, quorum: false });
    expect(summarize([row(1n, 'LEADING', 1n), row(2n, 'FOLLOWING', 1n), row(3n, 'FOLLOWING', 1n)], m)).toMatchObject({ quorum: true });
  });

  it('a LOOKING server means no agreement, but the others may still form a quorum', () => {
    const s = summarize([row(1n, 'LOOKING', 1n), row(2n, 'FOLLOWING', 3n), row(3n, 'LEADING', 3n)], { kind: 'voters', voters: [1n, 2n, 3n] });
    expect(s).toMatchObject({ leader: 3n, agreed: false, quorum: true });
  });
});

describe('diffReports (watch events)', () => {
  it('reports state changes, vote changes and reachability', () => {
    const before = summarize([row(1n, 'FOLLOWING', 3n), row(2n, 'FOLLOWING', 3n), row(3n, 'LEADING', 3n)], null);
    const after = summarize(
      [row(1n, 'LOOKING', 2n, { electionEpoch: 2n }), row(2n, 'FOLLOWING', 3n, { peerEpoch: 2n }), row(3n, null, null, { error: 'connection refused' })],
      null,
    );
    expect(diffReports(before, after).map((e) => [e.kind, e.sid])).toEqual([
      ['state', 1],
      ['vote', 2],
      ['unreachable', 3],
    ]);
    expect(diffReports(before, after)[0]).toMatchObject({ from: 'FOLLOWING', to: 'LOOKING', leader: 2, round: 2 });
  });
});
