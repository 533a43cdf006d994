/**
 * The composite action's gate step (gate/action.sh, as action.yml runs it: the CLI on GitHub Actions) on a broken site of the
 * corpus, with GitHub's step files pointing at temporary files: the job summary's table, the
 * annotations on the site's own file and line, and the step outputs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { runActionStep } from '../fixtures/nested-run.ts';

test('the action on a site with a mistyped Revenue Origin ID: a failing summary row, an annotation on the line, verdict failed', async () => {
  test.setTimeout(180_000);
  const github = mkdtempSync(path.join(os.tmpdir(), 'github-step-'));
  const [summary, output] = [path.join(github, 'summary.md'), path.join(github, 'output.txt')];
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const run = await runActionStep(github, ['--output', path.join(github, 'results')], {
    GATE_REPORT: path.join(github, 'gate.json'),
    SITE_DIR: 'gate/corpus/revenue-origin-typo/site',
    TITO_EVENT: 'acme-events/summit-2026',
    TRACKDESK_TENANT_ID: 'acme-events',
    TRACKDESK_REVENUE_ORIGIN_ID: '3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37',
  });
  // The step fails with the gate's exit code, so the job does.
  expect(run.code, run.stderr).toBe(1);

  const table = readFileSync(summary, 'utf8');
  expect(table).toContain('## ❌ Attribution gate: failed');
  expect(table).toContain('| page | check | verdict | findings |');
  // Paths as HTML code, the site's quotes as entities: nothing of the site renders as Markdown or HTML.
  expect(table).toMatch(/^\| <code>\/tickets<\/code> \| static audit \| ❌ fails \| \*\*REVENUE_ORIGIN_MISMATCH\*\* revenueOriginId &#34;3f2b8c1e-5d4a-4d7e-9c21-6a0d8e4f1b37&#34; is not yours/m);
  expect(table).toMatch(/^\| <code>\/tickets<\/code> \| registration \| ❌ fails \| \*\*EXTERNAL_CID_REJECTED\*\*/m);
  expect(table).toMatch(/^\| <code>\/<\/code> \| click \| ✅ passes \| — \|$/m);
  // The conversion tracker's trackdesk(…, "externalCid", …) call is on line 52 of the built tickets.html.
  expect(run.stdout).toMatch(/^::error file=gate\/corpus\/revenue-origin-typo\/site\/tickets\.html,line=52,title=REVENUE_ORIGIN_MISMATCH on \/tickets::revenueOriginId "3f2b8c1e-5d4a-4d7e-9c21-6a0d8e4f1b37" is not yours/m);
  expect(readFileSync(output, 'utf8')).toBe('verdict=failed\nexit-code=1\n');
});
