/**
 * attributionGate(): the gate's checks as a project of a site owner's own playwright.config.ts, whatever
 * else that config sets (gate/project.ts). tests/package.spec.ts runs it in an owner's repository.
 */
import { expect, test } from '@playwright/test';
import { attributionGate } from '../gate/project.ts';

const OPTIONS_ENV = 'ATTRIBUTION_GATE_PROJECT';

test.describe('attributionGate()', () => {
  // The options reach the checks' spec through the environment: each test starts and ends without them.
  test.beforeEach(() => void delete process.env[OPTIONS_ENV]);

  test.afterEach(() => void delete process.env[OPTIONS_ENV]);

  test("keeps a fresh visitor's browser whatever the config's top-level use sets: its own settings win over the config's", () => {
    const { use } = attributionGate({ siteDir: 'dist' });
    expect(use).toMatchObject({ javaScriptEnabled: true, offline: false, bypassCSP: false, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: {}, permissions: [], serviceWorkers: 'block', navigationTimeout: 0, ignoreHTTPSErrors: false, video: 'off' });
  });

  test("a config's own testIgnore (node_modules) does not drop the gate's checks, which live in the package", () => {
    const project = attributionGate({ siteDir: 'dist' });
    expect(project.testIgnore).toEqual([]);
    expect(project.testMatch).toMatch(/^checks\.spec\.(ts|js)$/);
  });

  test('checks one site per config: a second project with other settings is refused, saying what to do; the same settings again are not, nor another site once the config is read again (watch mode)', async () => {
    attributionGate({ siteDir: 'dist/en', name: 'gate-en' });
    expect(() => attributionGate({ siteDir: 'dist/en', name: 'gate-en' })).not.toThrow();
    expect(() => attributionGate({ siteDir: 'dist/de', name: 'gate-de' })).toThrow(/^attributionGate\(\) checks one site per Playwright config, and this one calls it twice .*: keep one attributionGate\(\) project, and check another site with a config of its own/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => attributionGate({ siteDir: 'dist/de', name: 'gate-de' })).not.toThrow();
  });
});
