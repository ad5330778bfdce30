// `zkvote simulate` through the built bin: golden output for a fixed seed (regenerate with
// ZKVOTE_UPDATE_GOLDEN=1), Mermaid that parses line by line, and the shorthand flags.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { example, runCli } from './run-cli.js';

const UPDATE = process.env.ZKVOTE_UPDATE_GOLDEN === '1';
const goldenPath = (name: string): string => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));

function expectGolden(name: string, actual: string): void {
  const file = goldenPath(name);
  if (UPDATE) {
    mkdirSync(fileURLToPath(new URL('./golden/', import.meta.url)), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`golden file ${file} is missing; run with ZKVOTE_UPDATE_GOLDEN=1 to create it`);
  }
  expect(actual, `${name} differs from its golden file (ZKVOTE_UPDATE_GOLDEN=1 regenerates)`).toBe(expected);
}

const CLASSIC = ['simulate', '--servers', '1,3,5', '--start', '1,5@0,3@50', '--seed', '7'];

describe('zkvote simulate', () => {
  it('the classic 1,3,5 walk-through is stable for a fixed seed (text, json, mermaid)', async () => {
    for (const format of ['text', 'json', 'mermaid'] as const) {
      const run = await runCli([...CLASSIC, '--format', format]);
      expect(run.code, run.stderr).toBe(0);
      expectGolden(`classic-1-3-5.seed7.${format === 'text' ? 'txt' : format === 'json' ? 'json' : 'mmd'}`, run.stdout);
      const again = await runCli([...CLASSIC, '--format', format]);
      expect(again.stdout).toBe(run.stdout);
    }
  });

  it('the shorthand and examples/classic-1-3-5.json are the same scenario', async () => {
    const shorthand = await runCli([...CLASSIC, '--json']);
    const file = await runCli(['simulate', example('classic-1-3-5.json'), '--seed', '7', '--format', 'json']);
    expect(file.stdout).toBe(shorthand.stdout);
  });

  it('JSON lists every message (time, from, to, vote) and the decisions; S5 leads', async () => {
    const run = await runCli([...CLASSIC, '--json']);
    const doc = JSON.parse(run.stdout) as Record<string, unknown>; // one (pretty-printed) document
    const messages = doc.messages as Array<Record<string, unknown>>;
    const decisions = doc.decisions as Array<Record<string, unknown>>;
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m).toHaveProperty('from');
      expect(m).toHaveProperty('to');
      expect(m).toHaveProperty('vote');
      expect(typeof (m.at ?? m.time ?? m.sentAt)).toBe('number');
    }
    const last = new Map(decisions.map((d) => [d.sid, d]));
    expect([...last.keys()].sort()).toEqual([1, 3, 5]);
    for (const d of last.values()) {
      expect(d).toMatchObject({ leader: 5 });
      expect(typeof d.round).toBe('number');
      expect(typeof d.at).toBe('number');
    }
    expect(last.get(5)?.state).toBe('LEADING');
  });

  it('Mermaid output is a sequenceDiagram whose every line is a participant, an arrow or a note', async () => {
    for (const file of ['classic-1-3-5.json', 'failover-5.json', 'partition-5.json', 'hierarchical-observer.json']) {
      const run = await runCli(['simulate', example(file), '--format', 'mermaid']);
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('sequenceDiagram');
      const participants = new Set<string>();
      for (const line of lines.slice(1)) {
        const participant = /^\s+participant (\w+)( as [^;#]+)?$/.exec(line);
        if (participant !== null) {
          participants.add(participant[1] as string);
          continue;
        }
        const arrow = /^\s+(\w+)\s*(->>|-->>|-x|--x|->|-->|-\)|--\))\+?-?\s*(\w+)\s*:\s*[^;#]*$/.exec(line);
        const note = /^\s+Note (over|left of|right of) (\w+)(,\s*(\w+))?\s*:\s*[^;#]*$/.exec(line);
        expect(arrow !== null || note !== null, `${file}: not a Mermaid sequence line: ${JSON.stringify(line)}`).toBe(true);
        for (const name of arrow !== null ? [arrow[1], arrow[3]] : [note?.[2], note?.[4]]) {
          if (name !== undefined) expect(participants.has(name), `${file}: ${name} is not a declared participant`).toBe(true);
        }
      }
    }
  });

  it('every shipped example runs with all invariants holding', async () => {
    for (const file of ['classic-1-3-5.json', 'failover-5.json', 'partition-5.json', 'lossy-network.json', 'hierarchical-observer.json', 'mixed-versions.json']) {
      const run = await runCli(['simulate', example(file)]);
      expect(run.code, `${file}: ${run.stderr}`).toBe(0);
      expect(run.stdout, file).toContain('Invariants: all hold');
    }
  });

  it('a scenario error names the path inside the document and exits 2', async () => {
    const run = await runCli(['simulate', '--servers', '1,3,5', '--start', '1,7@0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--start|events/);
  });
});
