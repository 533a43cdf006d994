/**
 * The package as a site owner gets it: `npm pack` of this repository, installed with `npm i -D` into a
 * copy of examples/site-repo in a temporary folder (nothing links back to this checkout), then the
 * owner's two commands there, `npx attribution-gate dist` and `npx playwright test` (their own spec
 * and the gate's project), on the correct dist/ and on one with a wrong tenant on one page.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { expect, test } from '@playwright/test';
import { projectRoot } from '../fixtures/config.ts';
import { installedPackage } from '../fixtures/installed-package.ts';
import { INSTALLED_BIN } from '../fixtures/stripe-mock/binary.ts';

const SITE_REPO = path.join(projectRoot, 'examples', 'site-repo');

interface Run {
  code: number;
  output: string;
}

/** The owner's environment: their `.env` and nothing of this run's settings; stripe-mock as a binary they installed. */
function ownersEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(HARNESS_|GATE_|SITE_|TRACKDESK_|TITO_|STRIPE_|PLAYWRIGHT_|PW_|TEST_)/.test(name)));
  return { ...env, STRIPE_MOCK: 'binary', STRIPE_MOCK_BIN: INSTALLED_BIN, CI: '' };
}

async function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return promisify(execFile)(command, args, { cwd, env: { ...ownersEnv(), ...env }, maxBuffer: 32 * 1024 * 1024 }).then(
    // Colours or not, as the owner's terminal has them: the text is what counts.
    (done) => ({ code: 0, output: stripVTControlCharacters(done.stdout + done.stderr) }),
    (failed: { code: number; stdout: string; stderr: string }) => ({ code: failed.code, output: stripVTControlCharacters(failed.stdout + failed.stderr) }),
  );
}

let installed: string;

test.describe('the packed package in a site owner\'s repository', () => {
  // Each test has its own copy of the repository; the package is packed and installed once per run (fixtures/installed-package.ts).
  test.describe.configure({ timeout: 240_000 });

  test.beforeAll(async () => {
    test.setTimeout(360_000);
    installed = (await installedPackage()).nodeModules;
  });

  /** A fresh copy of the site repository (its own dist/, .env and reports), with the installed node_modules. */
  function siteRepo(change?: (dir: string) => void): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'site-repo-'));
    cpSync(SITE_REPO, dir, { recursive: true });
    symlinkSync(installed, path.join(dir, 'node_modules'));
    cpSync(path.join(dir, '.env.example'), path.join(dir, '.env'));
    change?.(dir);
    return dir;
  }

  test('what is installed is the package, not a link to this checkout', () => {
    const gate = realpathSync(path.join(installed, 'tito-trackdesk-gate'));
    expect(gate.startsWith(realpathSync(projectRoot))).toBe(false);
    expect(readdirSync(gate).sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'package.json']);
  });

  test('on a correct site, npx attribution-gate dist passes, and so does npx playwright test', async () => {
    const dir = siteRepo();
    const gate = await run(dir, 'npx', ['attribution-gate', 'dist']);
    expect(gate.output).toContain('gate: passed — 2 pages, 6 checks, 0 errors, 0 warnings');
    expect(gate.code, gate.output).toBe(0);

    const temporary = mkdtempSync(path.join(os.tmpdir(), 'owner-temporary-'));
    const suite = await run(dir, 'npx', ['playwright', 'test'], { TMPDIR: temporary });
    expect(suite.output).toContain("[site] › tests/tickets.spec.ts:5:1 › an affiliate's visitor who buys on /tickets/ is credited");
    expect(suite.output).toContain('[attribution-gate] ›');
    expect(suite.output).toMatch(/\b8 passed\b/);
    expect(suite.code, suite.output).toBe(0);
    // The plan the gate's tests ran on goes with the run.
    expect(readdirSync(temporary).filter((name) => name.startsWith('gate-plan-'))).toEqual([]);
  });

  test('with a wrong tenant in the conversion snippet of /tickets/, both fail, naming the value and the page', async () => {
    const dir = siteRepo((d) => {
      const tickets = path.join(d, 'dist', 'tickets', 'index.html');
      writeFileSync(tickets, readFileSync(tickets, 'utf8').replace('trackdesk("acme-events", "externalCid"', 'trackdesk("acme-evnts", "externalCid"'));
    });
    const gate = await run(dir, 'npx', ['attribution-gate', 'dist']);
    expect(gate.output).toContain('error TENANT_MISMATCH /tickets/:26 — trackdesk("acme-evnts", …) is not your tenant "acme-events"');
    expect(gate.output).toContain('gate: failed — 2 pages, 6 checks, 2 errors');
    expect(gate.code, gate.output).toBe(1);

    const suite = await run(dir, 'npx', ['playwright', 'test']);
    expect(suite.output).toMatch(/✘ +\d+ \[site\] › tests\/tickets\.spec\.ts/);
    expect(suite.output).toContain('error TENANT_MISMATCH /tickets/:26');
    expect(suite.output).toContain('tenant \\"acme-evnts\\" is not your Trackdesk tenant \\"acme-events\\"');
    expect(suite.output).toMatch(/\b5 failed\b/);
    expect(suite.code, suite.output).toBe(1);
  });

  test("the installed library, openGate() in the owner's own script, gives corpus sites the verdicts the corpus expects", async () => {
    const dir = siteRepo();
    // A correct Next.js site, a journey that breaks after htmx swaps the page, a wrong tenant in a hash-routed app.
    const sites = ['next-correct', 'htmx-boost-head-only', 'vue-hash-router-broken'].map((name) => {
      const expected = JSON.parse(readFileSync(path.join(projectRoot, 'gate', 'corpus', name, 'expected.json'), 'utf8')) as { errors?: string[]; env?: Record<string, string> };
      return { name, siteDir: path.join(projectRoot, 'gate', 'corpus', name, 'site'), env: expected.env ?? {}, errors: [...(expected.errors ?? [])].sort() };
    });
    writeFileSync(
      path.join(dir, 'gate-sites.mjs'),
      [
        "import { openGate } from 'tito-trackdesk-gate';",
        'const gate = await openGate();',
        'const errors = {};',
        `for (const { name, siteDir, env } of ${JSON.stringify(sites)}) {`,
        '  const { verdict } = await gate.check({ siteDir, env });',
        "  errors[name] = verdict.findings.filter((f) => f.severity !== 'warning').map((f) => `${f.code} ${f.page}`).sort();",
        '}',
        'await gate.close();',
        'console.log(JSON.stringify(errors));',
      ].join('\n'),
    );
    const script = await run(dir, 'node', ['gate-sites.mjs']);
    expect(script.code, script.output).toBe(0);
    expect(JSON.parse(script.output.trim().split('\n').at(-1)!)).toEqual(Object.fromEntries(sites.map((s) => [s.name, s.errors])));
  });

  test("its types compile in the owner's TypeScript as they are, without skipLibCheck", async () => {
    const dir = siteRepo((d) => {
      const strict = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false }, include: ['tests/**/*.ts', 'playwright.config.ts'] };
      writeFileSync(path.join(d, 'tsconfig.json'), JSON.stringify(strict));
    });
    const tsc = await run(dir, process.execPath, [path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
    expect(tsc.output).toBe('');
    expect(tsc.code).toBe(0);
  });

  test('installed, --help shows an example and a bad flag is one message with exit code 2', async () => {
    const dir = siteRepo();
    const help = await run(dir, 'npx', ['attribution-gate', '--help']);
    expect(help.output).toContain('npx attribution-gate dist');
    expect(help.code).toBe(0);
    const bad = await run(dir, 'npx', ['attribution-gate', 'dist', '--max-page', '3']);
    expect(bad.output.trim().split('\n')).toHaveLength(1);
    expect(bad.output).toContain('--max-page');
    expect(bad.code).toBe(2);
  });

  test('with no site named, the gate\'s project says what to set before any browser starts', async () => {
    const dir = siteRepo((d) => {
      writeFileSync(path.join(d, 'playwright.config.ts'), readFileSync(path.join(d, 'playwright.config.ts'), 'utf8').replace("attributionGate({ siteDir: 'dist' })", "attributionGate({ siteDir: 'public' })"));
    });
    const suite = await run(dir, 'npx', ['playwright', 'test']);
    expect(suite.output).toContain('attribution gate:');
    expect(suite.output).toContain('"public" is not a folder: point it at the folder of your built HTML');
    expect(suite.output).not.toMatch(/\n\s+at .*\(.*\.js:\d+:\d+\)/);
    expect(suite.code).toBe(1);
  });
});
