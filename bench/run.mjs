// npm run bench: the harness's cost against the bare browser work it drives, on this machine, measured
// so that the figure holds still on a busy machine. One Playwright run, one worker, one browser, three
// kinds of test in turn (bench/paired.bench.ts): the attribution scenario through the harness; "bare",
// the same browser work without the harness (the responses the harness served, replayed by one plain
// route, and the same clicks with plain locators); and "static", the same two pages as static HTML
// with no script at all, a floor for reference. Each harness run is divided by the bare run beside
// it, so whatever slows the machine down slows both halves of a pair; the figure is the median of
// those paired ratios, with its spread (IQR) and the 95% interval of the median. When that interval
// is wider than ±0.05 (a busy machine), the bench runs another batch of pairs, up to BENCH_MAX_RUNS
// (4) runs, and says so if it still is.
//
//   npm run bench                  the paired ratio, with the absolute times beside it
//   npm run bench -- --profile     and where the time goes: each phase, harness against bare and static
//   npm run bench -- --scaling     and time to first test, 1/10/50 scenarios (1 and 2 workers), peak memory
//
// Per run, BENCH_PAIRS (12) measured rounds after BENCH_WARMUP (2) warm-up rounds. The last line is
// `ratio: X.XX`, the median paired ratio harness / bare.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((a) => !['--profile', '--scaling'].includes(a));
if (unknown.length) {
  console.error(`npm run bench: unknown option ${unknown.join(' ')} (known: --profile, --scaling)`);
  process.exit(2);
}
const PAIRS = Number(process.env.BENCH_PAIRS ?? 12);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'node_modules', '@playwright', 'test', 'cli.js');

/** Runs Playwright on the bench config; returns the bench reporter's results, wall time, time to first test, peak RSS. */
async function run(env, extraArgs = []) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'report.json');
  const started = Date.now();
  const child = spawn(process.execPath, [cli, 'test', '-c', 'bench/playwright.config.ts', ...extraArgs], {
    cwd: root,
    env: { ...process.env, BENCH_REPORT: out, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 200);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`the bench's playwright test exited with ${code}`);
  const results = JSON.parse(readFileSync(out, 'utf8'));
  const firstStart = Math.min(...results.map((r) => Date.parse(r.startTime)));
  return { results, wall: Date.now() - started, firstTest: firstStart - started, peakMb: peak / 1024 };
}

/** Resident memory of a process and all its descendants (browser, workers, stripe-mock), in KiB. */
function treeRss(rootPid) {
  let rows;
  try {
    rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  } catch {
    return 0;
  }
  const children = new Map();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kib]) => [pid, kib]));
  let total = 0;
  for (const stack = [rootPid]; stack.length; ) {
    const pid = stack.pop();
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** The q-quantile, linearly interpolated (q = 0.5 is the median). */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
}
const median = (xs) => quantile(xs, 0.5);
const ms = (x) => `${Math.round(x)}`;
const spread = (xs, f = ms) => `median ${f(median(xs))}, IQR ${f(quantile(xs, 0.25))}–${f(quantile(xs, 0.75))}`;

// --- Phases: the steps bench/paired.bench.ts names, and the hooks around them ---------------------

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const stepNamed = (result, title) => result.steps.find((s) => s.title === title);
const setUp = (result) => stepNamed(result, 'Before Hooks')?.duration ?? 0;
/** Set-up time spent on the browser's context and page, the part the bare run has too. */
const browserSetUp = (result) =>
  sum((stepNamed(result, 'Before Hooks')?.steps ?? []).filter((s) => s.title === 'Fixture "context"' || s.title === 'Fixture "page"').map((s) => s.duration));
const stripeMs = (result, phase) => JSON.parse(result.annotations.find((a) => a.type === 'stripe-ms')?.description ?? '{}')[phase] ?? 0;

/** [label, time of one result]: the profile's rows, in the order the scenario runs. */
const PHASES = [
  ['set-up: browser context and page', browserSetUp],
  ['set-up: stand-ins and routes', (r) => setUp(r) - browserSetUp(r)],
  ['landing page', (r) => stepNamed(r, 'landing page')?.duration ?? 0],
  ['click call', (r) => stepNamed(r, 'click call')?.duration ?? 0],
  ['tickets page, Tito render', (r) => stepNamed(r, 'tickets page, Tito render')?.duration ?? 0],
  ['checkout', (r) => stepNamed(r, 'checkout')?.duration ?? 0],
  ['  of which Stripe calls', (r) => stripeMs(r, 'checkout')],
  ['external CID', (r) => stepNamed(r, 'external CID')?.duration ?? 0],
  ['Check Now', (r) => stepNamed(r, 'Check Now')?.duration ?? 0],
  ['  of which Stripe calls', (r) => stripeMs(r, 'Check Now')],
  ['matchers', (r) => stepNamed(r, 'matchers')?.duration ?? 0],
  ['tear-down', (r) => stepNamed(r, 'After Hooks')?.duration ?? 0],
];

/** The harness's set-up, fixture by fixture: where "stand-ins and routes" goes. */
function fixtureProfile(harnessRuns) {
  const names = [...new Set(harnessRuns.flatMap((r) => (stepNamed(r, 'Before Hooks')?.steps ?? []).filter((s) => s.category === 'fixture').map((s) => s.title)))];
  const time = (r, name) => stepNamed(r, 'Before Hooks')?.steps.find((s) => s.title === name)?.duration ?? 0;
  const rows = names.map((name) => [name, median(harnessRuns.map((r) => time(r, name)))]).filter(([, t]) => t >= 1);
  console.log(`harness set-up by fixture (median ms): ${rows.map(([name, t]) => `${name.replace(/^Fixture /, '')} ${ms(t)}`).join(', ')}`);
}

function profile(pairs) {
  const rows = PHASES.map(([label, time]) => {
    const h = median(pairs.map(([harness]) => time(harness)));
    const b = median(pairs.map(([, bare]) => time(bare)));
    const f = median(pairs.map(([, , floor]) => time(floor)));
    return [label, ms(h), ms(b), `${h - b >= 0 ? '+' : ''}${ms(h - b)}`, ms(f)];
  });
  rows.push(['whole test', ...[0, 1].map((i) => ms(median(pairs.map((p) => p[i].duration)))), '', ms(median(pairs.map(([, , f]) => f.duration)))]);
  const header = ['phase (median ms)', 'harness', 'bare', 'extra', 'static'];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
  const line = (r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(r));
  fixtureProfile(pairs.map(([h]) => h));
  console.log('');
}

// --- The paired runs ---------------------------------------------------------------------------

const load = os.loadavg()[0];
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ` +
    `load average ${load.toFixed(1)}${load > os.cpus().length ? ' (busy: other processes are running)' : ''}`,
);

/** The pairs of one Playwright run: [harness result, bare result, static result], warm-up rounds left out. */
function pairsOf(results) {
  const byTitle = new Map(results.map((r) => [r.title, r]));
  const found = [];
  for (let i = 1; i <= PAIRS; i++) {
    const n = `pair ${String(i).padStart(2, '0')}`;
    const harness = byTitle.get(`${n} harness`);
    const bare = byTitle.get(`${n} bare`);
    const floor = byTitle.get(`${n} static`);
    if (harness?.status === 'passed' && bare?.status === 'passed' && floor?.status === 'passed') found.push([harness, bare, floor]);
  }
  if (found.length < PAIRS) throw new Error(`only ${found.length} of ${PAIRS} pairs passed`);
  return found;
}

/**
 * The distribution-free 95% confidence interval of the median (order statistics): [x(k), x(n+1-k)]
 * for the largest k with P(Binomial(n, ½) < k) ≤ 2.5%. On a quiet machine the first run's pairs pin
 * it within ±0.05; on a busy one, the bench runs more.
 */
function medianInterval(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  let below = 0; // P(Binomial(n, ½) < k), for k = 1, 2, …
  let k = 0;
  for (let j = 0, pj = 0.5 ** n; below + pj <= 0.025; pj *= (n - j) / (j + 1), j++) {
    below += pj;
    k = j + 1;
  }
  return k === 0 ? [s[0], s[n - 1]] : [s[k - 1], s[n - k]];
}

// Runs of PAIRS pairs until the median ratio is known within ±HOLD (95%), at most MAX_RUNS runs.
const HOLD = 0.05;
const MAX_RUNS = Number(process.env.BENCH_MAX_RUNS ?? 4);
const pairs = [];
let firstTest;
let interval;
for (let runs = 1; ; runs++) {
  const batch = await run({ BENCH_PAIRS: String(PAIRS), BENCH_WARMUP: String(WARMUP) });
  firstTest ??= batch.firstTest;
  pairs.push(...pairsOf(batch.results));
  interval = medianInterval(pairs.map(([h, b]) => h.duration / b.duration));
  const halfWidth = (interval[1] - interval[0]) / 2;
  if (halfWidth <= HOLD || runs >= MAX_RUNS) {
    console.log(
      `${pairs.length} pairs in ${runs} run${runs > 1 ? 's' : ''} (each: ${WARMUP} warm-up pairs, then ${PAIRS} pairs in one worker and one browser, ` +
        `order harness-bare-static, static-bare-harness, …)${halfWidth > HOLD ? `; the median is known to ±${halfWidth.toFixed(3)} only, not ±${HOLD}: the machine is too busy` : ''}`,
    );
    break;
  }
  process.stderr.write(`run ${runs}: median ratio known to ±${halfWidth.toFixed(2)} from ${pairs.length} pairs; more pairs\n`);
}
const ratios = pairs.map(([h, b]) => h.duration / b.duration);

console.log(`harness scenario:         ${spread(pairs.map(([h]) => h.duration))} ms`);
console.log(`bare (same browser work): ${spread(pairs.map(([, b]) => b.duration))} ms`);
console.log(`static (no script):       ${spread(pairs.map(([, , f]) => f.duration))} ms; harness / static ${spread(pairs.map(([h, , f]) => h.duration / f.duration), (x) => x.toFixed(2))}`);
console.log(
  `paired ratio (h / b):     ${spread(ratios, (x) => x.toFixed(2))}, 95% interval of the median ${interval[0].toFixed(2)}–${interval[1].toFixed(2)}, ` +
    `range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} (n=${ratios.length})`,
);
// CPU time hardly moves with the machine's load: the work each kind does, beside the time it takes.
if (pairs.every(([h, b]) => h.cpuMs !== undefined && b.cpuMs !== undefined)) {
  const cpuRatios = pairs.map(([h, b]) => h.cpuMs / Math.max(b.cpuMs, 1));
  console.log(
    `CPU (workers, Chromium, stripe-mock): harness median ${ms(median(pairs.map(([h]) => h.cpuMs)))} ms, bare ${ms(median(pairs.map(([, b]) => b.cpuMs)))} ms, ` +
      `paired ratio ${spread(cpuRatios, (x) => x.toFixed(2))}`,
  );
}

if (args.has('--profile')) profile(pairs);

if (args.has('--scaling')) {
  console.log(`time to first test (run start, config, stripe-mock, browser): ${firstTest} ms`);
  for (const [count, workers] of [[1, 1], [10, 1], [50, 1], [50, 2]]) {
    const env = { BENCH_KINDS: 'harness', BENCH_WARMUP: '0', BENCH_PAIRS: String(count) };
    const { wall, firstTest: ttf, peakMb } = await run(env, ['--workers', String(workers), ...(workers > 1 ? ['--fully-parallel'] : [])]);
    console.log(
      `${String(count).padStart(2)} scenarios, ${workers} worker${workers > 1 ? 's' : ' '}: ${wall} ms wall, ` +
        `${((wall - ttf) / count).toFixed(0)} ms per scenario after the first test starts, peak memory ${peakMb.toFixed(0)} MiB`,
    );
  }
}

console.log(`ratio: ${median(ratios).toFixed(2)}`);
