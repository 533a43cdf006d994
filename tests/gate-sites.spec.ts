/**
 * `npm run gate` on sites built the way real event sites are (gate/corpus/), correct and broken:
 * each must get its verdict, and a failing report must name the wrong value or the page at fault, with
 * exactly the errors the site's expected.json lists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { projectRoot } from '../fixtures/config.ts';
import { runGate } from '../fixtures/nested-run.ts';
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

test.describe('npm run gate on real-world-style sites', () => {
  test.describe.configure({ timeout: 180_000 });

  for (const name of readdirSync(SITES).filter((n) => !n.includes('.')).sort()) {
    const expected = JSON.parse(readFileSync(path.join(SITES, name, 'expected.json'), 'utf8')) as Expected;

    test(`${name}: ${expected.verdict === 'pass' ? 'passes' : 'fails'} (${expected.style.split(/[;.]/)[0]})`, async () => {
      const run = await runGate([], { SITE_DIR: path.join(SITES, name, 'site'), ...expected.env });
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
