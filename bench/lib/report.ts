// Turns a BenchRun into bench/RESULTS.md (summary table first, targets, details, method) and
// the SVG plots next to it, keeping the sections other writers own (wire, chaos).

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { machineMarkdown } from './machine.js';
import { CHAOS_PART, mdTable, WIRE_PART, writeResults } from './results.js';
import { fmtMiB, fmtMs, fmtRatio, fmtSummary, median, summarize, type Summary } from './stats.js';
import { renderPlot, type PlotSeries } from './svg.js';
import { FULL_LOG_MAX, SIM_DETECTION_MS, SIM_JITTER_MS, SIM_LATENCY_MS, type SimJitterMode, type SimRow } from './simbench.js';
import { SYSTEM_LABEL, type BenchRun, type RepRecord, type SystemId } from './types.js';

const SYSTEMS: SystemId[] = ['fast', 'strict', 'zk'];
type Metric = (r: RepRecord) => number | null | undefined;

const M = {
  failover: ((r) => r.failover?.ms) as Metric,
  failoverLog: ((r) => r.failover?.logMs) as Metric,
  failoverTook: ((r) => r.failover?.loggedTookMs) as Metric,
  failoverRes: ((r) => r.failover?.resolutionMs) as Metric,
  cold: ((r) => r.cold?.ms) as Metric,
  coldLog: ((r) => r.cold?.logMs) as Metric,
  coldRes: ((r) => r.cold?.resolutionMs) as Metric,
  coldUp: ((r) => r.cold?.allUpMs) as Metric,
};

function sel(run: BenchRun, system: SystemId, n?: number): RepRecord[] {
  return run.reps.filter((r) => r.system === system && (n === undefined || r.n === n));
}

function stat(rs: readonly RepRecord[], m: Metric): Summary | null {
  return summarize(rs.map(m).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)));
}

function sizes(run: BenchRun): number[] {
  return [...new Set(run.reps.map((r) => r.n))].sort((a, b) => a - b);
}

function rssSummary(rs: readonly RepRecord[]): Summary | null {
  return summarize(rs.flatMap((r) => r.rss));
}

function sentOf(c: Record<string, number> | null): number | null {
  if (c === null) return null;
  if (typeof c.sent === 'number') return c.sent;
  const k = Object.keys(c).find((x) => /sent/i.test(x) && !/byte/i.test(x));
  return k === undefined ? null : (c[k] as number);
}


function medianOf(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : median(v);
}

function summaryTable(run: BenchRun): string {
  const rows: string[][] = [];
  const ns = sizes(run);
  const timeRow = (what: string, sys: SystemId, m: Metric): void => {
    for (const n of ns) {
      const a = stat(sel(run, sys, n), m);
      const z = stat(sel(run, 'zk', n), m);
      if (a === null && z === null) continue;
      rows.push([what, String(n), a ? `${fmtMs(a.median)} ms` : '—', z ? `${fmtMs(z.median)} ms` : '—', fmtRatio(z?.median, a?.median)]);
    }
  };
  timeRow('failover, fast decision', 'fast', M.failover);
  timeRow('failover, strict ZooKeeper timing', 'strict', M.failover);
  timeRow('cold start, fast decision', 'fast', M.cold);
  timeRow('cold start, strict ZooKeeper timing', 'strict', M.cold);
  for (const n of ns) {
    const a = rssSummary(sel(run, 'fast', n).concat(sel(run, 'strict', n)));
    const z = rssSummary(sel(run, 'zk', n));
    if (a === null && z === null) continue;
    rows.push(['RSS per server process', String(n), a ? `${fmtMiB(a.median)} MiB` : '—', z ? `${fmtMiB(z.median)} MiB` : '—', fmtRatio(z?.median, a?.median)]);
  }
  for (const n of ns) {
    const sent = medianOf(sel(run, 'fast', n).map((r) => sentOf(r.failoverMessages)));
    if (sent !== null) rows.push(['notifications sent per failover election (fast)', String(n), String(Math.round(sent)), '—', '—']);
  }
  const simRows = run.sim.filter((s) => s.fastDecision && s.failoverVirtualMs !== null && orderOf(s) === 'continuous');
  const big = simRows.reduce<SimRow | undefined>((a, s) => (a === undefined || s.n > a.n ? s : a), undefined);
  if (big !== undefined) {
    rows.push([`simulator failover, fast (virtual time, ${SIM_DETECTION_MS} ms detection)`, String(big.n), `${fmtMs(big.failoverVirtualMs as number)} ms`, '—', '—']);
    rows.push(['simulator notifications per failover election (fast)', String(big.n), String(big.failoverMessages), '—', '—']);
    rows.push(['simulator wall time, cold start + failover run (fast)', String(big.n), `${fmtMs(big.wallMs)} ms`, '—', '—']);
  }
  return mdTable(['benchmark', 'N', 'zkvote median', 'ZooKeeper median', 'ratio (ZooKeeper / zkvote)'], rows, ['l', 'r', 'r', 'r', 'r']);
}

function targets(run: BenchRun): string {
  const out: string[] = [];
  const mark = (ok: boolean | null): string => (ok === null ? 'NOT MEASURED' : ok ? 'met' : '**MISSED**');
  for (const n of [3, 5, 7]) {
    const a = stat(sel(run, 'fast', n), M.failover);
    const s = stat(sel(run, 'strict', n), M.failover);
    const z = stat(sel(run, 'zk', n), M.failover);
    if (a === null && s === null) continue;
    const fastOk = a && z ? z.median / a.median >= 10 : null;
    const strictOk = s && z ? s.median <= z.median : null;
    out.push(`- Failover N=${n}, fast decision at least 10x faster than ZooKeeper: ${mark(fastOk)} (${fmtRatio(z?.median, a?.median)}; zkvote ${a ? fmtMs(a.median) : '—'} ms vs ${z ? fmtMs(z.median) : '—'} ms).`);
    out.push(`- Failover N=${n}, strict timing no slower than ZooKeeper: ${mark(strictOk)} (zkvote strict ${s ? fmtMs(s.median) : '—'} ms vs ${z ? fmtMs(z.median) : '—'} ms).`);
  }
  const f3 = stat(sel(run, 'fast', 3), M.failover);
  const d3 = stat(sel(run, 'fast', 3), (r) => r.failover?.phases?.detectMs);
  out.push(`- Failover N=3 with fast decision under 10 ms (ZooKeeper ~370 ms on a quiet machine): ${mark(f3 ? f3.median < 10 : null)} (median ${f3 ? fmtMs(f3.median) : '—'} ms, best ${f3 ? fmtMs(f3.min) : '—'} ms; failure detection alone, kill -> last survivor LOOKING: ${fmtSummary(d3)} ms).`);
  const c7 = stat(sel(run, 'fast', 7), M.cold);
  out.push(`- Cold start of 7 servers under 1 s (fast decision): ${mark(c7 ? c7.median < 1000 : null)} (${c7 ? fmtMs(c7.median) : '—'} ms; ZooKeeper ${fmtSummary(stat(sel(run, 'zk', 7), M.cold))} ms).`);
  const rss = rssSummary(run.reps.filter((r) => r.system !== 'zk' && r.block === 'core'));
  out.push(`- A zkvote server process under 60 MiB RSS: ${mark(rss ? rss.max < 60 * 1048576 : null)} (median ${rss ? fmtMiB(rss.median) : '—'}, max ${rss ? fmtMiB(rss.max) : '—'} MiB over every node of N=3..7; ZooKeeper median ${fmtMiB(rssSummary(sel(run, 'zk'))?.median ?? NaN)} MiB).`);
  const r51 = sel(run, 'fast', 51);
  const ok51 = r51.length === 0 ? null : r51.some((r) => r.cold !== null && r.failover !== null);
  out.push(`- 51 zkvote servers on one machine elect and fail over: ${mark(ok51)}${r51.length ? ` (${r51.filter((r) => r.error === null).length}/${r51.length} runs; cold ${fmtSummary(stat(r51, M.cold))} ms, failover ${fmtSummary(stat(r51, M.failover))} ms, RSS ${fmtMiB(rssSummary(r51)?.median ?? NaN)} MiB each)` : ''}.`);
  return out.join('\n');
}

function detailTable(run: BenchRun, which: 'failover' | 'cold', block?: RepRecord['block']): string {
  const rows: string[][] = [];
  for (const n of sizes(run)) {
    for (const sys of SYSTEMS) {
      const rs = sel(run, sys, n).filter((r) => block === undefined || r.block === block);
      if (rs.length === 0) continue;
      const ok = rs.filter((r) => (which === 'failover' ? r.failover : r.cold) !== null).length;
      if (which === 'failover') {
        rows.push([String(n), SYSTEM_LABEL[sys], `${ok}/${rs.length}`, fmtSummary(stat(rs, M.failover)), fmtSummary(stat(rs, M.failoverLog)), fmtSummary(stat(rs, M.failoverTook)), fmtSummary(stat(rs, M.failoverRes))]);
      } else {
        rows.push([String(n), SYSTEM_LABEL[sys], `${ok}/${rs.length}`, fmtSummary(stat(rs, M.coldUp)), fmtSummary(stat(rs, M.cold)), fmtSummary(stat(rs, M.coldLog)), fmtSummary(stat(rs, M.coldRes))]);
      }
    }
  }
  if (which === 'failover') {
    return mdTable(['N', 'system', 'runs ok', 'kill -> all agree (ms)', 'kill -> last "ELECTION TOOK" line (ms)', 'largest logged TOOK (ms)', 'poll resolution (ms)'], rows, ['r', 'l', 'r', 'r', 'r', 'r', 'r']);
  }
  return mdTable(['N', 'system', 'runs ok', 'launch -> every admin API answers (ms)', 'launch -> all agree (ms)', 'launch -> last "ELECTION TOOK" line (ms)', 'poll resolution (ms)'], rows, ['r', 'l', 'r', 'r', 'r', 'r', 'r']);
}

function phaseTable(run: BenchRun): string {
  const rows: string[][] = [];
  const P = (f: (p: NonNullable<NonNullable<RepRecord['failover']>['phases']>) => number | null): Metric => (r) => {
    const p = r.failover?.phases;
    return p ? f(p) : null;
  };
  for (const n of sizes(run)) {
    for (const sys of ['fast', 'strict'] as const) {
      const rs = sel(run, sys, n).filter((r) => r.failover?.phases);
      if (rs.length === 0) continue;
      rows.push([
        String(n),
        SYSTEM_LABEL[sys],
        fmtSummary(stat(rs, P((p) => p.detectMs))),
        fmtSummary(stat(rs, P((p) => p.electionMs))),
        fmtSummary(stat(rs, P((p) => p.decidedMs))),
        fmtSummary(stat(rs, M.failover)),
        fmtSummary(stat(rs, P((p) => p.establishedMs))),
      ]);
    }
  }
  return mdTable(['N', 'system', 'kill -> last survivor LOOKING', 'longest election (self-reported)', 'kill -> last survivor decided', 'kill -> all agree', 'kill -> new epoch established on all'], rows, ['r', 'l', 'r', 'r', 'r', 'r', 'r']);
}

function costTable(run: BenchRun): string {
  const rows: string[][] = [];
  for (const n of sizes(run)) {
    for (const sys of SYSTEMS) {
      const rs = sel(run, sys, n);
      const rss = rssSummary(rs);
      if (rss === null) continue;
      const coldSent = medianOf(rs.map((r) => sentOf(r.coldMessages)));
      const foSent = medianOf(rs.map((r) => sentOf(r.failoverMessages)));
      const foBytes = medianOf(rs.map((r) => r.failoverBytes ?? null));
      const coldBytes = medianOf(rs.map((r) => r.coldBytes ?? null));
      const counters = rs.find((r) => r.failoverMessages !== null)?.failoverMessages;
      rows.push([
        String(n),
        SYSTEM_LABEL[sys],
        `${fmtMiB(rss.median)} [${fmtMiB(rss.min)}..${fmtMiB(rss.max)}]`,
        `${fmtMiB(rss.median * n)}`,
        coldSent === null ? '—' : String(Math.round(coldSent)),
        coldBytes === null ? '—' : String(Math.round(coldBytes)),
        foSent === null ? '—' : String(Math.round(foSent)),
        foBytes === null ? '—' : String(Math.round(foBytes)),
        counters ? Object.keys(counters).join(', ') : '—',
      ]);
    }
  }
  return mdTable(['N', 'system', 'RSS per process, MiB (median [min..max])', 'ensemble MiB', 'notifications sent, cold start', 'election bytes, cold start', 'notifications sent, failover', 'election bytes, failover', 'counters read'], rows, ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']);
}

function orderOf(s: SimRow): SimJitterMode {
  return s.jitterMode ?? 'whole-ms';
}

function simTable(run: BenchRun): string {
  const rows = run.sim.map((s) => [
    String(s.n),
    s.fastDecision ? 'fast' : 'strict',
    orderOf(s) === 'continuous' ? 'interleaved' : 'same-ms in send order',
    s.coldVirtualMs === null ? '—' : fmtMs(s.coldVirtualMs),
    s.failoverVirtualMs === null ? '—' : fmtMs(s.failoverVirtualMs),
    String(s.coldMessages),
    String(s.failoverMessages),
    `${(s.failoverBytes / 1048576).toFixed(2)}`,
    s.failoverMessages > 0 ? String(Math.round(s.failoverBytes / s.failoverMessages)) : '—',
    fmtMs(s.wallMs),
    String(s.violations),
    s.note || '',
  ]);
  return mdTable(['N', 'mode', 'arrivals', 'cold start (virtual ms)', 'failover (virtual ms)', 'messages, cold', 'messages, failover', 'MiB, failover', 'bytes/message', 'wall ms (whole run)', 'violations', 'note'], rows, ['r', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']);
}

function series(run: BenchRun, m: Metric, label: (s: SystemId) => string): PlotSeries[] {
  return SYSTEMS.map((sys) => ({
    name: label(sys),
    dashed: sys === 'strict',
    color: sys === 'fast' ? '#1f77b4' : sys === 'strict' ? '#2ca02c' : '#d62728',
    points: sizes(run)
      .map((n) => ({ n, s: stat(sel(run, sys, n), m) }))
      .filter((p) => p.s !== null)
      .map(({ n, s }) => ({ x: n, y: (s as Summary).median, lo: (s as Summary).min, hi: (s as Summary).max })),
  })).filter((s) => s.points.length > 0);
}

function writePlots(run: BenchRun, dir: string): string[] {
  const label = (s: SystemId): string => (s === 'fast' ? 'zkvote fast' : s === 'strict' ? 'zkvote strict' : 'ZooKeeper 3.8');
  const files: string[] = [];
  const put = (name: string, svg: string): void => {
    writeFileSync(path.join(dir, name), svg);
    files.push(name);
  };
  const fo = series(run, M.failover, label);
  if (fo.length) put('failover.svg', renderPlot({ title: 'Failover: kill -9 of the leader to all survivors agreeing', xLabel: 'ensemble size N (log scale)', yLabel: 'ms (median, min-max), log scale', series: fo, logY: true, logX: true }));
  const cold = series(run, M.cold, label);
  if (cold.length) put('coldstart.svg', renderPlot({ title: 'Cold start: launch of N processes to all agreeing', xLabel: 'ensemble size N (log scale)', yLabel: 'ms (median, min-max), log scale', series: cold, logY: true, logX: true }));
  const rss = SYSTEMS.filter((s) => s !== 'strict').map((sys) => ({
    name: sys === 'zk' ? 'ZooKeeper 3.8' : 'zkvote',
    color: sys === 'zk' ? '#d62728' : '#1f77b4',
    points: sizes(run)
      .map((n) => ({ n, s: rssSummary(sys === 'fast' ? sel(run, 'fast', n).concat(sel(run, 'strict', n)) : sel(run, sys, n)) }))
      .filter((p) => p.s !== null)
      .map(({ n, s }) => ({ x: n, y: (s as Summary).median / 1048576, lo: (s as Summary).min / 1048576, hi: (s as Summary).max / 1048576 })),
  })).filter((s) => s.points.length > 0);
  if (rss.length) put('memory.svg', renderPlot({ title: 'Resident memory per server process', xLabel: 'ensemble size N (log scale)', yLabel: 'MiB (median, min-max)', series: rss, logX: true }));
  if (run.sim.length) {
    const simSeries: PlotSeries[] = [true, false].map((fast) => ({
      name: fast ? 'sim fast' : 'sim strict',
      dashed: !fast,
      color: fast ? '#1f77b4' : '#2ca02c',
      points: run.sim.filter((s) => s.fastDecision === fast && s.failoverVirtualMs !== null && orderOf(s) === 'continuous').map((s) => ({ x: s.n, y: s.failoverVirtualMs as number })),
    }));
    put('sim-failover.svg', renderPlot({ title: 'Simulator: failover virtual time against N', xLabel: 'ensemble size N (log)', yLabel: 'virtual ms', series: simSeries, logX: true }));
    const msgSeries: PlotSeries[] = (['continuous', 'whole-ms'] as const).map((order) => ({
      name: order === 'continuous' ? 'interleaved arrivals' : 'same-ms, send order',
      color: order === 'continuous' ? '#9467bd' : '#d62728',
      dashed: order === 'whole-ms',
      points: run.sim.filter((s) => s.fastDecision && orderOf(s) === order).map((s) => ({ x: s.n, y: Math.max(1, s.failoverMessages) })),
    }));
    put('sim-messages.svg', renderPlot({ title: 'Simulator: notifications per failover election', xLabel: 'ensemble size N (log)', yLabel: 'messages (log)', series: msgSeries, logX: true, logY: true }));
  }
  return files;
}

export function writeReport(run: BenchRun, dir: string): void {
  const plots = writePlots(run, dir);
  const img = (f: string): string => (plots.includes(f) ? `![${f}](${f})\n\n` : '');
  const failures = run.reps.filter((r) => r.error !== null);
  const head = [
    '# zkvote benchmark results',
    '',
    `zkvote and Apache ZooKeeper 3.8.0 side by side on the same machine in the same run (interleaved repetitions). Produced by \`pnpm bench\`${run.options.quick ? ' --quick' : ''} (blocks: ${run.options.only.join(', ')}; ${run.options.reps} repetitions per size in the core block) on ${run.startedAt}, ${run.wallSeconds} s of wall time. Raw records: [results.json](results.json).`,
    '',
    '## Summary',
    '',
    summaryTable(run),
    '',
    'Times are medians; the ratio is ZooKeeper time / zkvote time (for memory, ZooKeeper RSS / zkvote RSS), so larger means zkvote is better. Min-max ranges are in the detail tables below.',
    '',
    '## Targets',
    '',
    targets(run),
  ].join('\n');
  const analysis = { keep: 'analysis', placeholder: '## Reading the numbers\n\n(Written by hand after a run; `pnpm bench` keeps this section.)' };
  const details = [
    '## Machine',
    '',
    machineMarkdown(run.machine, run.loadAvgEnd ?? undefined),
    '',
    '## Failover: kill -9 of the leader until every survivor agrees',
    '',
    detailTable(run, 'failover'),
    '',
    img('failover.svg'),
    '### Where a zkvote failover spends its time',
    '',
    'From the survivors\' event streams (`/commands/events`, stamped on arrival, no polling), in ms after the kill (median [min..max]): failure detection (the survivor sees the leader\'s connections close and goes LOOKING), the election itself, the decision, and the epoch establishment on the quorum port (zkvote\'s counterpart of ZooKeeper\'s Zab discovery, which ZooKeeper needs before it answers as serving).',
    '',
    phaseTable(run),
    '',
    '## Cold start: launch of all N processes until all agree',
    '',
    detailTable(run, 'cold'),
    '',
    'Cold start is mostly process start-up: "every admin API answers" is when the last process had booted far enough to serve HTTP (for ZooKeeper: the JVM plus Jetty); the election runs after that.',
    '',
    img('coldstart.svg'),
    '## Cost: memory and messages',
    '',
    costTable(run),
    '',
    'zkvote message counters come from `/commands/election` (`messages`), summed over the nodes: all nodes at cold-start agreement, and the survivors\' increase from just before the kill to 200 ms after agreement. ZooKeeper exposes no election message counters.',
    '',
    img('memory.svg'),
    '## Simulator scale (@zkvote/sim)',
    '',
    run.sim.length
      ? `Every server starts at virtual time 0; the leader (sid N) crashes at 5000 ms. One-way latency ${SIM_LATENCY_MS} ms plus up to ${SIM_JITTER_MS} ms of seeded jitter, failure detection ${SIM_DETECTION_MS} ms (the survivors see the leader's connections drop; ZooKeeper took 10-130 ms here), finalizeWait 200 ms, seed 1. Failover time is from the crash to all live peers agreeing (the simulator's liveness check). Messages count every notification sent to another peer (duplicates excluded) with the v2 payload size, which carries the whole membership as config text. Arrivals: *interleaved* draws the jitter as a real number, so a broadcast's copies reach their receivers in random order, as on a real network; *same-ms in send order* draws whole milliseconds, so copies arriving in the same millisecond are handled lowest sender first, FLE's worst order (each receiver adopts every better candidate in turn and re-broadcasts each time). Runs at N > ${FULL_LOG_MAX} keep counts instead of the message log, so the delivery-backed invariants are not checked there; agreement and liveness are.\n\n${simTable(run)}\n`
      : 'Not run.',
    '',
    run.simSkipped ?? '',
    '',
    img('sim-failover.svg') + img('sim-messages.svg'),
  ].join('\n');
  const tail = [
    '## Method',
    '',
    `- Both systems run as real processes on 127.0.0.1 only, ports from the OS, one temp dir per ensemble (removed afterwards). ZooKeeper: \`java -Xmx256m ... QuorumPeerMain zoo.cfg\` (tickTime 2000, initLimit 10, syncLimit 5, AdminServer on, 3.8.0 defaults otherwise: finalizeWait 200 ms). zkvote: \`node apps/server/dist/bin.js zoo.cfg\` with the same zoo.cfg keys; "fast" is the default \`zkvote.fastDecision=true\`, "strict" sets \`zkvote.fastDecision=false\` (ZooKeeper's finalizeWait timing).`,
    `- Each repetition is a fresh ensemble: launch all N processes back to back (cold start timed from just before the first spawn), wait ${run.options.settleMs} ms, sample RSS (VmRSS of every process), SIGKILL the agreed leader (failover timed from just before the kill), then stop everything. Systems are interleaved within each repetition (the order rotates), so slow phases of the shared 2-core machine hit all of them.`,
    `- "All agree" is the same test for both: every (surviving) node answers the admin API \`GET /commands/leader\` as serving, exactly one says \`is_leader\`, every node names it, and it is not the killed sid. ZooKeeper answers only once Zab has synchronised (that is what "serving" means there); zkvote-server answers once its peer has left LOOKING. Each poll round asks every node in parallel over one kept-alive HTTP connection per node; zkvote is polled every ${run.options.zkvotePollMs} ms (a round takes ~1-3 ms), ZooKeeper every ${run.options.zkPollMs} ms (its failover is ~0.4 s; polling its Jetty admin server faster would load the 2 cores it shares).`,
    '- The reported time is the end of the first round that saw agreement: an upper bound. The true moment lies after the start of the previous round; the "poll resolution" column is that window (round end minus previous round start). It also includes the HTTP round trip to a node that may be busy electing.',
    '- Exception: a zkvote **failover** is not polled. Polling every survivor each millisecond competes for the 2 cores with the election it measures (it added 2-3 ms to detection alone). Instead the benchmark listens to the survivors\' event streams (`/commands/events`, stamped on arrival): "all agree" is the arrival of the last survivor\'s `decided` event, every survivor\'s latest decision naming the same new leader with no `looking` after it, confirmed by one poll of the admin API right afterwards (the run falls back to polling if the streams do not show agreement). This is the moment the poll would have observed, minus the poll\'s own cost; its resolution is shown as 0.',
    '- The log column is an independent, push-based view with no polling: the arrival time (on the benchmark\'s pipe from the child\'s stdout) of the last survivor\'s `LEADING|FOLLOWING - LEADER ELECTION TOOK - N ms` line. For ZooKeeper this is printed when its FLE decides, before Zab synchronises, so it is earlier than "all agree"; "largest logged TOOK" is the election time the nodes themselves report (from their LOOKING to their decision).',
    '- Real-process scale (N = 15, 31, 51) uses the same procedure with fewer repetitions. Memory per process is VmRSS after the settle pause, over every node of every repetition.',
    '- The simulator runs @zkvote/election\'s core over a virtual network in-process; its times are virtual milliseconds, its wall time is how long the simulation took on this machine.',
    '',
    run.notes.length ? `## Notes\n\n${run.notes.map((n) => `- ${n}`).join('\n')}\n` : '',
    run.reps.some((r) => r.retriedAfter)
      ? `## Retried repetitions\n\n${run.reps.filter((r) => r.retriedAfter).map((r) => `- ${SYSTEM_LABEL[r.system]} N=${r.n} rep ${r.rep}: first attempt failed (${(r.retriedAfter ?? '').replace(/\s+/g, ' ').slice(0, 200)}); the retry is what is reported`).join('\n')}\n`
      : '',
    failures.length
      ? `## Failed repetitions\n\n${failures.map((f) => `- ${SYSTEM_LABEL[f.system]} N=${f.n} rep ${f.rep}: ${(f.error ?? '').replace(/\s+/g, ' ').slice(0, 300)}`).join('\n')}\n`
      : '',
  ].join('\n');
  writeResults(path.join(dir, 'RESULTS.md'), [head, analysis, details, WIRE_PART, CHAOS_PART, tail]);
}
