// `zkvote quorum check|tolerance` and argument handling, through the built bin.

import { describe, expect, it } from 'vitest';
import { fixture, onlyJson, runCli } from './run-cli.js';

describe('zkvote quorum check', () => {
  it('majority: 2 of 3 is a quorum, with the one pseudo-group and its reason', async () => {
    const run = await runCli(['quorum', 'check', '--config', fixture('majority3.cfg'), '--up', '1,3', '--json']);
    expect(run.code).toBe(0);
    const doc = onlyJson(run);
    expect(doc).toMatchObject({
      quorum: true,
      kind: 'majority',
      up: [1, 3],
      groups: [{ gid: 0, members: [1, 2, 3], live: [1, 3], liveWeight: 2, totalWeight: 3, needed: 2, counts: true }],
    });
    expect(Object.keys(doc).slice(0, 2)).toEqual(['quorum', 'groups']);
    expect((doc.groups as Array<{ reason: string }>)[0]?.reason).toBe('voters: 2 of 3 votes up, 2 needed: counts');
  });

  it('majority: 2 of 4 is no quorum; observers are ignored', async () => {
    const four = onlyJson(await runCli(['quorum', 'check', '-c', fixture('majority4.cfg'), '--up', '1,2', '--json']));
    expect(four.quorum).toBe(false);
    const obs = onlyJson(await runCli(['quorum', 'check', '-c', fixture('majority5-observer.cfg'), '--up', '1,2,6', '--json']));
    expect(obs).toMatchObject({ quorum: false, ignored: [6], groups: [{ live: [1, 2], needed: 3 }] });
  });

  it('hierarchical: per-group weights decide (the quorum README example)', async () => {
    const no = onlyJson(await runCli(['quorum', 'check', '-c', fixture('hierarchical9.cfg'), '--up', '1,2,4,5,7', '--json']));
    expect(no).toMatchObject({
      quorum: false,
      kind: 'hierarchical',
      counted: 1,
      needed: 2,
      groups: [
        { gid: 1, live: [1, 2], liveWeight: 2, totalWeight: 3, needed: 2, counts: true },
        { gid: 2, live: [4, 5], liveWeight: 2, totalWeight: 4, needed: 3, counts: false, reason: 'group 2: 2 of 4 weight up, 3 needed: does not count' },
        { gid: 3, live: [7], liveWeight: 1, totalWeight: 3, needed: 2, counts: false },
      ],
    });
    const yes = onlyJson(await runCli(['quorum', 'check', '-c', fixture('hierarchical9.cfg'), '--up', '1,2,7,8', '--json']));
    expect(yes).toMatchObject({ quorum: true, counted: 2 });
  });

  it('prints a plain table when stdout is not a TTY (no ANSI codes)', async () => {
    const run = await runCli(['quorum', 'check', '-c', fixture('hierarchical9.cfg'), '--up', '1,2,4,5,7']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/\u001b\[/);
    expect(run.stdout.split('\n')[0]).toBe('NO QUORUM: 1 of 3 groups count, 2 needed: no quorum');
    expect(run.stdout).toMatch(/^2\s+4,5,6\s+4,5\s+2\/4\s+3\s+no$/m);
  });
});

describe('zkvote quorum tolerance', () => {
  it('4 servers tolerate no more failures than 3', async () => {
    const three = onlyJson(await runCli(['quorum', 'tolerance', '-c', fixture('majority3.cfg'), '--json']));
    const four = onlyJson(await runCli(['quorum', 'tolerance', '-c', fixture('majority4.cfg'), '--json']));
    expect(three).toMatchObject({ kind: 'majority', voters: [1, 2, 3], tolerates: 1, complete: true, sameAs: null });
    expect(three.minimalBreakingSets).toEqual([[1, 2], [1, 3], [2, 3]]);
    expect(four).toMatchObject({ voters: [1, 2, 3, 4], tolerates: 1, sameAs: 3 });
    expect((four.minimalBreakingSets as unknown[]).length).toBe(6);
    const text = await runCli(['quorum', 'tolerance', '-c', fixture('majority4.cfg')]);
    expect(text.stdout).toContain('tolerates 1 failure (majority, 4 voters: 1,2,3,4)');
    expect(text.stdout).toContain('3 voters tolerate the same 1');
  });

  it('hierarchical: the heavy server 6 is in every smallest breaking set', async () => {
    const doc = onlyJson(await runCli(['quorum', 'tolerance', '-c', fixture('hierarchical9.cfg'), '--json']));
    expect(doc).toMatchObject({ kind: 'hierarchical', tolerates: 2, complete: true });
    expect(doc.minimalBreakingSets).toEqual([[1, 2, 6], [1, 3, 6], [2, 3, 6], [6, 7, 8], [6, 7, 9], [6, 8, 9]]);
  });
});

describe('bad arguments exit 2 with usage on stderr', () => {
  const cases: Array<[string, string[]]> = [
    ['no command', []],
    ['unknown command', ['frobnicate']],
    ['unknown option', ['status', '--bogus']],
    ['missing --up', ['quorum', 'check', '--config', 'x.cfg']],
    ['bad --up item', ['quorum', 'check', '--config', 'ignored.cfg', '--up', '1,x']],
    ['bad --timeout', ['status', '--config', 'x.cfg', '--timeout', 'soon']],
    ['no status source', ['status']],
    ['bad --admin address', ['status', '--admin', 'nohostport']],
    ['bad --format', ['simulate', '--servers', '1,2,3', '--format', 'pdf']],
    ['simulate without a scenario', ['simulate']],
    ['bad shorthand', ['simulate', '--servers', '1,a']],
  ];
  for (const [name, args] of cases) {
    it(name, async () => {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/Usage: zkvote|zkvote: /);
    });
  }

  it('a missing or invalid zoo.cfg is a bad argument too, naming the file', async () => {
    const missing = await runCli(['quorum', 'tolerance', '--config', '/nonexistent/zoo.cfg']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/zoo.cfg');
  });

  it('--help and --version exit 0 on stdout', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: zkvote');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
