import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ConfigError, harnessConfig, projectRoot } from '../fixtures/config.ts';
import { runAttributionGate } from '../fixtures/nested-run.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import { isListedAccount, isListedEvent, parseGateConfig } from '../gate/config.ts';
import { openSite } from '../gate/site.ts';

const valid = {
  TRACKDESK_TENANT_ID: 'acme-events',
  TRACKDESK_REVENUE_ORIGIN_ID: '3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37',
  TRACKDESK_PERSONAL_TOKEN: 'td_personal_example_token',
  TITO_EVENT: 'acme-events/summit-2026',
  STRIPE_SECRET_KEY: 'sk_test_123',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseGateConfig(env, []);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

test.describe("the gate's configuration", () => {
  test('one site, on this machine, with well-formed pages and limits: every problem in one message', () => {
    expect(problemsOf({ ...valid, SITE_URL: 'https://www.summit.example', SITE_DIR: '.', SITE_PAGES: 'tickets', GATE_MAX_PAGES: '0' })).toEqual([
      expect.stringMatching(/^SITE_PAGES "tickets" is not a comma-separated list of paths such as \/,\/tickets/),
      'GATE_MAX_PAGES is 1 to 5000.',
      expect.stringMatching(/^SITE_URL and SITE_DIR are both set: the gate checks one site/),
      expect.stringMatching(/^SITE_URL "https:\/\/www\.summit\.example" is not on this machine: .*set SITE_URL_REMOTE=1/),
    ]);
  });

  test("with no TITO_EVENT of the user's own, .env.example's example event holds no storefront against the site", () => {
    const { TITO_EVENT: _, ...withoutEvent } = valid;
    const example = path.join(projectRoot, '.env.example');
    expect(parseGateConfig(withoutEvent, [example]).titoEvents).toBeNull();
    expect(parseGateConfig(valid, [example]).titoEvents).toEqual(['acme-events/summit-2026']);
    expect([isListedEvent('anyone/anything', null), isListedAccount('anyone/anything', null)]).toEqual([true, true]);
  });

  test('a preview deployment may be gated, when the user opts in with SITE_URL_REMOTE=1', () => {
    expect(parseGateConfig({ ...valid, SITE_URL: 'https://deploy-preview-42--summit.netlify.app/', SITE_URL_REMOTE: '1' }, []).site.url).toBe('https://deploy-preview-42--summit.netlify.app');
    expect(problemsOf({ ...valid, SITE_URL: 'https://deploy-preview-42--summit.netlify.app/' })).toEqual([expect.stringContaining('set SITE_URL_REMOTE=1')]);
  });

  test('SITE_DIR must be a folder; a half page limit and a start command without a URL are named', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'not-a-folder-')), 'index.html');
    writeFileSync(file, '<!doctype html>');
    expect(problemsOf({ ...valid, SITE_DIR: file, GATE_MAX_PAGES: '1.5', SITE_START_COMMAND: 'npm run preview' })).toEqual([
      `SITE_DIR "${file}" is not a folder: point it at the folder of your built HTML (e.g. dist/ or out/).`,
      'GATE_MAX_PAGES "1.5" is not a whole number of pages, e.g. 200.',
      'SITE_START_COMMAND is set without SITE_URL: name the URL the command serves the site on.',
    ]);
    expect(problemsOf({ ...valid, SITE_DIR: 'no/such/folder' })).toEqual([expect.stringMatching(/^SITE_DIR "no\/such\/folder" is not a folder/)]);
  });

  test('valid settings become a typed configuration, with the defaults', () => {
    const config = parseGateConfig({ ...valid, SITE_URL: 'http://localhost:4321/', SITE_PAGES: '/, /tickets' }, []);
    expect(config.site).toEqual({ origin: 'https://site-under-test.test', originSet: false, url: 'http://localhost:4321', dir: undefined, pages: ['/', '/tickets'], landingPages: [], pageTimeoutMs: 60_000, runTimeoutMs: 600_000, startCommand: undefined, maxPages: 200, folderRedirect: true });
    expect(config.report).toMatch(/gate-report\/gate\.json$/);
  });

  test("SITE_FOLDER_REDIRECT=off serves a folder at /x as Vercel's cleanUrls do; a bad value, or one beside SITE_URL, is named with what to do", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'folder-site-'));
    mkdirSync(path.join(dir, 'tickets'));
    writeFileSync(path.join(dir, 'tickets', 'index.html'), '<!doctype html><p>tickets</p>');
    expect(parseGateConfig({ ...valid, SITE_DIR: dir }, []).site.folderRedirect).toBe(true);
    const site = await openSite(parseGateConfig({ ...valid, SITE_DIR: dir, SITE_FOLDER_REDIRECT: 'off' }, []));
    try {
      expect((await fetch(`${site.url}/tickets`, { redirect: 'manual' })).status).toBe(200);
    } finally {
      await site.close();
    }
    expect(problemsOf({ ...valid, SITE_DIR: dir, SITE_FOLDER_REDIRECT: 'no' })).toEqual([
      `SITE_FOLDER_REDIRECT "no" is not on or off: set off if your host serves a folder's index.html at /x without redirecting to /x/ (Vercel with cleanUrls, serve), else leave it unset.`,
    ]);
    expect(problemsOf({ ...valid, SITE_URL: 'http://localhost:4321', SITE_FOLDER_REDIRECT: 'off' })).toEqual([
      'SITE_FOLDER_REDIRECT is set with SITE_URL: it says how the gate serves a folder (SITE_DIR); your own server at SITE_URL answers as it does. Unset one of them.',
    ]);
  });

  test('landing pages and the page timeout are read, and a bad one is named with how to fix it', () => {
    const config = parseGateConfig({ ...valid, SITE_LANDING_PAGES: '/speakers, /blog/launch', GATE_PAGE_TIMEOUT: '90' }, []);
    expect([config.site.landingPages, config.site.pageTimeoutMs]).toEqual([['/speakers', '/blog/launch'], 90_000]);
    expect(problemsOf({ ...valid, SITE_LANDING_PAGES: 'speakers', GATE_PAGE_TIMEOUT: '5' })).toEqual([
      expect.stringMatching(/^SITE_LANDING_PAGES "speakers" is not a comma-separated list of paths such as \/,\/speakers/),
      'GATE_PAGE_TIMEOUT is 10 to 600 seconds.',
    ]);
    expect(problemsOf({ ...valid, GATE_PAGE_TIMEOUT: '1m' })).toEqual(['GATE_PAGE_TIMEOUT "1m" is not a whole number of seconds, e.g. 60.']);
  });

  test('SITE_ORIGIN, the production origin the site is served on, is read as an origin; anything else is named with how to fix it', () => {
    expect(parseGateConfig(valid, []).site.origin).toBe('https://site-under-test.test');
    expect(parseGateConfig({ ...valid, SITE_ORIGIN: 'https://Events.Example.com/' }, []).site.origin).toBe('https://events.example.com');
    // A name that only looks like Trackdesk's, Tito's or Stripe's is the owner's own.
    for (const own of ['https://www.stride.org', 'https://tiko.events', 'https://trackdesk-summit.com', 'https://xn--bcher-kva.example']) expect(parseGateConfig({ ...valid, SITE_ORIGIN: own }, []).site.origin, own).toBe(own);
    const example = 'e.g. https://events.example.com.';
    for (const [origin, problem] of [
      ['events.example.com', `is not a URL: give your site's production origin, ${example}`],
      ['http://events.example.com', `is not https: give the https origin your visitors see (Tito's widget needs https), ${example}`],
      ['https://events.example.com/tickets', `is not an origin: give the scheme and host alone, no port, ${example}`],
      ['https://events.example.com/?a=1', `is not an origin: give the scheme and host alone, no port, ${example}`],
      ['https://127.0.0.1', `is not a public host name: give the host your visitors see, ${example}`],
      ['https://localhost', `is not a public host name: give the host your visitors see, ${example}`],
      ['https://cdn.trackdesk.com', `is a host of Trackdesk, whose stand-in the gate serves there: give your own site's origin, ${example}`],
      ['https://ti.to', `is a host of Tito, whose stand-in the gate serves there: give your own site's origin, ${example}`],
      ['https://checkout.stripe.com', `is a host of Stripe, whose stand-in the gate serves there: give your own site's origin, ${example}`],
      ['https://events.example.com.', `is not a public host name: give the host your visitors see, ${example}`],
      ['https://*.example.com', `is not a public host name: give the host your visitors see, ${example}`],
      ['https://-bad-.example.com', `is not a public host name: give the host your visitors see, ${example}`],
      ['https://a..example.com', `is not a public host name: give the host your visitors see, ${example}`],
      ['https://events.example.com:8443', `is not an origin: give the scheme and host alone, no port, ${example}`],
    ] as const) {
      expect(problemsOf({ ...valid, SITE_ORIGIN: origin }), origin).toEqual([`SITE_ORIGIN "${origin}" ${problem}`]);
    }
  });

  test("the whole run's deadline is read, and a bad one is named with how to fix it", () => {
    expect(parseGateConfig({ ...valid, GATE_RUN_TIMEOUT: '1800' }, []).site.runTimeoutMs).toBe(1_800_000);
    expect(problemsOf({ ...valid, GATE_RUN_TIMEOUT: '5' })).toEqual(['GATE_RUN_TIMEOUT is 10 to 86400 seconds.']);
    expect(problemsOf({ ...valid, GATE_RUN_TIMEOUT: '10m' })).toEqual(['GATE_RUN_TIMEOUT "10m" is not a whole number of seconds, e.g. 600.']);
  });

  test('TITO_EVENT may name several events, or a whole account', () => {
    const config = parseGateConfig({ ...valid, TITO_EVENT: 'acme-events/summit-2026, acme-events/workshop-day,city-series/*' }, []);
    const listed = config.harness.tito.events;
    expect(listed).toEqual(['acme-events/summit-2026', 'acme-events/workshop-day', 'city-series/*']);
    expect(config.harness.tito.slug).toBe('acme-events/summit-2026');
    expect([isListedEvent('acme-events/workshop-day', listed), isListedEvent('city-series/leeds', listed), isListedEvent('acme-events/other', listed)]).toEqual([true, true, false]);
    expect([isListedAccount('acme-events/other', listed), isListedAccount('someone-else/summit-2026', listed)]).toEqual([true, false]);
    expect(problemsOf({ ...valid, TITO_EVENT: 'acme-events/summit-2026,summit' })).toEqual([expect.stringMatching(/^TITO_EVENT "acme-events\/summit-2026,summit" is not account\/event/)]);
  });
});

test.describe("on a pull request, the workspace's .env is the pull request's", () => {
  /** An owner's repository: the built fixture site in dist/, and a `.env` beside it. */
  function repository(dotenv: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'owner-repo-'));
    mkdirSync(path.join(dir, 'dist'));
    for (const [at, html] of Object.entries(renderFixtureSite(configuredSite(harnessConfig())))) writeFileSync(path.join(dir, 'dist', at === '/' ? 'index.html' : `${at.slice(1)}.html`), html);
    writeFileSync(path.join(dir, '.env'), dotenv);
    return dir;
  }
  const pullRequest = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request' };
  const pagesOf = (reportDir: string) => (JSON.parse(readFileSync(path.join(reportDir, 'gate.json'), 'utf8')) as { pages: { path: string }[] }).pages.map((p) => p.path);

  test('a .env that makes the gate check one page is not read, and the output says so: on GitHub, GitLab, Netlify, Vercel', async () => {
    const builds: Record<string, string>[] = [pullRequest, { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'merge_request_event' }, { NETLIFY: 'true', PULL_REQUEST: 'true' }, { VERCEL: '1', VERCEL_GIT_PULL_REQUEST_ID: '42' }];
    for (const ci of builds) {
      const run = await runAttributionGate(['dist', '--static'], repository('GATE_MAX_PAGES=1\n'), { ...valid, ...ci });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(pagesOf(run.reportDir), JSON.stringify(ci)).toEqual(['/', '/tickets']);
      expect(run.stdout).toContain("gate: on a pull request, .env is not read: the pull request can change it. Settings come from the environment (the action's inputs, the workflow's env); GATE_TRUST_DOTENV=1 reads it anyway.");
    }
  });

  test('on a push, or with GATE_TRUST_DOTENV=1, the same .env is read', async () => {
    for (const env of [{ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push' }, { ...pullRequest, GATE_TRUST_DOTENV: '1' }]) {
      const run = await runAttributionGate(['dist', '--static'], repository('GATE_MAX_PAGES=1\n'), { ...valid, ...env });
      expect(pagesOf(run.reportDir), JSON.stringify(env)).toEqual(['/']);
      expect(run.stdout).not.toContain('is not read');
    }
  });

  test("Playwright's run of the checks (--shard) reads no .env either: one it cannot parse leaves the verdict standing", async () => {
    test.setTimeout(120_000);
    const run = await runAttributionGate(['dist', '--shard', '1/1'], repository('this line is not a setting\n'), { ...valid, ...pullRequest });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('is not read');
  });

  test('IDs given only in .env are missing there: one message that says where to give them, exit code 2', async () => {
    const run = await runAttributionGate(['dist', '--static'], repository(Object.entries(valid).map(([name, value]) => `${name}=${value}`).join('\n')), { ...pullRequest, TRACKDESK_TENANT_ID: '', TRACKDESK_REVENUE_ORIGIN_ID: '', TITO_EVENT: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('TRACKDESK_TENANT_ID');
    expect(run.stderr).toContain("Fix them in the environment (the action's inputs, or the workflow's env from repository variables): on a pull request the gate does not read .env, which the pull request can change (GATE_TRUST_DOTENV=1 reads it anyway), then run again.");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
