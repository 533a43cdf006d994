import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './fixtures/browser.ts';
import { ConfigError, harnessConfig } from './fixtures/config.ts';
import { exitWithMessage } from './fixtures/fail.ts';
import { FIXTURE_SITE_ORIGIN } from './fixtures/site.ts';

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
  // Most tests wait on a browser, or on a gate or a Playwright run of their own: more workers than cores.
  workers: '150%',
  forbidOnly: true,
  retries: 0,
  // The secret scan last: it reads what the other reporters wrote (fixtures/secret-scan-reporter.ts). The
  // run's temporary folder goes once the run passed (fixtures/temporary-folder-reporter.ts).
  reporter: [['list'], ['html', { open: 'never' }], ...(process.env.CI ? ([['junit', { outputFile: 'test-results/junit.xml' }]] as const) : []), ['./fixtures/temporary-folder-reporter.ts'], ['./fixtures/secret-scan-reporter.ts']],
  // The run's temporary folder first, then stripe-mock.
  globalSetup: ['./fixtures/temporary-folder-setup.ts', './fixtures/stripe-mock/global-setup.ts'],
  // The package that tests/package.spec.ts and tests/gate-sites.spec.ts pack and install, removed.
  globalTeardown: './fixtures/installed-package.ts',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: FIXTURE_SITE_ORIGIN,
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
});
