import { fixtureSite } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';

const thirdPartyScript = '<script src="https://cdn.example-analytics.com/pixel.js"></script>';

test.describe('fail-closed network: nothing leaves the machine', () => {
  test('a script from a host with no stand-in is blocked and named', async ({ network, siteOptions, site, page, networkGuard }) => {
    network.use(...fixtureSite({ ...siteOptions, extraHead: thirdPartyScript }));

    await site.visitDirectly();

    expect(networkGuard.blocked).toEqual([{ host: 'cdn.example-analytics.com', method: 'GET', url: 'https://cdn.example-analytics.com/pixel.js' }]);
    expect(() => networkGuard.assertNothingBlocked()).toThrow(
      /The page sent requests to a host with no stand-in: cdn\.example-analytics\.com\.\n {2}- GET https:\/\/cdn\.example-analytics\.com\/pixel\.js/,
    );
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    networkGuard.forget('cdn.example-analytics.com');
  });

  test('a fetch and a navigation to unmocked hosts fail in the page', async ({ site, page, networkGuard }) => {
    await site.visitDirectly();

    const fetched = await page.evaluate(() => fetch('https://api.example.org/collect').then(() => 'answered', (e: Error) => e.name));
    expect(fetched).toBe('TypeError');
    await expect(page.goto('https://elsewhere.example/')).rejects.toThrow(/net::ERR_BLOCKED_BY_CLIENT/);

    expect(networkGuard.blocked.map((r) => r.host)).toEqual(['api.example.org', 'elsewhere.example']);
    networkGuard.forget('api.example.org');
    networkGuard.forget('elsewhere.example');
  });

  test('a WebSocket to a host with no stand-in is closed and named', async ({ site, page, networkGuard }) => {
    await site.visitDirectly();
    const closed = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket('wss://realtime.example.com/live');
          socket.onclose = (event) => resolve(`closed ${event.code}`);
        }),
    );
    expect(closed).toBe('closed 1008');
    expect(networkGuard.blocked).toEqual([{ host: 'realtime.example.com', method: 'WEBSOCKET', url: 'wss://realtime.example.com/live' }]);
    networkGuard.forget('realtime.example.com');
  });

  test('a request to an unmocked host fails the test even when nothing else does', async ({ network, siteOptions, site, page }) => {
    test.fail(true, 'the network guard fails this test when it ends, naming cdn.example-analytics.com');
    network.use(...fixtureSite({ ...siteOptions, extraHead: thirdPartyScript }));

    await site.visitDirectly();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  });
});
