import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { harnessConfig, type HarnessConfig } from '../fixtures/config.ts';
import { SITE_UNDER_TEST_ORIGIN, siteUnderTest, startSite } from '../fixtures/gate/site-under-test.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';

test.describe('the site under test', () => {
  const config = harnessConfig();
  const pages: Record<string, string> = {
    ...renderFixtureSite(configuredSite(config)),
    '/about': '<!doctype html><html><head></head><body><a href="/">Home</a><a href="/logo.png">logo</a><a href="https://elsewhere.example/">out</a></body></html>',
  };
  pages['/'] = pages['/']!.replace('</main>', '<a href="/about">About</a></main>');
  let server: Server;
  let siteUrl: string;

  test.beforeAll(async () => {
    server = createServer((request, response) => {
      const html = pages[request.url!.split('?')[0]!];
      response.writeHead(html ? 200 : 404, { 'content-type': html ? 'text/html' : 'text/plain' }).end(html ?? 'Not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const withSite = (site: Partial<HarnessConfig['site']>): HarnessConfig => ({ ...config, site: { ...config.site, ...site } });

  test('SITE_URL with no sitemap: a bounded same-origin crawl from /, served on an https origin', async () => {
    const site = await siteUnderTest(withSite({ url: siteUrl, crawlLimit: 50 }), configuredSite(config));
    expect(site.origin).toBe(SITE_UNDER_TEST_ORIGIN);
    expect(site.pages.map((p) => [p.path, p.embedsTito])).toEqual([
      ['/', false],
      ['/tickets', true],
      ['/about', false],
    ]);
    expect(site.pages[1]!.html).toContain('<tito-widget');
  });

  test('the crawl stops at GATE_CRAWL_LIMIT, and SITE_PAGES wins over discovery', async () => {
    expect((await siteUnderTest(withSite({ url: siteUrl, crawlLimit: 2 }), configuredSite(config))).pages.map((p) => p.path)).toEqual(['/', '/tickets']);
    expect((await siteUnderTest(withSite({ url: siteUrl, pages: ['/about'] }), configuredSite(config))).pages.map((p) => p.path)).toEqual(['/about']);
  });

  test('a SITE_URL that does not answer is named, with what to do', async () => {
    const attempt = siteUnderTest(withSite({ url: 'http://127.0.0.1:9' }), configuredSite(config));
    await expect(attempt).rejects.toThrow('the site at http://127.0.0.1:9 does not answer');
  });

  test('SITE_START_COMMAND starts the site when SITE_URL does not answer, and a command that dies is named', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const serve = `"${process.execPath}" -e "require('http').createServer((q, s) => s.end('up')).listen(${port}, '127.0.0.1')"`;

    await startSite(url, serve);
    expect(await (await fetch(url)).text()).toBe('up');
    await expect(startSite('http://127.0.0.1:9', `"${process.execPath}" -e "process.exit(3)"`)).rejects.toThrow(/exited with code 3 before http:\/\/127\.0\.0\.1:9 answered/);
  });
});
