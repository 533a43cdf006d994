/**
 * The gate on sites built the way real event sites are (gate/corpus/), correct and broken, with the IDs a
 * site owner gives it: each must get its verdict, and a failing report must name the wrong value or the
 * page at fault, with exactly the errors the site's expected.json lists. The gate runs in this worker's
 * process, one browser for every site (fixtures/gate-run.ts); tests/package.spec.ts gates some of the
 * same sites through the installed package's command.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../fixtures/config.ts';
import { expect, ownersSettings, test } from '../fixtures/gate-run.ts';

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


test.describe('the gate on real-world-style sites', () => {
  test.describe.configure({ timeout: 180_000 });

  for (const name of readdirSync(SITES).filter((n) => !n.includes('.')).sort()) {
    const expected = JSON.parse(readFileSync(path.join(SITES, name, 'expected.json'), 'utf8')) as Expected;

    test(`${name}: ${expected.verdict === 'pass' ? 'passes' : 'fails'} (${expected.style.split(/[;.]/)[0]})`, async ({ gateSite }) => {
      const { verdict: report } = await gateSite({ siteDir: path.join(SITES, name, 'site'), env: { ...ownersSettings(), ...expected.env } });
      const errors = report.findings.filter((f) => f.severity !== 'warning').map((f) => `${f.code} ${f.page}`);
      const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
      expect(errors.sort(), story).toEqual([...(expected.errors ?? [])].sort());
      expect(report.exitCode, story).toBe(expected.verdict === 'pass' ? 0 : 1);
      // Every way to a ticket page these sites show is walked: a journey the gate could not follow decides nothing.
      expect(report.findings.filter((f) => f.code === 'JOURNEY_NOT_FOLLOWED').map((f) => f.message), story).toEqual([]);
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
