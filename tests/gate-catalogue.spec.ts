import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { harnessConfig } from '../fixtures/config.ts';
import { auditPage } from '../fixtures/gate/audit.ts';
import { formatFinding, type Finding } from '../fixtures/gate/findings.ts';
import { MISTAKES, VARIANTS, type Pages } from '../fixtures/gate/mistakes.ts';
import { runPlaywright } from '../fixtures/nested-run.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';

const config = harnessConfig();
const site = (): Pages => renderFixtureSite(configuredSite(config));
const audit = (pages: Pages): Finding[] => Object.entries(pages).flatMap(([page, html]) => auditPage(page, html, config.trackdesk, config.tito.slug).findings);

test.describe('the gate catches every snippet mistake in the catalogue', () => {
  test('the fixture site as the guide says passes', () => {
    expect(audit(site()).map(formatFinding)).toEqual([]);
  });

  for (const mistake of MISTAKES) {
    test(`${mistake.name} → ${mistake.code}`, () => {
      const pages = mistake.apply(site(), config.trackdesk);
      expect(pages, 'the mistake changed the site').not.toEqual(site());
      const findings = audit(pages);
      expect(findings.map(formatFinding)).toContainEqual(expect.stringMatching(new RegExp(`^${mistake.code} ${mistake.page.replace('/', '\\/')}:\\d+ — `)));
    });
  }

  for (const variant of VARIANTS) {
    test(`correct variant passes: ${variant.name}`, () => {
      const pages = variant.apply(site(), config.trackdesk);
      expect(pages, 'the variant changed the site').not.toEqual(site());
      expect(audit(pages).map(formatFinding)).toEqual([]);
    });
  }
});

test.describe('npm run gate on a folder of built HTML', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });

  const gate = async (pages: Pages) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'site-'));
    for (const [page, html] of Object.entries(pages)) writeFileSync(path.join(dir, page === '/' ? 'index.html' : `${page.slice(1)}.html`), html);
    writeFileSync(path.join(dir, 'sitemap.xml'), `<?xml version="1.0"?><urlset>${Object.keys(pages).map((p) => `<url><loc>https://summit.example${p}</loc></url>`).join('')}</urlset>`);
    const report = path.join(dir, 'gate.json');
    const run = await runPlaywright(['--project', 'gate', '--reporter=./fixtures/gate/reporter.ts'], { SITE_DIR: dir, GATE_REPORT: report });
    return { ...run, report: JSON.parse(readFileSync(report, 'utf8')) as { ok: boolean; findings: Finding[] } };
  };

  test('a wrong Tenant ID fails the gate: non-zero exit, the code, the page and the line in the JSON report', async () => {
    const { code, stdout, report } = await gate(MISTAKES.find((m) => m.code === 'TENANT_MISMATCH')!.apply(site(), config.trackdesk));
    expect(code).not.toBe(0);
    expect(report.ok).toBe(false);
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'TENANT_MISMATCH', page: '/', line: expect.any(Number) }));
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'ATTRIBUTION_BROKEN', page: '/tickets' }));
    expect(stdout).toContain('Attribution gate: FAIL');
  });

  test('a correct site built by a framework layout passes the gate', async () => {
    const { code, stdout, report } = await gate(VARIANTS.find((v) => v.name === 'injected by a framework layout')!.apply(site(), config.trackdesk));
    expect(report.findings).toEqual([]);
    expect(stdout).toContain('Attribution gate: PASS (2 pages, 0 findings)');
    expect(code).toBe(0);
  });
});
