import { existsSync } from 'node:fs';
import { chromium, defineConfig, devices } from '@playwright/test';
import { ConfigError, harnessConfig } from './fixtures/config.ts';
import { exitWithMessage } from './fixtures/fail.ts';
import { startSite } from './fixtures/gate/site-under-test.ts';
import { SITE_ORIGIN } from './fixtures/site.ts';

// Bad configuration stops the run here, before global setup or any browser starts.
const config = (() => {
  try {
    return harnessConfig();
  } catch (error) {
    if (error instanceof ConfigError) exitWithMessage(error.message);
    throw error;
  }
})();
if (config.site.url && config.site.startCommand) {
  await startSite(config.site.url, config.site.startCommand).catch((error: Error) => exitWithMessage(error.message));
}

// Playwright's own Chromium where it could be downloaded; Debian's where it could not.
const bundledChromium = existsSync(chromium.executablePath());
const executablePath = bundledChromium ? undefined : ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }], ['junit', { outputFile: 'test-results/junit.xml' }]] : [['list'], ['html', { open: 'never' }]],
  globalSetup: './fixtures/stripe-mock/global-setup.ts',
  projects: [
    { name: 'harness', testIgnore: /gate\.spec\.ts$/ },
    // `npm run gate`: the site under test (SITE_URL, SITE_DIR, or the fixture site).
    { name: 'gate', testMatch: /gate\.spec\.ts$/ },
  ],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: SITE_ORIGIN,
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        // Chromium's own background traffic would otherwise try to leave the machine.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        // Keeps the cross-origin Tito iframe in the page's renderer process instead of starting one
        // per test; origins, postMessage and the same-origin policy are unchanged.
        '--disable-site-isolation-trials',
      ],
    },
  },
});
