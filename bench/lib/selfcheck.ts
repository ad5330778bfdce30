// `tsx bench/lib/selfcheck.ts`: quick assertions on the pure helpers (stats, RESULTS.md
// composition, SVG plot, agreement test, chaos schedule and checker). Exits non-zero on failure.

import assert from 'node:assert/strict';
import { agreedLeader, type Observation } from './probe.js';
import { CHAOS_PART, composeResults, extractSection, mdTable, replaceSection, WIRE_BEGIN, WIRE_END, WIRE_PART } from './results.js';
import { fmtMs, fmtRatio, fmtSummary, median, quantile, summarize } from './stats.js';
import { linearTicks, logTicks, renderPlot } from './svg.js';
import { EpochLedger, factsOf } from './checker.js';
import { makeSchedule, resolveStep } from './schedule.js';

assert.equal(median([3, 1, 2]), 2);
assert.equal(median([4, 1, 3, 2]), 2.5);
assert.throws(() => median([]));
assert.equal(quantile([1, 2, 3, 4, 5], 0), 1);
assert.equal(quantile([1, 2, 3, 4, 5], 1), 5);
assert.equal(quantile([1, 2, 3, 4, 5], 0.5), 3);
assert.deepEqual(summarize([5, 1, 3]), { n: 3, median: 3, min: 1, max: 5, mean: 3 });
assert.equal(summarize([]), null);
assert.equal(fmtRatio(370, 30), '12.3x');
assert.equal(fmtRatio(400, 2), '200x');
assert.equal(fmtRatio(100, 400), '0.25x');
assert.equal(fmtRatio(null, 3), '—');
assert.equal(fmtRatio(3, 0), '—');
assert.equal(fmtMs(0.123), '0.12');
assert.equal(fmtMs(3.14), '3.1');
assert.equal(fmtMs(370.4), '370');
assert.equal(fmtSummary(summarize([1.5, 2.5, 9])), '2.5 [1.5..9.0]');
assert.equal(fmtSummary(null), '—');

assert.equal(mdTable(['a', 'b'], [['1', 'x|y']], ['l', 'r']), '| a | b |\n| --- | ---: |\n| 1 | x\\|y |');
const wire = `${WIRE_BEGIN}\n## wire\nnumbers\n${WIRE_END}`;
const prev = `# old\n\n${wire}\n\nold tail\n`;
const doc = composeResults(prev, ['# new head', WIRE_PART, CHAOS_PART, 'new tail']);
assert.ok(doc.startsWith('# new head\n'));
assert.equal(extractSection(doc), wire);
assert.ok(doc.includes('<!-- chaos:begin -->') && doc.trimEnd().endsWith('new tail'));
assert.ok(!doc.includes('old tail'));
assert.throws(() => composeResults(prev, [`x ${WIRE_BEGIN}`]));
const withChaos = replaceSection(doc, 'chaos', '## Fault campaign\nran');
assert.equal(extractSection(withChaos, '<!-- chaos:begin -->', '<!-- chaos:end -->'), '<!-- chaos:begin -->\n## Fault campaign\nran\n<!-- chaos:end -->');
assert.equal(extractSection(composeResults(withChaos, ['# h', WIRE_PART, CHAOS_PART, 't']), '<!-- chaos:begin -->', '<!-- chaos:end -->')?.includes('ran'), true);
assert.equal(extractSection(withChaos), wire);
assert.ok(composeResults('', [{ keep: 'analysis', placeholder: 'none yet' }]).includes('<!-- analysis:begin -->\nnone yet\n<!-- analysis:end -->'));

assert.deepEqual(linearTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
assert.deepEqual(logTicks(1, 1000), [1, 10, 100, 1000]);
const svg = renderPlot({
  title: 'a < b',
  xLabel: 'N',
  yLabel: 'ms',
  logY: true,
  series: [
    { name: 'one', points: [{ x: 3, y: 5, lo: 4, hi: 6 }, { x: 5, y: 7 }] },
    { name: 'two', points: [{ x: 3, y: 400 }, { x: 5, y: 0 }] },
  ],
});
assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
assert.ok(svg.trimEnd().endsWith('</svg>'));
assert.equal((svg.match(/<circle /g) ?? []).length, 3, 'the y=0 point is skipped on a log axis');
assert.ok(svg.includes('a &lt; b'));
assert.ok(!/NaN|Infinity/.test(svg));

const o = (serving: boolean, leader: number | null, isLeader = false): Observation => ({ up: true, serving, leader, isLeader });
assert.equal(agreedLeader(new Map([[1, o(true, 3)], [2, o(true, 3)], [3, o(true, 3, true)]])), 3);
assert.equal(agreedLeader(new Map([[1, o(true, 3)], [2, o(false, null)], [3, o(true, 3, true)]])), null);
assert.equal(agreedLeader(new Map([[1, o(true, 3, true)], [3, o(true, 3, true)]])), null, 'two claim to lead');
assert.equal(agreedLeader(new Map([[1, o(true, 2)], [3, o(true, 3, true)]])), null);
assert.equal(agreedLeader(new Map([[1, o(true, 1)], [3, o(true, 1)]])), null, 'nobody says is_leader');
assert.equal(agreedLeader(new Map()), null);

// chaos: the same seed gives the same schedule; targets stay within the ensemble; a quorum survives
assert.deepEqual(makeSchedule(7, 20), makeSchedule(7, 20));
assert.notDeepEqual(makeSchedule(7, 20), makeSchedule(8, 20));
for (const step of makeSchedule(42, 200)) {
  assert.ok(step.holdMs >= 300 && step.holdMs <= 2000);
  const { targets, groups } = resolveStep(step, [1, 2, 3, 4, 5], 5);
  assert.ok(targets.length >= 1 && targets.length <= 2, `${step.kind} hits at most 2 of 5`);
  assert.ok(targets.every((t) => [1, 2, 3, 4, 5].includes(t)));
  assert.equal(new Set(targets).size, targets.length);
  if (step.kind.endsWith('-leader')) assert.deepEqual(targets, [5]);
  if (step.kind.endsWith('-follower')) assert.ok(!targets.includes(5));
  if (groups) assert.equal(groups.flat().sort().join(','), '1,2,3,4,5');
}

// checker: one leader per epoch, epochs never go down per server and field
const ledger = new EpochLedger();
const t = '2026-01-01T00:00:00.000Z';
ledger.add({ sid: 1, field: 'established', epoch: 1n, leader: 3, time: t });
ledger.add({ sid: 2, field: 'established', epoch: 1n, leader: 3, time: t });
ledger.add({ sid: 1, field: 'established', epoch: 2n, leader: 2, time: t });
ledger.add({ sid: 1, field: 'current', epoch: 2n, leader: null, time: t });
assert.equal(ledger.violations.length, 0);
ledger.add({ sid: 4, field: 'established', epoch: 1n, leader: 4, time: t });
assert.equal(ledger.violations.at(-1)?.kind, 'two-leaders-one-epoch');
ledger.add({ sid: 1, field: 'current', epoch: 1n, leader: null, time: t });
assert.equal(ledger.violations.at(-1)?.kind, 'epoch-decreased');
assert.equal(ledger.violations.length, 2);
assert.deepEqual(
  factsOf(1, { kind: 'snapshot', established_epoch: 3, leader: 2, accepted_epoch: 3, current_epoch: 3, time: t }).map((f) => f.field),
  ['established', 'accepted', 'current'],
);
assert.deepEqual(factsOf(1, { kind: 'snapshot', established_epoch: null, leader: null, time: t }), []);
assert.equal(factsOf(2, { kind: 'established', epoch: 4, leader: 5, time: t })[0]?.epoch, 4n);
assert.equal(factsOf(2, { kind: 'vote', time: t }).length, 0);

process.stdout.write('bench/lib selfcheck: ok\n');
