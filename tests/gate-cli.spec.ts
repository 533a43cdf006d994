/**
 * `npx attribution-gate [folder | url] [flags]`, as a site owner runs it from their own folder: the
 * package's launcher, flags that stand for the gate's settings, and a command line the gate cannot read
 * refused in one message before anything starts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { harnessConfig, projectRoot } from '../fixtures/config.ts';
import { outerStripeMock, runAttributionGate } from '../fixtures/nested-run.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import { parseGateArgs } from '../gate/cli-args.ts';
import { parseGateConfig } from '../gate/config.ts';
import type { GateVerdict } from '../gate/judge.ts';

const config = harnessConfig();
/** A site owner's folder, with their IDs in its `.env` as the README asks. */
function ownFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'site-owner-'));
  const ids = { TRACKDESK_TENANT_ID: config.trackdesk.tenantId, TRACKDESK_REVENUE_ORIGIN_ID: config.trackdesk.revenueOriginId, TITO_EVENT: config.tito.events.join(',') };
  writeFileSync(path.join(folder, '.env'), Object.entries(ids).map(([name, value]) => `${name}=${value}\n`).join(''));
  return folder;
}
/** A stack trace's frames, which a command line the gate refuses must never print. */
const STACK_FRAME = /^\s+at /m;

/** The fixture site built into `<cwd>/dist`, with `edit` applied to its pages. */
function builtSite(cwd: string, edit: (pages: Record<string, string>) => Record<string, string> = (p) => p): void {
  const dist = path.join(cwd, 'dist');
  mkdirSync(dist);
  for (const [page, html] of Object.entries(edit(renderFixtureSite(configuredSite(config))))) {
    writeFileSync(path.join(dist, page === '/' ? 'index.html' : `${page.slice(1)}.html`), html);
  }
}

test.describe('attribution-gate, the command', () => {
  test.describe.configure({ timeout: 120_000 });

  test('--help shows every flag beside its environment variable, the exit codes and an example', async () => {
    const run = await runAttributionGate(['--help'], ownFolder());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: attribution-gate \[folder \| url\] \[flags\]/);
    for (const [flag, env] of [['folder', 'SITE_DIR'], ['url', 'SITE_URL'], ['--pages /a,/b', 'SITE_PAGES'], ['--landing-pages', 'SITE_LANDING_PAGES'], ['--start', 'SITE_START_COMMAND'], ['--origin https://host', 'SITE_ORIGIN'], ['--folder-redirect on|off', 'SITE_FOLDER_REDIRECT'], ['--report file', 'GATE_REPORT'], ['--shard N/M', 'GATE_SHARD'], ['--max-pages N', 'GATE_MAX_PAGES'], ['--page-timeout S', 'GATE_PAGE_TIMEOUT'], ['--run-timeout S', 'GATE_RUN_TIMEOUT']] as const) {
      expect(run.stdout, flag).toMatch(new RegExp(`^  ${flag.replace(/[|/]/g, '\\$&')} .* ${env}$`, 'm'));
    }
    for (const flag of ['--static', '--help', '--version']) expect(run.stdout).toMatch(new RegExp(`^  ${flag} `, 'm'));
    expect(run.stdout).toContain('Exit codes: 0 passed, 1 attribution breaks');
    expect(run.stdout).toContain('2 could not run');
    expect(run.stdout).toContain('  npx attribution-gate dist --pages /tickets\n');
  });

  test("--version is the package's version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    const run = await runAttributionGate(['--version'], ownFolder());
    expect([run.code, run.stdout]).toEqual([0, `${version}\n`]);
  });

  test('an unknown flag is one message naming it, exit code 2, and nothing is started', async () => {
    const run = await runAttributionGate(['dist', '--headed'], ownFolder());
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('unknown flag --headed: see attribution-gate --help for the flags it takes.');
    expect(run.stdout).toBe('');
    expect(existsSync(path.join(run.reportDir, 'gate.json')), 'no report: the gate never started').toBe(false);
  });

  for (const [args, problem] of [
    [['--shard', '4/3'], '--shard "4/3" is not a shard: N/M counts from 1/M to M/M.'],
    [['--shard', 'first'], '--shard "first" is not N/M, e.g. 1/3 (the first of three shards).'],
    [['--max-pages', 'all'], '--max-pages "all" is not a whole number of pages, e.g. 200.'],
    [['--run-timeout', '5'], '--run-timeout is 10 to 86400 seconds.'],
    [['--origin', 'http://events.example.com'], '--origin "http://events.example.com" is not https: give the https origin your visitors see (Tito\'s widget needs https), e.g. https://events.example.com.'],
    [['no-such-dist'], '"no-such-dist" is not a folder: point it at the folder of your built HTML (e.g. dist/ or out/).'],
  ] as const) {
    test(`${args.join(' ')} is one message naming it, exit code 2, no stack trace`, async () => {
      const run = await runAttributionGate([...args, '--static'], ownFolder());
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`has 1 problem:\n  - ${problem}\nFix them on the command line`);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stdout).toBe('');
    });
  }

  test('a folder relative to the current directory is gated, flags winning over the environment', async () => {
    const cwd = ownFolder();
    builtSite(cwd);
    const run = await runAttributionGate(['dist', '--pages', '/tickets', '--report', 'out/gate.json', '--static'], cwd, { SITE_DIR: '/no/such/folder', SITE_PAGES: 'tickets' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('gate: the built site in dist: 2 page(s) found and audited');
    expect((JSON.parse(readFileSync(path.join(cwd, 'out', 'gate.json'), 'utf8')) as GateVerdict).verdict).toBe('passed');
  });

  test('a wrong tenant on one page of that folder: exit code 1, naming the page', async () => {
    const cwd = ownFolder();
    builtSite(cwd, (pages) => ({ ...pages, '/tickets': pages['/tickets']!.replaceAll(`trackdesk("${config.trackdesk.tenantId}"`, 'trackdesk("someone-else"') }));
    const run = await runAttributionGate(['dist', '--static'], cwd);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const report = JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`)).toEqual(expect.arrayContaining(['TENANT_MISMATCH /tickets']));
    expect([...new Set(report.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`))].filter((f) => !f.endsWith(' /tickets'))).toEqual([]);
    expect(run.stdout).toMatch(/✗ \/tickets/);
  });

  test('a failed browser check keeps its trace, screenshot and journey, named in the output; passed ones keep none; --html gives the same verdict with Playwright\'s HTML report', async () => {
    test.setTimeout(180_000);
    const cwd = ownFolder();
    builtSite(cwd, (pages) => ({ ...pages, '/tickets': pages['/tickets']!.replace('trackdesk("', 'trackdesk.stub("') }));
    const run = await runAttributionGate(['dist', '--workers', '4'], cwd);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('browser checks, 4 at a time');
    const kept = readdirSync(run.reportDir).filter((name) => existsSync(path.join(run.reportDir, name, 'trace.zip')));
    expect(kept.length, 'a folder per failed check').toBeGreaterThan(0);
    expect(kept.every((name) => name.includes('tickets')), `only /tickets' checks failed: ${kept.join(', ')}`).toBe(true);
    for (const name of kept) {
      expect(readdirSync(path.join(run.reportDir, name)).sort()).toEqual(['journey.txt', 'screenshot.png', 'trace.zip']);
      expect(run.stdout).toContain(`trace: npx playwright show-trace ${path.relative(cwd, path.join(run.reportDir, name, 'trace.zip'))}`);
      // The trace is the check run once more, in a context that records one; the verdict is the first run's.
      expect(readFileSync(path.join(run.reportDir, name, 'journey.txt'), 'utf8')).toContain('trace.zip: the check run once more, recording a trace; it failed again.');
    }
    const errors = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'gate.json'), 'utf8')) as GateVerdict).findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`).sort();

    const temporary = mkdtempSync(path.join(os.tmpdir(), 'gate-temporary-'));
    const html = await runAttributionGate(['dist', '--html'], cwd, { TMPDIR: temporary });
    expect(html.code, html.stdout + html.stderr).toBe(1);
    expect(errors(html.reportDir)).toEqual(errors(run.reportDir));
    expect(existsSync(path.join(html.reportDir, 'html', 'index.html')), "Playwright's HTML report").toBe(true);
    // The plan the checks' run read is gone with it: only caches stay (Chromium's guard, compiled TypeScript).
    expect(readdirSync(temporary).filter((name) => !/^(attribution-gate-chromium|playwright-transform-cache|tsx)-/.test(name))).toEqual([]);
  });

  test("a folder named checks beside --report gate.json is the user's own: the gate leaves it as it was", () => {
    const cwd = ownFolder();
    builtSite(cwd);
    mkdirSync(path.join(cwd, 'checks'));
    writeFileSync(path.join(cwd, 'checks', 'mine.txt'), 'the user\'s file');
    // No --output: the failed checks' folder is the default one, checks/ beside the report.
    const run = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'attribution-gate.js'), 'dist', '--report', 'gate.json'], { cwd, encoding: 'utf8', env: { ...process.env, GITHUB_ACTIONS: '', GATE_REPORT: '', ...outerStripeMock() } });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(readdirSync(path.join(cwd, 'checks'))).toEqual(['mine.txt']);
  });

  test('CI shards, each with --shard N/2, merged with --merge: one verdict naming the broken page, as one run gives', async () => {
    test.setTimeout(240_000);
    const cwd = ownFolder();
    builtSite(cwd, (pages) => ({ ...pages, '/tickets': pages['/tickets']!.replaceAll(`trackdesk("${config.trackdesk.tenantId}"`, 'trackdesk("someone-else"') }));
    const blobs = path.join(cwd, 'all-blobs');
    mkdirSync(blobs);
    // Downloaded as CI artifacts are: one shard's report in a folder of its own (shard-1/blob/), the other's beside it.
    for (const [shard, folder] of [['1/2', path.join(blobs, 'shard-1', 'blob')], ['2/2', blobs]] as const) {
      const run = await runAttributionGate(['dist', '--shard', shard], cwd);
      expect(run.code, run.stdout + run.stderr).toBeLessThan(2);
      mkdirSync(folder, { recursive: true });
      for (const blob of readdirSync(path.join(run.reportDir, 'blob'))) renameSync(path.join(run.reportDir, 'blob', blob), path.join(folder, blob));
    }
    expect(readdirSync(blobs, { recursive: true }).filter((name) => String(name).endsWith('.zip'))).toHaveLength(2);
    const whole = await runAttributionGate(['dist'], cwd);

    // On GitHub Actions: the shards annotated their findings, so the merge writes the summary and outputs only.
    const github = mkdtempSync(path.join(os.tmpdir(), 'github-step-'));
    const [summary, output] = [path.join(github, 'summary.md'), path.join(github, 'output.txt')];
    const merged = await runAttributionGate(['--merge', 'all-blobs', '--report', 'merged/gate.json'], cwd, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output });
    expect(merged.code, merged.stdout + merged.stderr).toBe(1);
    expect(merged.stdout).not.toMatch(/^::(error|warning) /m);
    expect(readFileSync(summary, 'utf8')).toContain('## ❌ Attribution gate: failed');
    expect(readFileSync(output, 'utf8')).toBe('verdict=failed\nexit-code=1\n');
    const verdictIn = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'gate.json'), 'utf8')) as GateVerdict;
    const [one, shards] = [verdictIn(whole.reportDir), verdictIn(path.join(cwd, 'merged'))];
    const errors = (v: GateVerdict) => v.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`).sort();
    expect(errors(shards)).toEqual(errors(one));
    expect(errors(shards)).toContain('TENANT_MISMATCH /tickets');
    expect(shards.summary).toEqual(one.summary);
    expect(existsSync(path.join(cwd, 'merged', 'html', 'index.html')), "the merged HTML report").toBe(true);
  });

  for (const given of ['nothing-here', '.env'] as const) {
    test(`--merge ${given} (no folder of blob reports) is one message saying which folder to give, exit code 2`, async () => {
      const cwd = ownFolder();
      const run = await runAttributionGate(['--merge', given], cwd);
      expect([run.code, run.stderr.trim()]).toEqual([2, `--merge ${path.join(cwd, given)} holds no blob report: give it the folder the shards' gate-report/blob folders were downloaded into.`]);
    });
  }
});

test.describe('the command line, read', () => {
  const valid = {
    TRACKDESK_TENANT_ID: 'acme-events',
    TRACKDESK_REVENUE_ORIGIN_ID: '3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37',
    TRACKDESK_PERSONAL_TOKEN: 'td_personal_example_token',
    TITO_EVENT: 'acme-events/summit-2026',
    STRIPE_SECRET_KEY: 'sk_test_123',
  };

  test('a url replaces the environment\'s folder; --shard and --workers go to the browser checks', () => {
    const { commandLine } = parseGateArgs(['http://localhost:4321/', '--shard', '2/3', '--workers', '1'], '/anywhere');
    const gate = parseGateConfig({ ...valid, SITE_DIR: '.', GATE_SHARD: '1/3' }, [], commandLine);
    expect([gate.site.url, gate.site.dir, gate.checks]).toEqual(['http://localhost:4321', undefined, { shard: '2/3', workers: '1' }]);
  });

  test('a folder and a report on the command line start at the current directory, and so does the environment\'s SITE_DIR', () => {
    const cwd = ownFolder();
    mkdirSync(path.join(cwd, 'dist'));
    const gate = parseGateConfig(valid, [], parseGateArgs(['dist', '--report', 'gate.json'], cwd).commandLine);
    expect([gate.site.dir, gate.report]).toEqual([path.join(cwd, 'dist'), path.join(cwd, 'gate.json')]);
    expect(parseGateConfig({ ...valid, SITE_DIR: 'gate' }, []).site.dir).toBe(path.join(process.cwd(), 'gate'));
  });
});
