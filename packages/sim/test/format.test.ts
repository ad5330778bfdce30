import { describe, expect, it } from 'vitest';
import { formatJson, formatMermaid, formatText, generateScenario, simulate } from '../src/index.js';
import { run } from './helpers.js';

const classic = { servers: [{ sid: 1 }, { sid: 3 }, { sid: 5 }], events: [{ at: 0, start: [1, 5] }, { at: 50, start: [3] }] };

const MERMAID_LINE = [
  /^ {2}participant S\d+$/,
  /^ {2}S\d+(->>|-->>|-x|--x)S\d+: [^;#%\n]+$/,
  /^ {2}Note over S\d+(,S\d+)?: [^;#%\n]+$/,
];

function assertMermaid(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe('sequenceDiagram');
  for (const line of lines.slice(1)) {
    expect(MERMAID_LINE.some((re) => re.test(line)), line).toBe(true);
  }
  return lines;
}

describe('formatMermaid', () => {
  it('draws the classic walk-through as a valid sequence diagram', () => {
    const lines = assertMermaid(formatMermaid(run(classic)));
    expect(lines.slice(1, 4)).toEqual(['  participant S1', '  participant S3', '  participant S5']);
    expect(lines).toContain('  S1->>S5: LOOKING (1, 0x0, e0) r1');
    expect(lines.some((l) => l.startsWith('  Note over S3: ') && l.includes('S3 decided FOLLOWING S5 in round 1'))).toBe(true);
  });

  it('stays valid under faults and caps long runs with a note', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const r = simulate(generateScenario(seed), { seed });
      const lines = assertMermaid(formatMermaid(r, { maxMessages: 20 }));
      expect(lines.filter((l) => /^ {2}S\d+-/.test(l)).length).toBeLessThanOrEqual(20);
      // Only messages that reached the wire are drawn: stats.messages also counts superseded and pending ones.
      const onWire = r.messages.filter((m) => m.from !== m.to && m.fate !== 'superseded' && m.fate !== 'pending').length;
      if (onWire > 20) expect(lines.at(-1)).toMatch(/more messages not drawn \(cap 20\)/);
      else expect(lines.at(-1)).not.toMatch(/more messages not drawn/);
    }
  });
});

describe('formatJson', () => {
  it('is stable, parseable, and keeps its key order', () => {
    const a = formatJson(run(classic));
    expect(formatJson(run(classic))).toBe(a);
    const doc = JSON.parse(a) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['seed', 'until', 'endedAt', 'servers', 'decisions', 'messages', 'epochs', 'faults', 'peers', 'liveness', 'violations', 'stats']);
    // Fast decision waits for 3 (it never connected, so it is not known to be gone): 3 decides
    // first, on hearing 1 and 5; 1 and 5 decide at once when 3's agreeing vote arrives.
    expect(doc.decisions).toEqual([
      expect.objectContaining({ sid: 3, state: 'FOLLOWING', leader: 5, round: 1, at: 52, fast: true }),
      expect.objectContaining({ sid: 1, state: 'FOLLOWING', leader: 5, round: 1, at: 53, fast: true }),
      expect.objectContaining({ sid: 5, state: 'LEADING', leader: 5, round: 1, at: 53, fast: true }),
    ]);
    const m = (doc.messages as Record<string, unknown>[])[0];
    expect(Object.keys(m ?? {})).toEqual(['id', 'at', 'from', 'to', 'state', 'vote', 'bytes', 'fate', 'deliveredAt', 'delivered', 'dropped', 'duplicated', 'resend', 'delayedMs']);
    expect(m?.vote).toEqual({ leader: 1, zxid: 0, electionEpoch: 1, peerEpoch: 0 });
  });

  it('writes bigints beyond 2^53 as strings', () => {
    const big = '9007199254740993';
    const r = run({ servers: [{ sid: 1 }, { sid: big }, { sid: 3, zxid: '0x7fffffffffffffff' }], events: [{ at: 0, start: [1, big, 3] }] });
    const doc = JSON.parse(formatJson(r)) as { servers: { sid: unknown; zxid: unknown }[]; decisions: { leader: unknown }[] };
    expect(doc.servers.map((s) => s.sid)).toEqual([1, big, 3]);
    expect(doc.servers[2]?.zxid).toBe('9223372036854775807');
    expect(doc.decisions.every((d) => d.leader === 3)).toBe(true);
  });
});

describe('formatText', () => {
  it('tells the story: faults, messages, decisions, epochs, verdicts', () => {
    const text = formatText(run({ ...classic, events: [...classic.events, { at: 500, crash: 5 }], options: { detectionDelayMs: 300, maxNotificationIntervalMs: 800 } }));
    expect(text).toMatch(/^seed 1 \| servers S1 S3 S5 \| fastDecision on \| ran to \d+ ms\n/);
    expect(text).toContain('  0 ms  -- start S1');
    expect(text).toContain('  0 ms  S1 -> S5  LOOKING   (1, 0x0, e0) r1  delivered at 2 ms');
    expect(text).toContain(' 50 ms  -- start S3');
    expect(text).toContain(' 53 ms  ** S5 decided LEADING S5 in round 1 (fast decision, 0x0, e0)');
    expect(text).toContain(' 53 ms  ** S5 established epoch 1 with S1,S3,S5');
    expect(text).toContain('500 ms  -- crash S5');
    expect(text).toMatch(/S3 decided LEADING S3 in round 2/);
    expect(text).toContain('Invariants: all hold');
  });
});
