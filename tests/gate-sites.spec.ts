/**
 * The installed package's `npx attribution-gate` (packed from this checkout) on sites built the way
 * real event sites are (gate/corpus/), correct and broken, from a site owner's folder with the IDs in
 * its `.env`: each must get its verdict, and a failing report must name the wrong value or the page at
 * fault, with exactly the errors the site's expected.json lists.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { harnessConfig, projectRoot } from '../fixtures/config.ts';
import { installedPackage, type InstalledPackage } from '../fixtures/installed-package.ts';
import { runAttributionGate } from '../fixtures/nested-run.ts';
import type { GateVerdict } from '../gate/judge.ts';

interface Expected {
  verdict: 'pass' | 'fail';
  style: string;
  wrong?: string;
  mustName?: string[];
  /** "CODE /page" for every error (and fault) the report must hold, no more. */
  errors?: string[];
  env?: Record<string, string>;
}

const SITES = path.join(projectRoot, 'gate', 'corpus');

/** A site owner's folder, the IDs of .env.example in its `.env`; a site's expected.json may set others. */
function ownersFolder(): string {
  const { trackdesk, tito } = harnessConfig();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'corpus-owner-'));
  writeFileSync(path.join(folder, '.env'), `TRACKDESK_TENANT_ID=${trackdesk.tenantId}\nTRACKDESK_REVENUE_ORIGIN_ID=${trackdesk.revenueOriginId}\nTITO_EVENT=${tito.events.join(',')}\n`);
  return folder;
}

test.describe('the installed attribution-gate on real-world-style sites', () => {
  test.describe.configure({ timeout: 180_000 });
  let installed: InstalledPackage;

  test.beforeAll(async () => {
    test.setTimeout(360_000);
    installed = await installedPackage();
  });

  for (const name of readdirSync(SITES).filter((n) => !n.includes('.')).sort()) {
    const expected = JSON.parse(readFileSync(path.join(SITES, name, 'expected.json'), 'utf8')) as Expected;

    test(`${name}: ${expected.verdict === 'pass' ? 'passes' : 'fails'} (${expected.style.split(/[;.]/)[0]})`, async () => {
      const run = await runAttributionGate([], ownersFolder(), { SITE_DIR: path.join(SITES, name, 'site'), ...expected.env }, installed.bin);
      const report = JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
      const errors = report.findings.filter((f) => f.severity !== 'warning').map((f) => `${f.code} ${f.page}`);
      const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
      expect(errors.sort(), story).toEqual([...(expected.errors ?? [])].sort());
      expect(run.code, story).toBe(expected.verdict === 'pass' ? 0 : 1);
      const failing = report.findings.filter((f) => f.severity === 'error');
      for (const value of expected.mustName ?? []) {
        // Named as a whole word ("acme-event" is not "acme-events"; "/" is not "/tickets"), in a failing
        // finding's page, file or message.
        const word = new RegExp(`(?<![\\w/-])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/-])`);
        const named = failing.some((f) => f.page === value || f.file === value || word.test(f.message));
        expect(named, `the report names ${value}`).toBe(true);
      }
    });
  }
});
