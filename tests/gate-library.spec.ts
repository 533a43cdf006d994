/**
 * The gate as a library (gate/gate.ts, the package's openGate and checkSite): what the CLI does, in the
 * caller's process, with its settings given as options, and every mistake one error that says what to do.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from '@playwright/test';
import { ConfigError, harnessConfig, projectRoot } from '../fixtures/config.ts';
import { expect, test } from '../fixtures/gate-run.ts';
import { outerStripeMock } from '../fixtures/nested-run.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import { parseGateConfig } from '../gate/config.ts';
import { checkSite, GateCannotRun, openGate, startGate } from '../gate/gate.ts';
import type { CheckOutcome } from '../gate/run-checks.ts';

const config = harnessConfig();

/** The fixture site as a folder of built HTML; `change` rewrites its pages. */
function builtSite(change: (pages: Record<string, string>) => Record<string, string> = (p) => p): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'library-site-'));
  for (const [at, html] of Object.entries(change(renderFixtureSite(configuredSite(config))))) writeFileSync(path.join(dir, at === '/' ? 'index.html' : `${at.slice(1)}.html`), html);
  return dir;
}

test('checkSite() gates one site with a gate of its own: the correct fixture site passes, every check told as it ends', async () => {
  const told: CheckOutcome[] = [];
  const planned: string[][] = [];
  const { verdict, plan } = await checkSite(
    { siteDir: builtSite(), env: outerStripeMock() },
    { onCheck: (check) => told.push(check), onPlanned: (p) => planned.push(p.pages.map((page) => page.path)) },
  );
  expect(verdict).toMatchObject({ ok: true, verdict: 'passed', exitCode: 0 });
  expect(planned).toEqual([['/', '/tickets']]);
  expect(plan.journeys.map((j) => j.stops.map((s) => s.page))).toEqual([['/', '/tickets'], ['/tickets']]);
  expect(plan.journeys.map((j) => j.returning ?? false)).toEqual([false, true]);
  // A visit of each page and the journeys (by a link, the buyer who comes back), each told once.
  expect(told.map((c) => c.record.kind).sort()).toEqual(['click', 'journey', 'journey', 'registration']);
});

test("once checkSite() returns, nothing of the gate's keeps the caller's process alive: no timer, socket or child left", async () => {
  // Reported by the process itself, right after the call: what Node would still wait on before exiting.
  const code = `
    import { checkSite } from ${JSON.stringify(path.join(projectRoot, 'gate', 'gate.ts'))};
    const { verdict } = await checkSite({ siteDir: ${JSON.stringify(builtSite())} });
    process.stdout.write(JSON.stringify({ verdict: verdict.verdict, left: process.getActiveResourcesInfo() }));
    process.exit(0);`;
  const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: projectRoot, env: { ...process.env, ...outerStripeMock() }, timeout: 120_000 });
  const { verdict, left } = JSON.parse(run.stdout) as { verdict: string; left: string[] };
  expect(verdict).toBe('passed');
  // The process's own stdout and stderr are all there may be.
  expect(left.filter((resource) => !['TTYWrap', 'PipeWrap'].includes(resource))).toEqual([]);
});

test("one gate checks site after site: each gets its own verdict, a wrong tenant on one page named there", async ({ gate }) => {
  const wrong = await gate.check({ siteDir: builtSite((pages) => ({ ...pages, '/tickets': pages['/tickets']!.replaceAll(`"${config.trackdesk.tenantId}"`, '"someone-else"') })) });
  const right = await gate.check({ siteDir: builtSite() });
  expect(wrong.verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`)).toContain('TENANT_MISMATCH /tickets');
  expect(wrong.verdict.exitCode).toBe(1);
  expect(right.verdict.exitCode).toBe(0);
});

test.describe("in a caller's Playwright suite, whose `use` sets what the gate's contexts leave unset", () => {
  // Playwright's runner hands a test's options to every context the process opens while the test runs.
  test.use({ javaScriptEnabled: false, extraHTTPHeaders: { 'x-caller': 'theirs' } });

  test("the gate's visitor is still a fresh visitor's browser: the correct site passes", async ({ gate }) => {
    const run = await gate.check({ siteDir: builtSite() });
    expect(run.verdict.verdict, run.verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n')).toBe('passed');
  });
});

test('a failed check that took half its deadline keeps its screenshot and journey but is not run again for a trace: the run keeps to its deadlines', async ({ gate }) => {
  test.setTimeout(150_000);
  // The landing page queues its click but never loads tracking.js, and polls the network so it never goes quiet: each
  // check of it waits out the quiet budget (10 s) and the late-script grace (5 s) before it fails. Those waits are the
  // clock's, not the machine's: the journey takes 15 s and more, the visit of the landing page 20 s (it is then read for
  // discovery); past half of a 28 s deadline on any machine, within it, and within 60 s.
  const poll = `<script>setInterval(function () { fetch('/?poll=' + Date.now()).catch(function () {}); }, 200);</script>`;
  const site = builtSite((pages) => ({ ...pages, '/': pages['/']!.replace('<script async src="//cdn.trackdesk.com/tracking.js"></script>', '').replace('</head>', `${poll}</head>`) }));
  const traced = async (deadline: string) => {
    const output = mkdtempSync(path.join(os.tmpdir(), 'failure-'));
    const run = await gate.check({ siteDir: site, env: { GATE_PAGE_TIMEOUT: deadline } }, { output });
    const story = run.verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
    expect(run.verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`), story).toContain('CLICK_NOT_TRACKED /');
    expect(story).not.toContain('CHECK_CUT_OFF');
    const kept = readdirSync(output).filter((name) => existsSync(path.join(output, name, 'journey.txt')));
    expect(kept.length, story).toBeGreaterThan(0);
    return kept.filter((name) => existsSync(path.join(output, name, 'trace.zip'))).length;
  };
  expect(await traced('28')).toBe(0);
  expect(await traced('60')).toBeGreaterThan(0);
});

test('a check that fails once the visitor left its page keeps its journey and no screenshot of the empty page it left for', async ({ gate }) => {
  const output = mkdtempSync(path.join(os.tmpdir(), 'left-failure-'));
  // The click's cookie cut to 30 s as the visitor leaves: found only once the page is left.
  const cut = `<script>addEventListener('pagehide', function () { var c = document.cookie.split('; ').find(function (x) { return x.indexOf('trakdesk_cid=') === 0; }); if (c) document.cookie = c + '; max-age=30; path=/'; });</script>`;
  const run = await gate.check({ siteDir: builtSite((pages) => ({ ...pages, '/': pages['/']!.replace('</head>', `${cut}</head>`) })) }, { output, traces: 0 });
  const story = run.verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  expect(run.verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`), story).toEqual(expect.arrayContaining(['CLICK_COOKIE_SHORT /']));
  // The check of / itself (the journey that goes on to /tickets fails there, on a page, and keeps its screenshot).
  const kept = readdirSync(output).filter((name) => name.startsWith('affiliate-visit-to-') && existsSync(path.join(output, name, 'journey.txt')));
  expect(kept.length, story).toBeGreaterThan(0);
  expect(kept.filter((name) => existsSync(path.join(output, name, 'screenshot.png'))), story).toEqual([]);
});

test('the contexts of a run close behind its verdict: site after site, the browser keeps none of them', async () => {
  const env = outerStripeMock();
  const gate = startGate(parseGateConfig({ ...process.env, ...env }).harness, env);
  try {
    const browser = await gate.browser;
    expect(browser).not.toBeInstanceOf(Error);
    for (let run = 0; run < 2; run++) expect((await gate.check({ siteDir: builtSite() })).verdict.verdict).toBe('passed');
    await expect.poll(() => (browser as Browser).contexts().length).toBe(0);
  } finally {
    await gate.close();
  }
});

test("many checks at once warn nothing on the caller's process", async ({ gate }) => {
  const more = Array.from({ length: 14 }, (_, i) => `info-${i + 1}`);
  const site = builtSite((pages) => ({
    ...pages,
    '/': pages['/']!.replace('</body>', `${more.map((p) => `<a href="/${p}">${p}</a>`).join(' ')}</body>`),
    ...Object.fromEntries(more.map((p) => [`/${p}`, pages['/']!])),
  }));
  const warnings: string[] = [];
  const warned = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', warned);
  try {
    const { verdict } = await gate.check({ siteDir: site }, { workers: 16 });
    expect(verdict.verdict).toBe('passed');
  } finally {
    process.off('warning', warned);
  }
  expect(warnings).toEqual([]);
});

test('an abort ends the run at once: a harness fault that says so, never a verdict on the site', async ({ gate }) => {
  const abort = new AbortController();
  const run = gate.check({ siteDir: builtSite() }, { signal: abort.signal, onCheck: () => abort.abort() });
  const { verdict } = await run;
  expect(verdict).toMatchObject({ ok: false, verdict: 'harness fault', exitCode: 2 });
  expect(verdict.findings.map((f) => f.message)).toContain('the run was interrupted before every check ended');
});

test("settings given to openGate() are every check's, under the site's own", async () => {
  // The fixture site names the tenant of .env.example; a gate opened for another tenant must fail it.
  const gate = await openGate({ env: { ...outerStripeMock(), TRACKDESK_TENANT_ID: 'someone-else' } });
  try {
    const theirs = await gate.check({ siteDir: builtSite() });
    expect(theirs.verdict.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toContain('TENANT_MISMATCH');
    const ours = await gate.check({ siteDir: builtSite(), env: { TRACKDESK_TENANT_ID: config.trackdesk.tenantId } });
    expect(ours.verdict.exitCode).toBe(0);
  } finally {
    await gate.close();
  }
});

test("a caller's callback that throws fails the check once its checks have ended, and leaves none running", async ({ gate }) => {
  const attempt = gate.check({ siteDir: builtSite() }, { onCheck: () => { throw new Error('the caller broke'); } });
  await expect(attempt).rejects.toThrow('the caller broke');
  // The same gate serves the next check.
  expect((await gate.check({ siteDir: builtSite() }, { workers: 0 })).verdict.exitCode, 'workers: 0 is one at a time').toBe(0);
});

test('a bad setting is one ConfigError naming it', async () => {
  const attempt = openGate({ env: { TRACKDESK_TENANT_ID: 'Not A Slug', STRIPE_SECRET_KEY: 'sk_live_abc' } });
  await expect(attempt).rejects.toThrow(ConfigError);
  await expect(attempt).rejects.toThrow(/TRACKDESK_TENANT_ID "Not A Slug" is not a tenant slug[\s\S]*STRIPE_SECRET_KEY is a live-mode key/);
});

test("an origin that cannot be the site's is one ConfigError naming the option, before any page opens", async ({ gate }) => {
  const attempt = gate.check({ siteDir: builtSite(), origin: 'https://cdn.trackdesk.com' });
  await expect(attempt).rejects.toThrow(ConfigError);
  await expect(attempt).rejects.toThrow(`  - origin "https://cdn.trackdesk.com" is a host of Trackdesk, whose stand-in the gate serves there: give your own site's origin, e.g. https://events.example.com.\n`);
});

test('a site that is not there is one message that says what to do: a folder that is none, a url that does not answer', async ({ gate }) => {
  const folder = path.join(os.tmpdir(), 'no-such-site-folder');
  const noFolder = gate.check({ siteDir: folder });
  await expect(noFolder).rejects.toThrow(ConfigError);
  await expect(noFolder).rejects.toThrow(
    `The harness configuration (gate.check() options, environment, then .env.example) has 1 problem:\n  - siteDir "${folder}" is not a folder: point it at the folder of your built HTML (e.g. dist/ or out/).\nFix them in the options of gate.check(), in .env or in the environment, then run again.`,
  );
  const closed = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const attempt = gate.check({ siteUrl: `http://127.0.0.1:${closed}` });
  await expect(attempt).rejects.toThrow(GateCannotRun);
  await expect(attempt).rejects.toThrow(`The site at http://127.0.0.1:${closed} does not answer: start it (e.g. npm run preview), or set SITE_START_COMMAND so the gate does.`);
});
