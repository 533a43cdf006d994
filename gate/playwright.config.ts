import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from '../fixtures/browser.ts';
import { moduleExtension as ext } from '../fixtures/config.ts';
import { exitWithMessage } from '../fixtures/fail.ts';
import { PLAN_ENV } from './plan.ts';

// The browser checks run on a plan that the gate's CLI writes; alone they have nothing to check.
if (!process.env[PLAN_ENV]) exitWithMessage('Run the gate with `npx attribution-gate --html` (it discovers the pages, then starts these checks).');

const gateReport = process.env.GATE_REPORT ?? 'gate-report/gate.json';
const reportDir = path.dirname(gateReport);
/** A file of the gate's, wherever it is installed (this config may live in node_modules). */
const own = (file: string) => path.join(import.meta.dirname, `${file}${ext}`);

/** The gate's browser checks: one test per page, stripe-mock once per run, traces of failed checks kept. */
export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: `checks.spec${ext}`,
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  timeout: 90_000,
  // Where the user runs the gate (the CLI passes --output when it is given one).
  outputDir: path.resolve('test-results', 'gate'),
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: path.join(reportDir, 'html') }],
    [own('reporter')],
    // A shard's blob report, for `playwright merge-reports` (examples/attribution-gate-sharded.yml).
    ...(process.env.GATE_BLOB ? ([['blob', { outputDir: path.join(reportDir, 'blob') }]] as const) : []),
    // Last, so it reads what the others wrote; a secret found turns gate.json into a harness fault (exit code 2).
    [own('../fixtures/secret-scan-reporter'), { paths: [gateReport], faultReport: gateReport }],
  ],
  globalSetup: own('../fixtures/stripe-mock/global-setup'),
  use: {
    ...devices['Desktop Chrome'],
    serviceWorkers: 'block',
    acceptDownloads: false,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    launchOptions: chromiumLaunchOptions,
  },
});
