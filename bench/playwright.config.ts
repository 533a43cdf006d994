import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.ts';

/**
 * The suite's own configuration, pointed at the bench: one worker, the tests in file order (so each
 * harness run has its bare run beside it, in the same browser), no trace, and its results outside the
 * checkout (a bench must not empty the test-results/ folder of a run beside it).
 */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'paired.bench.ts',
  fullyParallel: false,
  workers: 1,
  globalSetup: '../fixtures/stripe-mock/global-setup.ts',
  projects: [{ name: 'bench' }],
  reporter: [['./reporter.ts']],
  outputDir: path.join(os.tmpdir(), 'attribution-bench-results'),
  use: { ...base.use, trace: 'off' },
});
