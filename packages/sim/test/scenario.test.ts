import { describe, expect, it } from 'vitest';
import { buildShorthandScenario, parseScenario, scenarioDocument, SimError, type Scenario } from '../src/index.js';

function errorOf(input: unknown): SimError {
  try {
    parseScenario(input);
  } catch (e) {
    if (SimError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a SimError');
}

describe('parseScenario', () => {
  it('reads the documented example with defaults filled in', () => {
    const s = parseScenario({
      servers: [{ sid: 1, zxid: '0x100000005', peerEpoch: 1 }, { sid: 3 }, { sid: 5, type: 'observer', version: 0 }],
      events: [
        { at: 50, start: [3] },
        { at: 0, start: [1, 5] },
        { at: 1000, crash: 5 },
        { at: 2000, partition: [[1], [3, 5]] },
        { at: 3000, heal: true },
        { at: 0, delay: { rate: 0.2, ms: 50 } },
      ],
      options: { fastDecision: false, until: 5000 },
    });
    expect(s.servers[0]).toEqual({ sid: 1n, zxid: 0x100000005n, peerEpoch: 1n, type: 'participant', version: 2, weight: null, group: null });
    expect(s.servers[1]?.peerEpoch).toBe(0n);
    expect(s.servers[2]).toMatchObject({ type: 'observer', version: 0 });
    // Stable sort by time: same-time events keep document order.
    expect(s.events.map((e) => `${e.at}:${e.kind}`)).toEqual(['0:start', '0:delay', '50:start', '1000:crash', '2000:partition', '3000:heal']);
    expect(s.events[3]).toEqual({ at: 1000, kind: 'crash', sids: [5n] });
    expect(s.options).toMatchObject({ fastDecision: false, until: 5000, latencyMs: 1, finalizeWaitMs: 200 });
  });

  it('derives peerEpoch from the zxid when absent, and accepts decimal strings and negatives', () => {
    const s = parseScenario({ servers: [{ sid: '7', zxid: '0x300000002' }, { sid: 8, zxid: -1 }] });
    expect(s.servers[0]?.peerEpoch).toBe(3n);
    expect(s.servers[1]).toMatchObject({ zxid: -1n, peerEpoch: -1n });
  });

  it.each([
    [{ servers: [] }, 'BAD_SCENARIO', 'servers'],
    [{ servers: [{ sid: 1 }, { sid: 2 }, { sid: -3 }] }, 'BAD_SCENARIO', 'servers[2].sid'],
    [{ servers: [{ sid: 1 }, { sid: 1 }] }, 'BAD_SCENARIO', 'servers[1].sid'],
    [{ servers: [{ sid: 1, zxid: 'xyz' }] }, 'BAD_SCENARIO', 'servers[0].zxid'],
    [{ servers: [{ sid: 1, zxid: '0x8000000000000000' }] }, 'BAD_SCENARIO', 'servers[0].zxid'],
    [{ servers: [{ sid: 1, type: 'leader' }] }, 'BAD_SCENARIO', 'servers[0].type'],
    [{ servers: [{ sid: 1, version: 3 }] }, 'BAD_SCENARIO', 'servers[0].version'],
    [{ servers: [{ sid: 1, colour: 'red' }] }, 'BAD_SCENARIO', 'servers[0].colour'],
    [{ servers: [{ sid: 1 }], events: [{ at: 0, start: [2] }] }, 'BAD_SCENARIO', 'events[0].start[0]'],
    [{ servers: [{ sid: 1 }], events: [{ at: -1, start: [1] }] }, 'BAD_SCENARIO', 'events[0].at'],
    [{ servers: [{ sid: 1 }], events: [{ at: 0 }] }, 'BAD_SCENARIO', 'events[0]'],
    [{ servers: [{ sid: 1 }], events: [{ at: 0, start: [1], crash: 1 }] }, 'BAD_SCENARIO', 'events[0]'],
    [{ servers: [{ sid: 1 }, { sid: 2 }], events: [{ at: 0, partition: [[1], [1, 2]] }] }, 'BAD_SCENARIO', 'events[0].partition[1][0]'],
    [{ servers: [{ sid: 1 }], events: [{ at: 0, drop: 1.5 }] }, 'BAD_SCENARIO', 'events[0].drop'],
    [{ servers: [{ sid: 1 }], events: [{ at: 0, delay: { rate: 0.1 } }] }, 'BAD_SCENARIO', 'events[0].delay.ms'],
    [{ servers: [{ sid: 1 }], events: [{ at: 0, heal: false }] }, 'BAD_SCENARIO', 'events[0].heal'],
    [{ servers: [{ sid: 1 }], options: { fastDecision: 'yes' } }, 'BAD_SCENARIO', 'options.fastDecision'],
    [{ servers: [{ sid: 1 }], options: { speed: 2 } }, 'BAD_SCENARIO', 'options.speed'],
    [{ servers: [{ sid: 1, type: 'observer' }] }, 'BAD_SCENARIO', 'servers'],
  ])('rejects %j with %s at %s', (input, code, path) => {
    const e = errorOf(input);
    expect(e.code).toBe(code);
    expect(e.path).toBe(path);
    expect(e.message.startsWith(`${path}: expected`)).toBe(true);
  });

  it('reports invalid JSON text as BAD_JSON', () => {
    expect(errorOf('{"servers": [').code).toBe('BAD_JSON');
  });

  it('round-trips through scenarioDocument', () => {
    const s = parseScenario({
      servers: [{ sid: 1, zxid: '0x100000005', weight: 2, group: 1 }, { sid: 2, group: 2 }, { sid: 3, type: 'observer', version: 1 }],
      events: [{ at: 0, start: [1, 2, 3] }, { at: 10, reorder: { rate: 0.5, ms: 30 } }, { at: 20, partition: [[1], [2, 3]] }],
      options: { latencyMs: 3 },
    });
    const again: Scenario = parseScenario(JSON.parse(JSON.stringify(scenarioDocument(s))));
    expect(again).toEqual(s);
  });
});

describe('buildShorthandScenario', () => {
  it('builds `--servers 1,3,5 --start 1,5@0,3@50`', () => {
    const s = buildShorthandScenario({ servers: '1,3,5', start: '1,5@0,3@50' });
    expect(s.servers.map((x) => x.sid)).toEqual([1n, 3n, 5n]);
    expect(s.events).toEqual([
      { at: 0, kind: 'start', sids: [1n, 5n] },
      { at: 50, kind: 'start', sids: [3n] },
    ]);
  });

  it('starts everyone at 0 without --start and takes sid:zxid:peerEpoch items', () => {
    const s = buildShorthandScenario({ servers: '1,2:0x200000001:3' });
    expect(s.events).toEqual([{ at: 0, kind: 'start', sids: [1n, 2n] }]);
    expect(s.servers[1]).toMatchObject({ zxid: 0x200000001n, peerEpoch: 3n });
  });

  it.each([
    [{ servers: '1,,3' }, '--servers'],
    [{ servers: 'a,b' }, '--servers'],
    [{ servers: '1,3', start: '1@x' }, '--start'],
    [{ servers: '1,3', start: '4@0' }, '--start'],
  ])('rejects %j at %s', (input, flag) => {
    let err: unknown;
    try {
      buildShorthandScenario(input);
    } catch (e) {
      err = e;
    }
    expect(SimError.isInstance(err)).toBe(true);
    expect((err as SimError).code).toBe('BAD_SHORTHAND');
    expect((err as SimError).path).toBe(flag);
  });
});
