/**
 * The gate's page visits take turns in a few browser contexts (gate/check-world.ts, ContextPool), yet each
 * page is checked as the visitor who arrives on it through the affiliate link sees it: fresh, in a tab of
 * its own, with nothing of the page checked before it in the same context (no cookie, storage, window
 * name or session history), and with that page and any window it opened gone before the next check's
 * stand-ins answer anything.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../fixtures/browser.ts';
import { harnessConfig } from '../fixtures/config.ts';
import { expect, test } from '../fixtures/gate-run.ts';
import { configuredSite, pastedSnippet, renderFixtureSite } from '../fixtures/site.ts';
import { ContextPool } from '../gate/check-world.ts';
import { SITE_UNDER_TEST_ORIGIN } from '../gate/hosts.ts';
import { serveFolder } from '../gate/site.ts';
import { stripeClient } from '../mocks/stripe/index.ts';
import type Stripe from 'stripe';

const config = harnessConfig();

function folder(pages: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fresh-visitor-'));
  for (const [at, html] of Object.entries(pages)) writeFileSync(path.join(dir, at === '/' ? 'index.html' : `${at.slice(1)}.html`), html);
  return dir;
}

test('a site whose click tracker runs only on a first visit passes page after page in one context: each page is a first visit', async ({ gateSite }) => {
  // Every page remembers the visitor every way it can, and tracks the click only when nothing was remembered.
  const firstVisitOnly = pastedSnippet('click-tracker', config.trackdesk).replace(
    `trackdesk('${config.trackdesk.tenantId}', 'click');`,
    `(async () => {
      const remembered = document.cookie.includes('visited=') || localStorage.getItem('visited') !== null || sessionStorage.getItem('visited') !== null
        || window.name === 'visited' || (await indexedDB.databases()).some((db) => db.name === 'visited')
        // A new tab of Playwright's holds two entries once it loads a page: its first about:blank, and the page.
        || history.length > 2;
      document.cookie = 'visited=1; path=/; max-age=86400';
      localStorage.setItem('visited', '1');
      sessionStorage.setItem('visited', '1');
      window.name = 'visited';
      indexedDB.open('visited');
      history.pushState(null, '', location.href);
      if (!remembered) trackdesk('${config.trackdesk.tenantId}', 'click');
    })();`,
  );
  const fixture = renderFixtureSite({ ...configuredSite(config), clickTracker: 'missing', extraHead: firstVisitOnly });
  const more = ['speakers', 'venue', 'schedule', 'sponsors'];
  const home = fixture['/']!.replace('</main>', `<nav>${more.map((p) => `<a href="/${p}">${p}</a>`).join(' ')}</nav></main>`);
  const dir = folder({ ...fixture, '/': home, ...Object.fromEntries(more.map((p) => [`/${p}`, fixture['/']!])) });

  // One check at a time: one context serves every page's visit in turn.
  const { verdict } = await gateSite({ siteDir: dir }, { workers: 1 });
  const story = verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  expect(verdict.pages.map((p) => p.path).sort(), story).toEqual(['/', '/schedule', '/speakers', '/sponsors', '/tickets', '/venue']);
  expect(verdict.findings.filter((f) => f.severity !== 'warning'), story).toEqual([]);
  expect(verdict.verdict, story).toBe('passed');
});

test("a site that loads tracking.js only under automation (navigator.webdriver) fails, as its visitors' browsers are not automated", async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(config));
  const cloaked = (html: string) => {
    const changed = html.replaceAll('<script async src="//cdn.trackdesk.com/tracking.js"></script>', `<script>if (navigator.webdriver) document.head.append(Object.assign(document.createElement('script'), { src: '//cdn.trackdesk.com/tracking.js', async: true }));</script>`);
    expect(changed).not.toBe(html);
    return changed;
  };
  const { verdict } = await gateSite({ siteDir: folder({ '/': cloaked(fixture['/']!), '/tickets': cloaked(fixture['/tickets']!) }) });
  const story = verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  expect(verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`).sort(), story).toEqual(['CLICK_NOT_TRACKED /', 'CLICK_NOT_TRACKED /tickets']);
});

/** A ContextPool for the site of `pages`, in a browser of its own, as the gate's run has one; closed after `use`. */
async function withContexts(pages: Record<string, string>, use: (contexts: ContextPool, stripe: Stripe) => Promise<void>): Promise<void> {
  const site = await serveFolder(folder(pages));
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const contexts = new ContextPool(browser, { siteUrl: site.url, origin: SITE_UNDER_TEST_ORIGIN, clientRoutes: new Set(), ownHosts: new Set() });
    await use(contexts, stripeClient('http://127.0.0.1:9', config.stripe.secretKey));
    await contexts.close();
  } finally {
    await browser.close();
    await site.close();
  }
}

test("a context a check leaves is cleared before the next: its page replaced, its session history, session storage, window name and cookies gone; one a page cut off is not reused", async () => {
  const home = '<!doctype html><title>x</title><p>home</p><script>document.cookie = "kept=1; path=/"; window.ticks = 0; setInterval(() => window.ticks++, 10);</script>';
  await withContexts({ '/': home }, async (contexts, stripe) => {
    const first = await contexts.open(config, stripe);
    const page = first.world.page;
    // The page is an EventEmitter: what a check listens to shows in its listener count.
    const requestListeners = () => (page as unknown as { listenerCount(event: string): number }).listenerCount('request');
    const listening = requestListeners();
    page.on('request', () => undefined);
    await page.goto(`${SITE_UNDER_TEST_ORIGIN}/`);
    const newTabHistory = await page.evaluate(() => history.length);
    await page.evaluate(() => {
      history.pushState(null, '', '/again');
      sessionStorage.setItem('seen', '1');
      window.name = 'seen';
    });
    await expect.poll(() => page.evaluate(() => (window as unknown as { ticks: number }).ticks)).toBeGreaterThan(0);
    expect(await page.context().cookies()).toHaveLength(1);
    await first.close(null, true);

    const second = await contexts.open(config, stripe);
    expect(second.world.page, 'the same tab, taken in turn').toBe(page);
    expect(page.url(), "the last check's page is gone").toBe('about:blank');
    expect(await page.context().cookies()).toEqual([]);
    expect(second.world.trackdesk, 'stand-ins of its own').not.toBe(first.world.trackdesk);
    expect(requestListeners(), "the last check's listeners are gone").toBe(listening);
    await page.goto(`${SITE_UNDER_TEST_ORIGIN}/`);
    expect(await page.evaluate(() => [history.length, sessionStorage.length, window.name]), "a new tab's session history, session storage and name").toEqual([newTabHistory, 0, '']);
    // A check that the page cut off (or that failed the harness) gives its context up.
    await second.close(null, false);
    const third = await contexts.open(config, stripe);
    expect(third.world.page).not.toBe(page);
    expect(page.isClosed()).toBe(true);
    await third.close(null, true);
  });
});

test('a window the last check opened as it ended, not yet listed by Playwright, gives its context up', async () => {
  await withContexts({ '/': '<!doctype html><title>x</title><p>home</p>' }, async (contexts, stripe) => {
    const first = await contexts.open(config, stripe);
    const page = first.world.page;
    await page.goto(`${SITE_UNDER_TEST_ORIGIN}/`);
    // Opened without an opener, so that the last check's guard never hears of it, just as it ends.
    await page.evaluate(() => {
      for (let i = 0; i < 4; i++) window.open('/', '_blank', 'noopener');
    });
    await first.close(null, true);
    const second = await contexts.open(config, stripe);
    expect(second.world.page.context(), 'a context the popups are not in').not.toBe(page.context());
    await second.close(null, true);
  });
});
