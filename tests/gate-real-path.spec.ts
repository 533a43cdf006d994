/**
 * `npm run gate` gives its verdict only on what tracking.js really sent: a site that calls Trackdesk's
 * endpoints itself, with no tracking.js, fails with exit code 1 and says so, where the correct fixture
 * site passes. gate-catalogue.spec.ts proves the same sites' exact findings, check by check.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { harnessConfig } from '../fixtures/config.ts';
import { runGate } from '../fixtures/nested-run.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import type { GateVerdict } from '../gate/judge.ts';
import { MISTAKES, type Pages } from '../gate/mistakes.ts';

const config = harnessConfig();

/** The fixture site, with `edit` applied, as a folder of built HTML. */
function siteDir(edit: (pages: Pages) => Pages = (p) => p): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'real-path-site-'));
  for (const [page, html] of Object.entries(edit(renderFixtureSite(configuredSite(config))))) {
    writeFileSync(path.join(dir, page === '/' ? 'index.html' : `${page.slice(1)}.html`), html);
  }
  return dir;
}

const forgery = (name: string) => MISTAKES.find((m) => m.name.startsWith(name))!;

async function gate(dir: string) {
  const run = await runGate(['--workers', '1'], { SITE_DIR: dir });
  const raw = readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8');
  const report = JSON.parse(raw) as GateVerdict;
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  return { code: run.code, raw, report, story, output: run.stdout + run.stderr };
}

test.describe('npm run gate: verdicts only through the real tracking.js', () => {
  test.describe.configure({ timeout: 180_000 });

  const forgeries = [
    { name: 'no tracking.js: the page posts the click', what: 'a click posted with fetch() and the cookie written by hand' },
    { name: "no tracking.js: the page's own window.trackdesk", what: "the page's own window.trackdesk function" },
  ];
  for (const { name, what } of forgeries) {
    test(`${what}: exit 1, naming the call that did not come from tracking.js`, async () => {
      const entry = forgery(name);
      const run = await gate(siteDir((pages) => entry.apply(pages, config.trackdesk)));

      expect(run.code, run.story).toBe(1);
      const errors = run.report.findings.filter((f) => f.severity === 'error');
      expect(errors.map((f) => `${f.code} ${f.page}`).sort(), run.story).toEqual(['NOT_FROM_TRACKING_JS /', 'NOT_FROM_TRACKING_JS /tickets']);
      for (const error of errors) {
        expect(error.message).toContain("A click reached Trackdesk, but not from tracking.js (//cdn.trackdesk.com/tracking.js): the page called Trackdesk's endpoint itself");
        expect(error.message).toContain('in production no click would be made');
        expect(error.message).toContain('No tracking.js from cdn.trackdesk.com ran on this page.');
      }
      expect(run.output).toContain('NOT_FROM_TRACKING_JS');
      expect(run.raw, 'the key tracking.js carries stays out of the report').not.toMatch(/scriptKey/i);
    });
  }

  test('the correct fixture site still passes', async () => {
    const run = await gate(siteDir());
    expect(run.code, run.story).toBe(0);
    expect(run.report.findings.filter((f) => f.severity !== 'warning'), run.story).toEqual([]);
  });
});
