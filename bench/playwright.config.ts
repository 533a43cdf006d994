import { defineConfig } from '@playwright/test';
import base from '../playwright.config.ts';

/** The suite's own configuration, pointed at the benchmark scenarios. */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.bench.ts',
  globalSetup: '../fixtures/stripe-mock/global-setup.ts',
  projects: [{ name: 'bench' }],
  reporter: [['json']],
  use: { ...base.use, trace: 'off' },
});
