/**
 * `npm run bench:gate`: the gate against the floor, whole processes, side by side on this machine.
 *
 *   floor   one Chromium that opens each page of the site once (bench/floor.ts), nothing else;
 *   gate    `attribution-gate <folder>`, every page click-checked and the ticket page bought on.
 *
 * On a correct 4-page site (the fixture site's / and /tickets, and two more pages with the click
 * tracker) and on a 50-page copy of it. Runs are interleaved and paired (floor, gate; then gate, floor),
 * so whatever slows the machine down slows both halves of a pair; the figure is the median of the
 * paired ratios gate / floor, with the median times beside it and where the gate's time goes (the
 * `phases` of its gate.json). BENCH_GATE_ROUNDS (3) pairs per site. Exit code 0 unless a run fails.
 */
import { execFile } from 'node:child_process';
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

async function timed(file: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  await promisify(execFile)(file, args, { cwd: projectRoot, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return (performance.now() - started) / 1000;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function bench(name: string, extra: number): Promise<void> {
  const { dir, pages } = site(extra);
  const report = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-gate-report-')), 'gate.json');
  const floor = () => timed(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench', 'floor.ts'), dir, ...pages]);
  const gate = () => timed(process.execPath, [path.join(projectRoot, 'bin', 'attribution-gate.js'), dir, '--report', report, '--output', path.dirname(report)]);
  const pairs: { floor: number; gate: number }[] = [];
  const phases: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const pair = { floor: 0, gate: 0 };
    if (round % 2 === 0) {
      pair.floor = await floor();
      pair.gate = await gate();
    } else {
      pair.gate = await gate();
      pair.floor = await floor();
    }
    pairs.push(pair);
    for (const [phase, seconds] of Object.entries((JSON.parse(readFileSync(report, 'utf8')) as { phases: Record<string, number> }).phases)) (phases[phase] ??= []).push(seconds);
  }
  const ratio = median(pairs.map((p) => p.gate / p.floor));
  console.log(`${name} (${pages.length} pages): floor ${median(pairs.map((p) => p.floor)).toFixed(1)} s, gate ${median(pairs.map((p) => p.gate)).toFixed(1)} s, ratio ${ratio.toFixed(2)} (median of ${ROUNDS} pairs)`);
  console.log(`  the gate's phases (median s): ${Object.entries(phases).map(([phase, s]) => `${phase} ${median(s).toFixed(1)}`).join(', ')}`);
}

await bench('4-page site', 2);
await bench('50-page site', 48);
