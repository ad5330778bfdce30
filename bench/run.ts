// `pnpm bench`: zkvote and the real ZooKeeper 3.8 side by side on this machine, interleaved:
// cold start, failover (kill -9 of the leader), RSS per server, real-process scale, the
// simulator at larger N, and the @zkvote/wire codec bench. Writes bench/RESULTS.md, SVG plots
// and bench/results.json. Options: --quick, --only core,scale,sim,wire, --reps N, --no-zk.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { zookeeperAvailable } from '../packages/testkit/dist/index.js';
import { installCleanup } from './lib/cleanup.js';
import { Cluster, REPO, sleep } from './lib/cluster.js';
import { machineFacts } from './lib/machine.js';
import { bytesDelta, connectionBytes, counterDelta, measureColdStart, measureFailover, messageCounters, rssAll } from './lib/measure.js';
import { writeReport } from './lib/report.js';
import { simulateScale, type SimJitterMode, type SimRow } from './lib/simbench.js';
import type { BenchRun, RepRecord, SystemId } from './lib/types.js';

/** The largest N simulated with same-millisecond arrival order (its notifications grow as N^3). */
const WHOLE_MS_MAX = 101;

const { values: argv } = parseArgs({
  // `pnpm bench -- --quick` passes the `--` through; drop it.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    reps: { type: 'string' },
    'no-zk': { type: 'boolean', default: false },
    'sim-max': { type: 'string' },
    reuse: { type: 'boolean', default: false },
    render: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (argv.help) {
  process.stdout.write(`pnpm bench [-- --quick] [--only core,scale,sim,wire] [--reps N] [--no-zk] [--sim-max N]
  core   failover, cold start and RSS for N = 3, 5, 7 (zkvote fast, zkvote strict, ZooKeeper)
  scale  real zkvote processes for N = 15, 31, 51 (ZooKeeper for 15)
  sim    @zkvote/sim cold start + failover for large N
  wire   the @zkvote/wire codec bench (writes its own RESULTS.md section)
  (failover, cold and cost are aliases of core)
  --render re-write RESULTS.md and the plots from bench/results.json without running anything
  --reuse  keep the other blocks' records from bench/results.json and re-run only --only's blocks\n`);
  process.exit(0);
}

const ALIASES: Record<string, string> = { failover: 'core', cold: 'core', coldstart: 'core', cost: 'core', memory: 'core', rss: 'core' };
const only = (argv.only ?? 'core,scale,sim,wire').split(',').map((s) => ALIASES[s.trim()] ?? s.trim());
const quick = argv.quick === true;
const reps = Number(argv.reps ?? (quick ? 2 : 5));
const ZK_POLL_MS = 10;
const ZKVOTE_POLL_MS = 1;
const SETTLE_MS = 1500;
const COLD_TIMEOUT_MS = 60_000;
const FAILOVER_TIMEOUT_MS = 30_000;
/** Wall-time budget of the process blocks (core, scale); sim (about 5 min, N=1001 most of it) and wire come after it. */
const WALL_BUDGET_MS = (quick ? 4 : 11) * 60_000;

installCleanup();
const began = performance.now();
const overBudget = (): boolean => performance.now() - began > WALL_BUDGET_MS;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** One repetition, retried once when it failed (e.g. a port taken by another process in the free-port race). */
async function oneRep(system: SystemId, n: number, rep: number, block: RepRecord['block']): Promise<RepRecord> {
  const first = await tryRep(system, n, rep, block);
  if (first.error === null) return first;
  log(`  retrying ${system} N=${n} rep ${rep} once`);
  const second = await tryRep(system, n, rep, block);
  if (second.error === null) second.retriedAfter = first.error;
  return second;
}

async function tryRep(system: SystemId, n: number, rep: number, block: RepRecord['block']): Promise<RepRecord> {
  const rec: RepRecord = { system, n, rep, block, cold: null, failover: null, rss: [], coldMessages: null, failoverMessages: null, coldBytes: null, failoverBytes: null, error: null };
  let c: Cluster;
  try {
    c = await Cluster.create({ kind: system === 'zk' ? 'zookeeper' : 'zkvote', size: n, fastDecision: system !== 'strict' });
  } catch (e) {
    // A cluster that cannot even be set up (no free ports, say) fails this repetition, not the run.
    rec.error = `setup: ${(e as Error).message.slice(0, 600)}`;
    log(`  ${system.padEnd(6)} N=${String(n).padEnd(2)} rep ${rep}: ERROR ${rec.error.slice(0, 160)}`);
    return rec;
  }
  const poll = { intervalMs: system === 'zk' ? ZK_POLL_MS : ZKVOTE_POLL_MS, timeoutMs: COLD_TIMEOUT_MS };
  try {
    rec.cold = await measureColdStart(c, poll);
    rec.coldMessages = await messageCounters(c, c.sids);
    rec.coldBytes = bytesDelta(new Map(), await connectionBytes(c, c.sids));
    await sleep(SETTLE_MS);
    rec.rss = rssAll(c);
    const survivors = c.sids.filter((s) => s !== rec.cold?.leader);
    const before = await messageCounters(c, survivors);
    const bytesBefore = await connectionBytes(c, survivors);
    rec.failover = await measureFailover(c, { ...poll, timeoutMs: FAILOVER_TIMEOUT_MS });
    // Let trailing messages of the election land before reading the counters.
    await sleep(200);
    rec.failoverMessages = counterDelta(before, await messageCounters(c, survivors));
    rec.failoverBytes = bytesDelta(bytesBefore, await connectionBytes(c, survivors));
  } catch (e) {
    rec.error = (e as Error).message.slice(0, 600);
  } finally {
    await c.stop();
  }
  const f = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(1));
  log(`  ${system.padEnd(6)} N=${String(n).padEnd(2)} rep ${rep}: cold ${f(rec.cold?.ms)} ms, failover ${f(rec.failover?.ms)} ms (log ${f(rec.failover?.logMs ?? undefined)}), rss ${rec.rss.length ? (Math.max(...rec.rss) / 1048576).toFixed(0) : '-'} MiB${rec.error ? `, ERROR ${rec.error.slice(0, 160)}` : ''}`);
  return rec;
}

function rotate<T>(xs: readonly T[], k: number): T[] {
  return xs.map((_, i) => xs[(i + k) % xs.length] as T);
}

async function main(): Promise<void> {
  if (argv.render === true) {
    writeReport(JSON.parse(readFileSync(path.join(REPO, 'bench/results.json'), 'utf8')) as BenchRun, path.join(REPO, 'bench'));
    log('re-rendered bench/RESULTS.md and the plots from bench/results.json');
    return;
  }
  const zk = await zookeeperAvailable();
  const zkVersion = zk.ok ? '3.8.0 (Debian package, QuorumPeerMain, -Xmx256m)' : `not available (${zk.reason})`;
  const withZk = zk.ok && argv['no-zk'] !== true;
  const run: BenchRun = {
    machine: machineFacts(zkVersion),
    options: { quick, reps, only, zkPollMs: ZK_POLL_MS, zkvotePollMs: ZKVOTE_POLL_MS, settleMs: SETTLE_MS },
    startedAt: new Date().toISOString(),
    wallSeconds: 0,
    loadAvgEnd: null,
    reps: [],
    sim: [],
    simSkipped: null,
    wire: null,
    notes: [],
  };
  if (!withZk) run.notes.push(`ZooKeeper was not measured: ${zk.ok ? '--no-zk' : zk.reason}`);
  const resultsFile = path.join(REPO, 'bench/results.json');
  if (argv.reuse === true && existsSync(resultsFile)) {
    const prev = JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchRun;
    run.machine = prev.machine;
    run.startedAt = prev.startedAt;
    run.options = { ...prev.options, only: [...new Set([...prev.options.only, ...only])] };
    run.reps = prev.reps.filter((r) => !only.includes(r.block));
    if (!only.includes('sim')) {
      run.sim = prev.sim;
      run.simSkipped = prev.simSkipped;
    }
    run.notes = [...prev.notes.filter((n) => !n.startsWith('Re-ran')), `Re-ran ${only.join(', ')} on ${new Date().toISOString()} (--reuse); the other blocks are from ${prev.startedAt}.`];
    run.wallSeconds = prev.wallSeconds;
  }

  if (only.includes('core')) {
    const sizes = quick ? [3, 5] : [3, 5, 7];
    const systems: SystemId[] = withZk ? ['fast', 'strict', 'zk'] : ['fast', 'strict'];
    log(`core: N=${sizes.join(',')}, ${reps} interleaved repetitions of ${systems.join(', ')}`);
    for (let rep = 1; rep <= reps && !overBudget(); rep++) {
      for (const n of sizes) for (const s of rotate(systems, rep + n)) run.reps.push(await oneRep(s, n, rep, 'core'));
    }
  }

  if (only.includes('scale') && !overBudget()) {
    const sizes = quick ? [15] : [15, 31, 51];
    const scaleReps = quick ? 1 : 2;
    log(`scale: zkvote N=${sizes.join(',')} (${scaleReps} reps), ZooKeeper N=15 if memory allows`);
    for (let rep = 1; rep <= scaleReps && !overBudget(); rep++) {
      for (const n of sizes) {
        if (overBudget()) break;
        run.reps.push(await oneRep('fast', n, rep, 'scale'));
        if (n === 15) {
          run.reps.push(await oneRep('strict', n, rep, 'scale'));
          if (withZk && !quick) {
            if (os.freemem() > 4 * 1024 ** 3) run.reps.push(await oneRep('zk', n, rep, 'scale'));
            else run.notes.push(`ZooKeeper N=15 rep ${rep} skipped: only ${Math.round(os.freemem() / 1048576)} MiB free`);
          }
        }
      }
    }
  }

  if (only.includes('sim')) {
    const max = Number(argv['sim-max'] ?? (quick ? 15 : 1001));
    const plan: [SimJitterMode, number[]][] = [
      ['continuous', [3, 5, 7, 15, 31, 51, 101, 201, 501, 1001].filter((n) => n <= max)],
      ['whole-ms', [3, 5, 7, 15, 31, 51, 101].filter((n) => n <= Math.min(max, WHOLE_MS_MAX))],
    ];
    for (const [mode, sizes] of plan) {
      log(`sim (${mode} jitter): N=${sizes.join(',')}`);
      for (const n of sizes) {
        for (const fast of [true, false]) {
          const row: SimRow = simulateScale(n, fast, 1, mode);
          log(`  sim N=${n} ${fast ? 'fast' : 'strict'}: cold ${row.coldVirtualMs?.toFixed(1)} ms, failover ${row.failoverVirtualMs?.toFixed(1)} ms virtual, ${row.failoverMessages} msgs, wall ${row.wallMs.toFixed(0)} ms`);
          run.sim.push(row);
        }
      }
    }
    run.simSkipped =
      max < 1001
        ? `Sizes above ${max} were not run (\`--sim-max ${max}\`); \`pnpm bench -- --only sim\` runs up to N=1001 in about ten minutes.`
        : `Same-millisecond (whole-ms) arrival order stops at N=${WHOLE_MS_MAX}: there each peer steps through the candidates one by one and re-broadcasts at every step, so notifications grow as N^3 (about 270,000 per election at N=101, 10^8 at N=1001). Randomly interleaved (continuous) arrivals need about N^2 log N and run to N=1001.`;
  }

  if (only.includes('wire')) {
    log('wire: turbo run bench (package benches; @zkvote/wire rewrites its RESULTS.md section)');
    const r = spawnSync(path.join(REPO, 'node_modules/.bin/turbo'), ['run', 'bench', '--concurrency=1', '--output-logs=errors-only'], { cwd: REPO, stdio: 'inherit', timeout: 180_000 });
    run.wire = r.status === 0 ? 'ok' : `turbo run bench exited with ${r.status ?? r.signal}`;
  }

  if (overBudget()) run.notes.push(`The process blocks stopped at their wall-time budget of ${WALL_BUDGET_MS / 60000} min; sizes or repetitions missing from the tables were not run.`);
  run.wallSeconds += Math.round((performance.now() - began) / 1000);
  run.loadAvgEnd = os.loadavg()[0] ?? null;
  writeFileSync(resultsFile, `${JSON.stringify(run, null, 1)}\n`);
  writeReport(run, path.join(REPO, 'bench'));
  log(`wrote bench/RESULTS.md, bench/*.svg and bench/results.json (${run.wallSeconds} s)`);
  const failed = run.reps.filter((r) => r.error !== null);
  if (failed.length > 0) log(`${failed.length} repetition(s) failed; see RESULTS.md`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
