/**
 * The limits that hold a page (gate/render.ts guardPage): a page that navigates itself away again and
 * again is closed, while a client router changing the URL in place (pushState, hash routes) is no
 * navigation at all.
 */
import { expect, test } from '@playwright/test';
import { guardPage } from '../gate/render.ts';
import { until } from '../gate/wait.ts';

const LIMITS = { popups: 20, frames: 100, navigations: 10 };

test.beforeEach(async ({ context }) => {
  await context.route('https://limits.test/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    const body = {
      '/router': '<script>let i = 0; const t = setInterval(() => { history.pushState({}, "", "/route-" + i); location.hash = "#/view-" + i; if (++i === 40) { clearInterval(t); document.title = "done"; } }, 5);</script>',
      '/ping': '<script>location.replace("/pong")</script>',
      '/pong': '<script>location.replace("/ping")</script>',
    }[path.startsWith('/route-') ? '/router' : path];
    return route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>x</title>${body ?? ''}` });
  });
});

test("a client router's 40 URL changes in place are not navigations: the page stays open", async ({ page }) => {
  const reached = guardPage(page, LIMITS);
  await page.goto('https://limits.test/router');
  await expect(page).toHaveTitle('done');
  expect([...reached]).toEqual([]);
  expect(page.isClosed()).toBe(false);
});

test('a page that navigates itself away without end is closed past the limit, and the limit is named', async ({ page }) => {
  const reached = guardPage(page, LIMITS);
  await page.goto('https://limits.test/ping').catch(() => undefined);
  expect(await until(() => page.isClosed(), 10_000)).toBe(true);
  expect([...reached]).toEqual(['it navigated more than 10 times by itself (the page was closed)']);
});
