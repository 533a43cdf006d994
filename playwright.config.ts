import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './fixtures/browser.ts';
import { ConfigError, harnessConfig } from './fixtures/config.ts';
import { exitWithMessage } from './fixtures/fail.ts';
import { SITE_ORIGIN } from './fixtures/site.ts';

// Bad configuration stops the run here, before global setup or any browser starts.
try {
  harnessConfig();
} catch (error) {
  if (error instanceof ConfigError) exitWithMessage(error.message);
  throw error;
}

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }], ['junit', { outputFile: 'test-results/junit.xml' }]] : [['list'], ['html', { open: 'never' }]],
  globalSetup: './fixtures/stripe-mock/global-setup.ts',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: SITE_ORIGIN,
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
});
