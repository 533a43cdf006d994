// npm run bench: the harness's cost against the bare browser work it does, on this machine.
// (a) the full attribution scenario through the harness; (b) bare Playwright on the same pages and
// form as static HTML. Several rounds; medians and spreads; then time to first test, per-test time as
// the scenario count grows (and across workers), and peak memory. The last line is `ratio: X.XX`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_ROUND = 3;
const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'node_modules', '@playwright', 'test', 'cli.js');
const HARNESS = 'attribution scenario through the harness';
const BARE = 'bare Playwright: the same pages and form as static HTML';

/** Runs Playwright on the bench config; returns the JSON report, wall time, time to first test, peak RSS. */
async function run(args, scenarios) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'report.json');
  const started = Date.now();
  const child = spawn(process.execPath, [cli, 'test', '-c', 'bench/playwright.config.ts', ...args], {
    cwd: root,
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: out, BENCH_SCENARIOS: String(scenarios) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 200);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`playwright test ${args.join(' ')} exited with ${code}`);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  const results = [];
  const walk = (suite) => {
    for (const s of suite.suites ?? []) walk(s);
    for (const spec of suite.specs ?? []) for (const t of spec.tests) for (const r of t.results) results.push({ title: spec.title, ...r });
  };
  walk(report);
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const describe = (xs) => `median ${median(xs)} ms, IQR ${quantile(xs, 0.25)}–${quantile(xs, 0.75)} ms, range ${Math.min(...xs)}–${Math.max(...xs)} ms (n=${xs.length})`;

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);

const harness = [];
const bare = [];
let firstTest;
for (let round = 1; round <= ROUNDS; round++) {
  // Alternate which goes first, so neither always gets the warm worker.
  const files = round % 2 ? ['attribution.bench.ts', 'bare.bench.ts'] : ['bare.bench.ts', 'attribution.bench.ts'];
  const { results, firstTest: ttf } = await run([...files, '--workers', '1'], PER_ROUND);
  firstTest ??= ttf;
  harness.push(...results.filter((r) => r.title.startsWith(HARNESS)).map((r) => r.duration));
  bare.push(...results.filter((r) => r.title.startsWith(BARE)).map((r) => r.duration));
  process.stderr.write(`round ${round}/${ROUNDS} done\n`);
}

console.log(`(a) harness scenario: ${describe(harness)}`);
console.log(`(b) bare Playwright:  ${describe(bare)}`);
console.log(`time to first test (run start, config, stripe-mock, browser): ${firstTest} ms`);

for (const [count, workers] of [[1, 1], [10, 1], [50, 1], [50, 2]]) {
  const { wall, firstTest: ttf, peakMb } = await run(['attribution.bench.ts', '--workers', String(workers)], count);
  const perScenario = ((wall - ttf) / count).toFixed(0);
  console.log(
    `${String(count).padStart(2)} scenarios, ${workers} worker${workers > 1 ? 's' : ' '}: ${wall} ms wall, ${perScenario} ms per scenario after the first test starts, peak memory ${peakMb.toFixed(0)} MiB`,
  );
}

console.log(`ratio: ${(median(harness) / median(bare)).toFixed(2)}`);
