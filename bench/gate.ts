/**
 * `npm run bench:gate`: the gate against the floor, whole processes, side by side on this machine.
 *
 *   floor   one Chromium that opens each page of the site once (bench/floor.mjs), nothing else;
 *   gate    `attribution-gate <folder>`, every page click-checked and the ticket page bought on.
 *
 * Both run two ways: compiled (dist/, as the installed package runs, after `npm run build`) and from
 * the TypeScript through tsx (as `npm run gate` runs in this repository). On a correct 4-page site (the
 * fixture site's / and /tickets, and two more pages with the click tracker) and on a 50-page copy of it.
 * Runs are interleaved and paired (floor, gate; then gate, floor), so whatever slows the machine down
 * slows both halves of a pair; each figure is the median of the paired ratios gate / floor, with the
 * median times beside it and where the compiled gate's time goes (the `phases` of its gate.json).
 * BENCH_GATE_ROUNDS (3) pairs per site and way. Exit code 0 unless a run fails.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { harnessConfig, projectRoot } from '../fixtures/config.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';

const ROUNDS = Number(process.env.BENCH_GATE_ROUNDS ?? 3);
const config = harnessConfig();

/** The fixture site with `extra` more pages, each linked from / and carrying the click tracker. */
function site(extra: number): { dir: string; pages: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-gate-site-'));
  const fixture = renderFixtureSite(configuredSite(config));
  const names = Array.from({ length: extra }, (_, i) => `info-${i + 1}`);
  const home = fixture['/']!.replace('</body>', `<ul>${names.map((n) => `<li><a href="/${n}">${n}</a></li>`).join('')}</ul></body>`);
  writeFileSync(path.join(dir, 'index.html'), home);
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);
  for (const name of names) writeFileSync(path.join(dir, `${name}.html`), fixture['/']!.replace('<h1', `<p>${name}</p><h1`));
  return { dir, pages: ['/', '/tickets', ...names.map((n) => `/${n}`)] };
}

async function timed(args: string[], env: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  await promisify(execFile)(process.execPath, args, { cwd: projectRoot, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return (performance.now() - started) / 1000;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Way {
  name: string;
  floor: (dir: string, pages: string[]) => Promise<number>;
  gate: (dir: string, report: string) => Promise<number>;
}

const floorScript = path.join(projectRoot, 'bench', 'floor.mjs');
const WAYS: Way[] = [
  {
    name: 'compiled',
    floor: (dir, pages) => timed([floorScript, dir, ...pages]),
    gate: (dir, report) => timed([path.join(projectRoot, 'dist', 'gate', 'cli.js'), dir, '--report', report, '--output', path.dirname(report)]),
  },
  {
    name: 'through tsx',
    floor: (dir, pages) => timed(['--import', 'tsx', floorScript, dir, ...pages], { FLOOR_FROM: 'source' }),
    gate: (dir, report) => timed([path.join(projectRoot, 'bin', 'attribution-gate.js'), dir, '--report', report, '--output', path.dirname(report)]),
  },
];

async function bench(name: string, extra: number): Promise<void> {
  const { dir, pages } = site(extra);
  const report = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-gate-report-')), 'gate.json');
  const pairs = new Map<string, { floor: number; gate: number }[]>(WAYS.map((w) => [w.name, []]));
  const phases: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const way of WAYS) {
      const pair = { floor: 0, gate: 0 };
      if (round % 2 === 0) {
        pair.floor = await way.floor(dir, pages);
        pair.gate = await way.gate(dir, report);
      } else {
        pair.gate = await way.gate(dir, report);
        pair.floor = await way.floor(dir, pages);
      }
      pairs.get(way.name)!.push(pair);
      const written = JSON.parse(readFileSync(report, 'utf8')) as { verdict: string; phases: Record<string, number> };
      if (written.verdict !== 'passed') throw new Error(`the gate (${way.name}) did not pass the correct ${name}: ${written.verdict}`);
      if (way.name === 'compiled') for (const [phase, seconds] of Object.entries(written.phases)) (phases[phase] ??= []).push(seconds);
    }
  }
  for (const [way, done] of pairs) {
    const ratio = median(done.map((p) => p.gate / p.floor));
    console.log(`${name} (${pages.length} pages), ${way}: floor ${median(done.map((p) => p.floor)).toFixed(2)} s, gate ${median(done.map((p) => p.gate)).toFixed(2)} s, ratio ${ratio.toFixed(2)} (median of ${ROUNDS} pairs)`);
  }
  console.log(`  the compiled gate's phases (median s): ${Object.entries(phases).map(([phase, s]) => `${phase} ${median(s).toFixed(2)}`).join(', ')}`);
}

execFileSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, stdio: 'inherit' });
await bench('4-page site', 2);
await bench('50-page site', 48);
