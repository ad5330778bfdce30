// `pnpm chaos`: a seeded fault campaign against a 5-server zkvote ensemble with a proxy on every
// election and quorum link (kill -9 + restart, SIGSTOP/SIGCONT, partitions), checked through
// every server's event stream (no two leaders for one epoch, epochs only grow) and for
// convergence after every heal; then the same schedule against real ZooKeeper 3.8 behind the
// same proxies for comparison. Writes the chaos section of bench/RESULTS.md; exits 1 on any
// zkvote violation. Options: --short (CI size), --steps N, --seed N, --bound MS, --no-zk,
// --systems zkvote,zookeeper, --no-write (print the section instead).

import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { freePorts, zookeeperAvailable } from '../packages/testkit/dist/index.js';
import { StreamChecker, type Violation } from './lib/checker.js';
import { installCleanup } from './lib/cleanup.js';
import { Cluster, REPO, sleep, type Kind } from './lib/cluster.js';
import { ProxyNetwork } from './lib/network.js';
import { agreedLeader } from './lib/probe.js';
import { mdTable, replaceSection } from './lib/results.js';
import { makeSchedule, resolveStep, type FaultKind, type FaultStep } from './lib/schedule.js';
import { fmtMs, summarize, fmtSummary } from './lib/stats.js';

const { values: argv } = parseArgs({
  // `pnpm bench -- --quick` passes the `--` through; drop it.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    short: { type: 'boolean', default: false },
    steps: { type: 'string' },
    seed: { type: 'string' },
    bound: { type: 'string' },
    size: { type: 'string' },
    'no-zk': { type: 'boolean', default: false },
    systems: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    render: { type: 'boolean', default: false },
  },
});
const SHORT = argv.short === true;
const SEED = Number(argv.seed ?? 20261122);
const STEPS = Number(argv.steps ?? (SHORT ? 8 : 40));
const SIZE = Number(argv.size ?? 5);
const BOUND_MS = Number(argv.bound ?? 15_000);
/** How long to keep waiting past the bound, to still measure slow convergence (and go on). */
const CAP_MS = Math.max(BOUND_MS, 60_000);
const START_TIMEOUT_MS = 60_000;
const GAP_MS = 300;
const POLL: Record<Kind, number> = { zkvote: 2, zookeeper: 10 };
const log = (s: string): void => void process.stderr.write(`${s}\n`);

interface StepResult {
  step: FaultStep;
  targets: number[];
  leaderBefore: number;
  /** Fault injected -> the healthy majority agrees on a leader among itself (null: not within the hold). */
  duringMs: number | null;
  /** Whether the fault took the leader away from the majority. */
  leaderAffected: boolean;
  /** Heal -> all N nodes agree (null: not within the bound). */
  convergeMs: number | null;
  leaderAfter: number | null;
}

interface Campaign {
  kind: Kind;
  steps: StepResult[];
  violations: Violation[];
  events: number;
  streamConnects: number;
  epochs: number;
  rewrittenHandshakes: number;
  error: string | null;
  wallSeconds: number;
}

async function pollAgreement(c: Cluster, sids: readonly number[], untilMs: number, intervalMs: number): Promise<{ leader: number; at: number } | null> {
  for (let i = 0; i < 1_000_000; i++) {
    const obs = await c.observeAll(sids);
    const leader = agreedLeader(obs);
    const now = performance.now();
    if (leader !== null && sids.includes(leader)) return { leader, at: now };
    if (now >= untilMs) return null;
    await sleep(intervalMs);
  }
  return null;
}

async function runCampaign(kind: Kind, schedule: readonly FaultStep[]): Promise<Campaign> {
  const began = performance.now();
  const result: Campaign = { kind, steps: [], violations: [], events: 0, streamConnects: 0, epochs: 0, rewrittenHandshakes: 0, error: null, wallSeconds: 0 };
  // One allocation for the node listeners and every proxy, so none of them collide.
  const pool = await freePorts(SIZE * 4 + 2 * SIZE * (SIZE - 1));
  const ports = Array.from({ length: SIZE }, (_, i) => {
    const [clientPort, adminPort, quorumPort, electionPort] = pool.slice(i * 4, i * 4 + 4) as [number, number, number, number];
    return { sid: i + 1, clientPort, adminPort, quorumPort, electionPort };
  });
  const net = await ProxyNetwork.create(ports, pool.slice(SIZE * 4));
  const c = await Cluster.create({ kind, size: SIZE, ports, peerAddress: (from, to) => net.address(from, to) });
  const checker = kind === 'zkvote' ? new StreamChecker(new Map(ports.map((p) => [p.sid, p.adminPort]))) : null;
  const poll = POLL[kind];
  try {
    c.startAll();
    let leader = await c.waitForAgreement(START_TIMEOUT_MS, 20);
    log(`${kind}: ${SIZE} servers up, leader ${leader}`);
    for (const step of schedule) {
      const { targets, groups } = resolveStep(step, c.sids, leader);
      const healthy = c.sids.filter((s) => !targets.includes(s));
      const leaderAffected = targets.includes(leader);
      const leaderBefore = leader;
      const t0 = performance.now();
      if (step.kind.startsWith('kill')) for (const t of targets) c.killNow(t);
      else if (step.kind.startsWith('pause')) for (const t of targets) c.pause(t);
      else if (groups !== null) net.partition(groups);
      const holdEnd = t0 + step.holdMs;
      let duringMs: number | null = null;
      if (leaderAffected) {
        const r = await pollAgreement(c, healthy, holdEnd, poll);
        duringMs = r === null ? null : r.at - t0;
      }
      const wait = holdEnd - performance.now();
      if (wait > 0) await sleep(wait);
      // heal
      const t1 = performance.now();
      if (step.kind.startsWith('kill')) for (const t of targets) await c.restart(t);
      else if (step.kind.startsWith('pause')) for (const t of targets) c.resume(t);
      else net.heal();
      const r = await pollAgreement(c, c.sids, t1 + CAP_MS, poll);
      const convergeMs = r === null ? null : r.at - t1;
      if (convergeMs === null || convergeMs > BOUND_MS) {
        result.violations.push({
          kind: 'no-convergence',
          at: new Date().toISOString(),
          message: `step ${step.index} (${step.kind} of ${targets.join(',')}): the ${SIZE} servers ${convergeMs === null ? `did not agree within ${CAP_MS} ms` : `took ${fmtMs(convergeMs)} ms`} after the heal (bound ${BOUND_MS} ms)`,
        });
      }
      if (r !== null) leader = r.leader;
      result.steps.push({ step, targets, leaderBefore, duringMs, leaderAffected, convergeMs, leaderAfter: r?.leader ?? null });
      log(`  ${kind} step ${String(step.index).padStart(2)} ${step.kind.padEnd(18)} ${targets.join(',').padEnd(4)} hold ${String(step.holdMs).padStart(4)} ms: leaderless ${duringMs === null ? (leaderAffected ? '>hold' : '-') : fmtMs(duringMs)} ms, converged ${convergeMs === null ? 'NO' : fmtMs(convergeMs)} ms after heal, leader ${r?.leader ?? '?'}`);
      if (r === null) throw new Error(`step ${step.index}: no agreement within ${CAP_MS} ms of the heal; stopping the campaign`);
      await sleep(GAP_MS);
    }
    if (checker) await sleep(300); // let the last events arrive
  } catch (e) {
    result.error = `${(e as Error).message.slice(0, 400)} (logs kept in ${c.dir})`;
  } finally {
    checker?.close();
    if (checker) {
      result.violations.push(...checker.ledger.violations);
      result.events = checker.events;
      result.streamConnects = checker.connects;
      result.epochs = checker.ledger.established().size;
    }
    result.rewrittenHandshakes = net.rewrittenHandshakes();
    await c.stop({ keepDir: result.error !== null });
    await net.close();
  }
  result.wallSeconds = Math.round((performance.now() - began) / 1000);
  return result;
}

const LABEL: Record<Kind, string> = { zkvote: 'zkvote (fast decision)', zookeeper: 'ZooKeeper 3.8.0' };

interface Meta {
  seed: number;
  size: number;
  boundMs: number;
  capMs: number;
  short: boolean;
  date: string;
  loadAvg: number;
}

function section(campaigns: readonly Campaign[], schedule: readonly FaultStep[], meta: Meta): string {
  const { seed: SEED, size: SIZE, boundMs: BOUND_MS, capMs: CAP_MS, short: SHORT } = meta;
  const counts = new Map<FaultKind, number>();
  for (const s of schedule) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  const rows: string[][] = [];
  for (const c of campaigns) {
    const during = c.steps.filter((s) => s.leaderAffected);
    const dur = summarize(during.map((s) => s.duringMs).filter((x): x is number => x !== null));
    const conv = summarize(c.steps.map((s) => s.convergeMs).filter((x): x is number => x !== null));
    rows.push([
      LABEL[c.kind],
      String(c.steps.length),
      `${during.filter((s) => s.duringMs !== null).length}/${during.length}`,
      dur ? `${fmtMs(dur.median)} / ${fmtMs(dur.max)}` : '—',
      `${c.steps.filter((s) => s.convergeMs !== null).length}/${c.steps.length}`,
      conv ? `${fmtMs(conv.median)} / ${fmtMs(conv.max)}` : '—',
      c.kind === 'zkvote' ? String(c.violations.length) : `${c.violations.length} over the bound (not checked for safety)`,
      `${c.wallSeconds} s`,
    ]);
  }
  const perKind: string[][] = [];
  for (const kind of [...counts.keys()].sort()) {
    const row = [kind, String(counts.get(kind))];
    for (const c of campaigns) {
      const st = c.steps.filter((s) => s.step.kind === kind);
      if (st.length === 0) {
        row.push('not reached', 'not reached');
        continue;
      }
      const affected = st.filter((s) => s.leaderAffected);
      const d = summarize(affected.map((s) => s.duringMs).filter((x): x is number => x !== null));
      const overHold = affected.filter((s) => s.duringMs === null).length;
      const v = summarize(st.map((s) => s.convergeMs).filter((x): x is number => x !== null));
      const notConverged = st.filter((s) => s.convergeMs === null).length;
      const leaderless = affected.length === 0 ? 'leader kept' : `${d ? fmtSummary(d) : ''}${d && overHold ? '; ' : ''}${overHold ? `${overHold}x > hold` : ''}`;
      row.push(leaderless, `${v ? fmtSummary(v) : ''}${v && notConverged ? '; ' : ''}${notConverged ? `${notConverged}x none` : ''}`);
    }
    perKind.push(row);
  }
  const violations = campaigns.flatMap((c) => c.violations.map((v) => `- ${LABEL[c.kind]}: ${v.kind}: ${v.message} (${v.at})`));
  const errors = campaigns.filter((c) => c.error !== null).map((c) => `- ${LABEL[c.kind]}: the campaign stopped early: ${c.error}`);
  const zv = campaigns.find((c) => c.kind === 'zkvote');
  return [
    '## Fault campaign (`pnpm chaos`)',
    '',
    `${SIZE} servers, seed ${SEED}, ${schedule.length} faults (${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}), each held ${Math.min(...schedule.map((s) => s.holdMs))}-${Math.max(...schedule.map((s) => s.holdMs))} ms, then healed; the next fault starts ${GAP_MS} ms after convergence. Run on ${meta.date} (${SHORT ? '--short' : 'long run'}; 1-minute load average ${meta.loadAvg.toFixed(1)} at the start). Replay: \`pnpm chaos -- --seed ${SEED} --steps ${schedule.length}\`.`,
    '',
    mdTable(['system', 'faults', 'leader-affecting faults with a new leader within the hold', 'leaderless during the fault, ms (median / max)', 'converged after heal', 'heal -> all agree, ms (median / max)', 'violations', 'wall'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
    '',
    mdTable(['fault', 'count', ...campaigns.flatMap((c) => [`${LABEL[c.kind]}: leaderless ms`, `${LABEL[c.kind]}: heal -> agree ms`])], perKind, ['l', 'r', ...campaigns.flatMap(() => ['r', 'r'] as const)]),
    '',
    violations.length ? `Violations:\n\n${violations.join('\n')}` : `Violations: none.${zv ? ` The checker read ${zv.events} events over ${zv.streamConnects} stream connections and saw ${zv.epochs} established epochs.` : ''}`,
    errors.length ? `\n${errors.join('\n')}` : '',
    '',
    '### How the campaign works',
    '',
    '- Network: every node reaches every other node only through a proxy per ordered link and port (20 election + 20 quorum proxies for 5 nodes): each node\'s zoo.cfg lists its peers at its own proxies. A partition blocks both directions of every link across the cut (open connections are reset, new ones refused) while every process keeps running. Election-port proxies also rewrite the connecting side\'s handshake to advertise the reverse link\'s proxy, because both ZooKeeper and zkvote connect back to the handshake\'s address (PROTOCOL.md §1.4), which would otherwise bypass the proxies' + (campaigns[0] ? ` (${campaigns.map((c) => `${c.rewrittenHandshakes} handshakes rewritten for ${c.kind}`).join(', ')}).` : '.'),
    '- Faults: `kill-*` is SIGKILL then a restart on the same data dir at the heal; `pause-*` is SIGSTOP then SIGCONT; `isolate-leader` cuts the leader from everyone; `partition-minority` cuts two nodes (sometimes including the leader) from the other three; `kill-two` kills two nodes (a quorum of 3 stays). Targets are roles (the current leader, a follower chosen by the seed), so both systems get the same schedule.',
    `- "Leaderless during the fault" (faults that take the leader away from the majority only): from the injection to the first poll in which the healthy nodes (all but the targets) serve and agree on one of them; "> hold" when that did not happen before the heal (for example a paused leader, which the followers only give up after their sync timeout). "Heal -> all agree": from the heal to all ${SIZE} nodes serving with one leader. The stated bound is ${BOUND_MS} ms; for zkvote missing it is a violation (the campaign still waits up to ${CAP_MS} ms to measure). ZooKeeper gets the same bound for comparison only: when a node decides to lead before the others follow it, ZooKeeper's leader waits initLimit x tickTime (20 s) for a quorum before it gives up. Polling: zkvote every ${POLL.zkvote} ms, ZooKeeper every ${POLL.zookeeper} ms, over the admin API.`,
    '- Safety checker (zkvote): it follows every server\'s `/commands/events?format=ndjson` stream, reconnecting across kills and restarts, and records each server\'s established epoch with its leader (from `epoch` events and the `snapshot` that starts every stream) and its accepted/current epochs. A violation is a second leader for an already established epoch, or an epoch that goes down on one server. ZooKeeper has no event stream, so it is compared on convergence only.',
  ].join('\n');
}

async function main(): Promise<void> {
  installCleanup();
  const file = path.join(REPO, 'bench/RESULTS.md');
  const jsonFile = path.join(REPO, 'bench/chaos.json');
  if (argv.render === true) {
    // Re-render the section from the last run's records (no processes).
    const saved = JSON.parse(readFileSync(jsonFile, 'utf8')) as { meta: Meta; schedule: FaultStep[]; campaigns: Campaign[] };
    const prev = existsSync(file) ? readFileSync(file, 'utf8') : '# zkvote benchmark results\n';
    writeFileSync(file, replaceSection(prev, 'chaos', section(saved.campaigns, saved.schedule, saved.meta)));
    log('re-rendered the chaos section of bench/RESULTS.md from bench/chaos.json');
    process.exit(0);
  }
  const meta: Meta = { seed: SEED, size: SIZE, boundMs: BOUND_MS, capMs: CAP_MS, short: SHORT, date: new Date().toISOString(), loadAvg: os.loadavg()[0] ?? 0 };
  const schedule = makeSchedule(SEED, STEPS);
  const zk = await zookeeperAvailable();
  const wanted = (argv.systems ?? 'zkvote,zookeeper').split(',').map((s) => s.trim());
  const kinds: Kind[] = wanted.includes('zkvote') ? ['zkvote'] : [];
  if (argv['no-zk'] !== true && wanted.includes('zookeeper')) {
    if (zk.ok) kinds.push('zookeeper');
    else log(`ZooKeeper comparison skipped: ${zk.reason}`);
  }
  const campaigns: Campaign[] = [];
  for (const kind of kinds) {
    log(`${kind}: ${schedule.length} faults, seed ${SEED}`);
    campaigns.push(await runCampaign(kind, schedule));
  }
  const text = section(campaigns, schedule, meta);
  if (argv['no-write'] !== true) {
    const prev = existsSync(file) ? readFileSync(file, 'utf8') : '# zkvote benchmark results\n';
    writeFileSync(file, replaceSection(prev, 'chaos', text));
    writeFileSync(jsonFile, `${JSON.stringify({ meta, schedule, campaigns }, null, 1)}\n`);
    log('wrote the chaos section of bench/RESULTS.md and bench/chaos.json');
  } else process.stdout.write(`${text}\n`);
  const zv = campaigns.find((c) => c.kind === 'zkvote');
  const bad = zv !== undefined && (zv.violations.length > 0 || zv.error !== null);
  if (bad) log(`zkvote: ${zv?.violations.length ?? 0} violation(s)${zv?.error ? `, error: ${zv.error}` : ''}`);
  process.exit(bad ? 1 : 0);
}

main().catch((e: unknown) => {
  process.stderr.write(`chaos failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
