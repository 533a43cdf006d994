/**
 * The site under test is served from its own folder or origin alone, and a run that crashes never leaves
 * an earlier pass behind.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Browser } from '@playwright/test';
import { getResponse } from 'msw';
import { harnessConfig, projectRoot } from '../fixtures/config.ts';
import { inPage } from '../fixtures/in-page.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import { test as gateTest } from '../fixtures/gate-run.ts';
import { runGate } from '../fixtures/nested-run.ts';
import { scanHtml } from '../gate/audit/html.ts';
import { auditSite } from '../gate/audit-site.ts';
import { discover } from '../gate/discover.ts';
import { finding } from '../gate/findings.ts';
import type { Finding } from '../gate/findings.ts';
import { judge, type GateVerdict } from '../gate/judge.ts';
import { gateContext, mainThreadQuiet, renderPage, type RenderedPage } from '../gate/render.ts';
import { siteHandlers } from '../gate/site-proxy.ts';
import { discoveryHandlers } from '../gate/stand-ins.ts';
import { MAX_FILE_BYTES, serveFolder, SITE_UNDER_TEST_ORIGIN, startSite, textWithin } from '../gate/site.ts';

const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'site-'));
  for (const [file, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), body);
  }
  return dir;
};

const story = (verdict: GateVerdict) => verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
const errorsIn = (verdict: GateVerdict) => verdict.findings.filter((f) => f.severity === 'error');

test.describe('the site under test, and nothing else', () => {
  test('a path such as //other-host/x is fetched from the site itself, never from the other host', async () => {
    let canaryHits = 0;
    const canary = createServer((_, response) => {
      canaryHits += 1;
      response.end('leaked');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    const site = await serveFolder(folder({ 'index.html': '<!doctype html><p>home</p>' }));
    try {
      const canaryHost = `127.0.0.1:${(canary.address() as AddressInfo).port}`;
      const response = await getResponse(siteHandlers(site.url), new Request(`${SITE_UNDER_TEST_ORIGIN}//${canaryHost}/secret`, { headers: { cookie: 'trakdesk_cid=x' } }));
      expect(response?.status).toBe(404);
      expect(canaryHits).toBe(0);
    } finally {
      await site.close();
      canary.close();
    }
  });

  test('a path the file system cannot take (a name too long, a NUL byte) is not found, and nothing of it is printed: no workflow command from a path', async () => {
    const site = await serveFolder(folder({ 'index.html': '<!doctype html><p>home</p>' }));
    const printed: unknown[][] = [];
    const print = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    try {
      const forged = '%0A::error%20title=Forged::a%20workflow%20command%0A##[error]forged%0A';
      for (const asked of [`/img${forged}${'a'.repeat(300)}.png`, `/logo%00${forged}.png`, `/${'d'.repeat(300)}/index.html`]) {
        expect((await fetch(site.url + asked)).status, asked).toBe(404);
      }
    } finally {
      console.error = print;
      await site.close();
    }
    expect(printed).toEqual([]);
  });

  test('a folder named 404.html is no 404 page: each missing path answers 404 with nothing printed, nothing left open', async () => {
    const site = await serveFolder(folder({ 'index.html': '<!doctype html><p>home</p>', '404.html/index.txt': 'a folder' }));
    const printed: unknown[][] = [];
    const print = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    try {
      for (let i = 0; i < 50; i++) expect((await fetch(`${site.url}/img/speaker-${i}.jpg`)).status).toBe(404);
    } finally {
      console.error = print;
      await site.close();
    }
    expect(printed).toEqual([]);
    expect(open() - before).toBeLessThan(10);
  });

  test('a symlink to a file or a folder outside SITE_DIR is not served', async () => {
    const outside = folder({ 'secret.txt': 'outside the site', 'private/key.txt': 'outside too' });
    const dir = folder({ 'index.html': '<!doctype html><p>home</p>' });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'leak.txt'));
    symlinkSync(path.join(outside, 'private'), path.join(dir, 'assets'));
    const site = await serveFolder(dir);
    try {
      for (const leak of ['/leak.txt', '/assets/key.txt']) expect((await fetch(`${site.url}${leak}`)).status, leak).toBe(404);
      expect(await (await fetch(`${site.url}/`)).text()).toContain('home');
    } finally {
      await site.close();
    }
  });

  test('HEAD, conditional and range requests are answered as a static host does', async () => {
    const site = await serveFolder(folder({ 'index.html': '<!doctype html><p>home</p>', 'tickets/index.html': '<!doctype html><p>tickets</p>' }));
    try {
      const head = await fetch(`${site.url}/tickets/`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      const etag = head.headers.get('etag')!;
      expect((await fetch(`${site.url}/tickets/`, { headers: { 'if-none-match': etag } })).status).toBe(304);
      const range = await fetch(`${site.url}/`, { headers: { range: 'bytes=0-8' } });
      expect([range.status, await range.text()]).toEqual([206, '<!doctype']);
    } finally {
      await site.close();
    }
  });

  test('a folder named without its slash is redirected to it, its query kept, as static hosts do; a page file of that name is served as it is', async () => {
    const site = await serveFolder(folder({ 'index.html': '<!doctype html><p>home</p>', 'tickets/index.html': '<!doctype html><p>tickets</p>', 'about.html': '<!doctype html><p>about</p>', 'docs/1.4/index.html': '<!doctype html><p>docs</p>' }));
    try {
      const asked = async (pathAndQuery: string) => {
        const answer = await fetch(`${site.url}${pathAndQuery}`, { redirect: 'manual' });
        return [answer.status, answer.headers.get('location') ?? (await answer.text())];
      };
      expect(await asked('/tickets?event=summit-2026')).toEqual([301, '/tickets/?event=summit-2026']);
      expect(await asked('/docs/1.4')).toEqual([301, '/docs/1.4/']);
      expect(await asked('/tickets/')).toEqual([200, '<!doctype html><p>tickets</p>']);
      expect(await asked('/about')).toEqual([200, '<!doctype html><p>about</p>']);
      expect(await asked('/about.html')).toEqual([301, '/about']);
      // A path that reads as another host is never redirected, to it or to a folder of the site.
      expect((await asked('//tickets'))[0]).not.toBe(301);
      expect((await asked('//evil.example/tickets'))[0]).not.toBe(301);
    } finally {
      await site.close();
    }
  });

  test('a page the site redirects to (/tickets → /tickets/) shows its own URL in the browser, so its relative URLs resolve there', async ({ browser }) => {
    const served = await serveFolder(folder({ 'index.html': '<!doctype html><a href="/tickets?event=summit-2026#buy">Tickets</a>', 'tickets/index.html': '<!DOCTYPE html>\n<p>tickets</p><a href="faq">FAQ</a><script src="conversion.js"></script>', 'tickets/conversion.js': '' }));
    const world = await gateContext(browser, discoveryHandlers(harnessConfig(), served.url, { clientRoutes: new Set(), ownHosts: new Set() }));
    try {
      const page = await world.context.newPage();
      await page.goto(`${SITE_UNDER_TEST_ORIGIN}/`);
      await page.getByRole('link', { name: 'Tickets' }).click();
      await page.getByText('tickets').waitFor();
      await page.waitForLoadState('load');
      expect(page.url()).toBe(`${SITE_UNDER_TEST_ORIGIN}/tickets/?event=summit-2026#buy`);
      expect(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))).toEqual([`${SITE_UNDER_TEST_ORIGIN}/tickets/conversion.js`]);
      expect(await page.getByRole('link', { name: 'FAQ' }).evaluate((a: HTMLAnchorElement) => a.href)).toBe(`${SITE_UNDER_TEST_ORIGIN}/tickets/faq`);
      // What the gate set the URL with is gone; the page renders in standards mode, as served.
      expect(await page.evaluate(() => [document.compatMode, document.scripts.length, document.querySelectorAll('base').length])).toEqual(['CSS1Compat', 1, 0]);
    } finally {
      await world.close();
      await served.close();
    }
  });

  test('a page nested 100,000 elements deep is scanned without a stack overflow', () => {
    const deep = `<!doctype html><html><head></head><body>${'<div>'.repeat(100_000)}<a href="/tickets">t</a>${'</div>'.repeat(100_000)}</body></html>`;
    expect(scanHtml(deep).links).toEqual(['/tickets']);
  });

  test('the readiness probe of SITE_START_COMMAND follows no redirect off the site', async () => {
    let canaryHits = 0;
    const canary = createServer((_, response) => {
      canaryHits += 1;
      response.end('leaked');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    const site = createServer((_, response) => response.writeHead(302, { location: `http://127.0.0.1:${(canary.address() as AddressInfo).port}/` }).end());
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const stop = await startSite(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`, 'exit 1');
      stop();
      expect(canaryHits).toBe(0);
    } finally {
      await new Promise((resolve) => site.close(resolve));
      await new Promise((resolve) => canary.close(resolve));
    }
  });

  test('a page larger than 10 MB is named and not checked, and the rest of it is never downloaded', async () => {
    let sent = 0;
    const site = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      if (request.url !== '/huge') return response.end('<!doctype html><a href="/huge">programme</a>');
      // A page with no end, written as fast as it is read, without a content-length.
      const chunk = Buffer.alloc(1024 * 1024, '<p>talk</p>');
      const more = () => {
        while (sent < 500 * 1024 * 1024 && !response.destroyed) {
          sent += chunk.byteLength;
          if (!response.write(chunk)) return void response.once('drain', more);
        }
        response.end();
      };
      more();
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const found = await discover({ siteUrl: `http://127.0.0.1:${(site.address() as AddressInfo).port}`, maxPages: 10, clientRoutes: new Set(), ownHosts: new Set() });
      expect(found.pages.map((p) => p.path)).toEqual(['/']);
      expect(found.findings.map((f) => `${f.code} ${f.page}: ${f.message}`)).toEqual(['PAGE_NOT_LOADED /huge: /huge (link on /) is larger than 10 MB, or took longer than 20 s to send, so it was not checked']);
      expect(sent).toBeLessThan(50 * 1024 * 1024);
    } finally {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
  });
});

test.describe('discovery is bounded', () => {
  test('a body that trickles without end is read no longer than its deadline', async () => {
    let timer: NodeJS.Timeout | undefined;
    const trickle = new ReadableStream<Uint8Array>({
      start(controller) {
        timer = setInterval(() => controller.enqueue(new TextEncoder().encode('<p>talk</p>')), 20);
      },
      cancel: () => clearInterval(timer),
    });
    const started = Date.now();
    expect(await textWithin(new Response(trickle), MAX_FILE_BYTES, 300)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    clearInterval(timer);
    expect(await textWithin(new Response('<p>whole</p>'), MAX_FILE_BYTES, 300)).toBe('<p>whole</p>');
  });

  /** A site from a request handler, on loopback; it records every path asked for. */
  async function siteAnswering(answer: (path: string) => { type: string; body: string } | undefined) {
    const asked: string[] = [];
    const server = createServer((request, response) => {
      asked.push(request.url ?? '');
      const found = answer(request.url ?? '/');
      if (!found) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': found.type }).end(found.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked, close: () => new Promise((resolve) => server.close(resolve)) };
  }
  const sitemap = (urls: string[]) => ({ type: 'application/xml', body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.map((u) => `<url><loc>${u}</loc></url>`).join('')}</urlset>` });
  const html = { type: 'text/html', body: '<!doctype html><p>talk</p>' };

  test('a sitemap of 10,000 URLs schedules GATE_MAX_PAGES pages, and says the rest were not checked', async () => {
    const urls = Array.from({ length: 10_000 }, (_, i) => `https://summit.example/talks/${i}`);
    const site = await siteAnswering((path) => (path === '/sitemap.xml' ? sitemap(urls) : html));
    try {
      const found = await discover({ siteUrl: site.url, maxPages: 5, clientRoutes: new Set(), ownHosts: new Set() });
      expect(found.pages).toHaveLength(5);
      expect(found.findings.map((f) => `${f.code}: ${f.message}`)).toEqual(['PAGE_LIMIT_REACHED: the site has more than 5 pages; 9996 and any beyond them were not checked']);
      expect(site.asked.filter((p) => p.startsWith('/talks/'))).toHaveLength(4);
    } finally {
      await site.close();
    }
  });

  test('a sitemap of 130,000 URLs, most of them dead, costs at most 10 fetches a page and leaves the pages linked from / first in line', async () => {
    const urls = Array.from({ length: 130_000 }, (_, i) => `https://summit.example/gone/${i}`);
    const site = await siteAnswering((path) => (path === '/sitemap.xml' ? sitemap(urls) : path === '/' ? { type: 'text/html', body: '<!doctype html><a href="/tickets">Tickets</a>' } : path === '/tickets' ? html : undefined));
    try {
      const found = await discover({ siteUrl: site.url, maxPages: 10, clientRoutes: new Set(), ownHosts: new Set() });
      expect(found.pages.map((p) => p.path)).toEqual(['/', '/tickets']);
      expect(site.asked.filter((p) => p.startsWith('/gone/')).length).toBeLessThanOrEqual(10 * 10);
      expect(found.findings.filter((f) => f.code === 'PAGE_LIMIT_REACHED')).toHaveLength(1);
    } finally {
      await site.close();
    }
  });

  test('a page whose comment repeats `<link href=x` thousands of times is read in linear time (no regular expression backtracks on it)', async () => {
    const dir = folder({ 'index.html': `<!doctype html><a href="/tickets">Tickets</a><!-- ${'<link href=x '.repeat(20_000)} -->`, 'tickets.html': '<!doctype html><p>tickets</p>' });
    // Synchronous work cannot be interrupted here: the run gets a process of its own and a deadline.
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'gate', 'cli.ts'), dir, '--static', '--report', path.join(dir, 'gate.json')], { cwd: projectRoot, timeout: 60_000, killSignal: 'SIGKILL' }).catch((failed: { killed?: boolean; stdout?: string }) => {
      if (failed.killed) throw new Error('the static gate did not end within 60 s');
      return failed as { stdout: string };
    });
    expect(run.stdout).toContain('2 page(s) found and audited');
  });

  gateTest("a home page of 200,000 hidden links to missing pages is read as a visitor's page is: a correct site passes, its dead links counted, not each named", async ({ gateSite }) => {
    test.setTimeout(120_000);
    const fixture = renderFixtureSite(configuredSite(harnessConfig()));
    const hidden = `<div hidden>${Array.from({ length: 200_000 }, (_, i) => `<a href="/p${i}">p${i}</a>`).join('')}</div>`;
    const site = folder({ 'index.html': fixture['/']!.replace('</main>', `${hidden}</main>`), 'tickets.html': fixture['/tickets']! });
    const { verdict: report } = await gateSite({ siteDir: site, env: { GATE_PAGE_TIMEOUT: '30', GATE_RUN_TIMEOUT: '90' } });
    expect(report.exitCode, story(report)).toBe(0);
    const notLoaded = report.findings.filter((f) => f.code === 'PAGE_NOT_LOADED');
    expect(notLoaded).toHaveLength(21);
    expect(notLoaded.at(-1)!.message).toMatch(/^\d+ more pages the site links to could not be loaded either \(the first 20 are named\), so they were not checked$/);
  });

  const sitemapIndex = (files: string[]) => ({ type: 'application/xml', body: `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${files.map((f) => `<sitemap><loc>${f}</loc></sitemap>`).join('')}</sitemapindex>` });

  test('a sitemap index naming one file under many encodings reads it once, as the file server decodes the path', async () => {
    const aliases = ['/big.xml', '/big.xm%6c', '/big.xm%6C', '/%62ig.xml', '/b%69g.xml', '/bi%67.xml'];
    const site = await siteAnswering((path) => {
      const decoded = decodeURIComponent(path);
      return decoded === '/sitemap.xml' ? sitemapIndex([...aliases, '/second.xml']) : decoded === '/big.xml' ? sitemap(['/a']) : decoded === '/second.xml' ? sitemap(['/b']) : html;
    });
    try {
      const found = await discover({ siteUrl: site.url, maxPages: 10, clientRoutes: new Set(), ownHosts: new Set() });
      expect(found.pages.map((p) => p.path).sort()).toEqual(['/', '/a', '/b']);
      expect(site.asked.filter((p) => decodeURIComponent(p) === '/big.xml')).toHaveLength(1);
    } finally {
      await site.close();
    }
  });

  test('sitemaps are parsed up to 20 MB in all: a parse cannot be cut short, so what lies beyond is not read', async () => {
    // Two files just under the 10 MB a file may have, then a small one: the budget is spent before it.
    const padded = (url: string, bytes: number) => {
      const body = sitemap([url]).body;
      return { type: 'application/xml', body: body.replace('</urlset>', `${' '.repeat(bytes - Buffer.byteLength(body))}</urlset>`) };
    };
    const near10MB = 10 * 1024 * 1024 - 1024;
    const site = await siteAnswering((path) => (path === '/sitemap.xml' ? sitemapIndex(['/one.xml', '/two.xml', '/three.xml']) : path === '/one.xml' ? padded('/a', near10MB) : path === '/two.xml' ? padded('/b', near10MB) : path === '/three.xml' ? padded('/c', 4096) : html));
    try {
      const found = await discover({ siteUrl: site.url, maxPages: 10, clientRoutes: new Set(), ownHosts: new Set() });
      expect(found.pages.map((p) => p.path).sort()).toEqual(['/', '/a', '/b']);
    } finally {
      await site.close();
    }
  });

  test('a sitemap URL on another host is skipped with a warning, and never fetched', async () => {
    const site = await siteAnswering((path) => (path === '/sitemap.xml' ? sitemap(['https://summit.example/', 'https://summit.example/tickets', 'https://evil.example/steal']) : html));
    try {
      const found = await discover({ siteUrl: site.url, maxPages: 10, clientRoutes: new Set(), ownHosts: new Set() });
      expect(found.pages.map((p) => p.path).sort()).toEqual(['/', '/tickets']);
      expect(found.findings.map((f) => `${f.severity} ${f.code}: ${f.message}`)).toEqual(["warning SITEMAP_FOREIGN_URL: the sitemap names https://evil.example/steal, on evil.example, not on the site's own summit.example: skipped"]);
      expect(site.asked).not.toContain('/steal');
    } finally {
      await site.close();
    }
  });

  test("the sitemap's own host is SITE_ORIGIN's where it names it, though most of its URLs are on another; a relative URL is the site's", async () => {
    const site = await siteAnswering((path) => (path === '/sitemap.xml' ? sitemap(['https://staging.example/a', 'https://staging.example/b', 'https://events.example.com/tickets', '/speakers']) : html));
    try {
      const found = await discover({ siteUrl: site.url, maxPages: 10, clientRoutes: new Set(), ownHosts: new Set(['events.example.com']), productionHost: 'events.example.com' });
      expect(found.pages.map((p) => p.path).sort()).toEqual(['/', '/speakers', '/tickets']);
      expect(found.findings.map((f) => `${f.code}: ${f.message}`)).toEqual(["SITEMAP_FOREIGN_URL: the sitemap names https://staging.example/a and 1 more URLs, on staging.example, not on the site's own events.example.com: skipped"]);
    } finally {
      await site.close();
    }
  });

  test("a sitemap that names the local server (SITE_URL's host) once and the production host often: the production pages are the site's", async () => {
    const site = await siteAnswering((path) => (path === '/sitemap.xml' ? sitemap([`${site.url}/local`, 'https://events.example.com/a', 'https://events.example.com/tickets']) : html));
    try {
      const found = await discover({ siteUrl: site.url, maxPages: 10, clientRoutes: new Set(), ownHosts: new Set([new URL(site.url).host]) });
      expect(found.pages.map((p) => p.path).sort()).toEqual(['/', '/a', '/local', '/tickets']);
      expect(found.findings).toEqual([]);
    } finally {
      await site.close();
    }
  });

  test("a page that names Trackdesk's, Tito's or Stripe's host as its own (canonical, og:url, base, sitemap) makes none of them the site's", async () => {
    const names = '<link rel="canonical" href="https://cdn.trackdesk.com/"><meta property="og:url" content="https://js.tito.io/"><base href="https://js.stripe.com/"><link rel="alternate" href="https://events.example.com/">';
    const site = await siteAnswering((path) => (path === '/sitemap.xml' ? sitemap(['https://checkout.tito.io/a', 'https://checkout.tito.io/b']) : { type: 'text/html', body: `<!doctype html><head>${names}</head><p>home</p>` }));
    try {
      const ownHosts = new Set<string>();
      await discover({ siteUrl: site.url, maxPages: 10, clientRoutes: new Set(), ownHosts });
      expect([...ownHosts]).toEqual([]);
    } finally {
      await site.close();
    }
  });

  test("colour codes in a check's message never reach gate.json", () => {
    const verdict = judge([{ title: 'affiliate visit on /', status: 'failed', page: '/', kind: 'visit', findings: [finding('ATTRIBUTION_BROKEN', '/', '\u001b[31mexpected\u001b[39m one click')] }], ['\u001b[2mworker crashed\u001b[22m'], 'failed');
    expect(verdict.findings.map((f) => f.message).sort()).toEqual(['expected one click', 'worker crashed']);
  });
});

test.describe('the report of a run that cannot finish', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a GATE_REPORT that cannot be written is named in one line, exit code 2, no stack trace', async () => {
    const run = await runGate(['--static'], { SITE_DIR: folder({ 'index.html': '<!doctype html><p>home</p>' }), GATE_REPORT: '/etc/passwd/gate.json' });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^GATE_REPORT \/etc\/passwd\/gate\.json cannot be written \(\w+\): point it at a file in a folder you can write to\.$/);
  });

  test('an earlier pass is replaced at once: a site that does not answer leaves "ok": false, exit code 2', async () => {
    const first = await runGate(['--static'], { SITE_DIR: folder({ 'index.html': '<!doctype html><p>home</p>', 'tickets.html': '<tito-widget event="acme-events/summit-2026"></tito-widget>' }) });
    const report = path.join(first.reportDir, 'gate.json');
    writeFileSync(report, JSON.stringify({ ok: true, verdict: 'passed', exitCode: 0 }));
    const second = await runGate([], { SITE_URL: 'http://127.0.0.1:9', GATE_REPORT: report });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('The site at http://127.0.0.1:9 does not answer');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ ok: false, verdict: 'harness fault', exitCode: 2 });
  });
});

/** The page `html` as discovery renders it, served as a site's home page in a context of the gate's. */
async function renderedHome(browser: Browser, html: string): Promise<RenderedPage> {
  const served = await serveFolder(folder({ 'index.html': html }));
  const world = await gateContext(browser, discoveryHandlers(harnessConfig(), served.url, { clientRoutes: new Set(), ownHosts: new Set() }));
  try {
    return await renderPage(world.context, '/');
  } finally {
    await world.close();
    await served.close();
  }
}

test.describe('what the whole site sells, and where its buyers go', () => {
  test.describe.configure({ timeout: 120_000 });
  /** The gate's report of a static run (`--static`: discovery and the audit, no browser) on `site`. */
  const staticReport = async (site: string) => {
    const run = await runGate(['--static'], { SITE_DIR: site });
    return JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
  };
  const errorsOf = (reportDir: string) => (JSON.parse(readFileSync(path.join(reportDir, 'gate.json'), 'utf8')) as { findings: Finding[] }).findings.filter((f) => f.severity === 'error');

  test("TITO_EVENT names an event no page sells: the static gate fails, saying what the site sells where", async () => {
    const site = folder({
      'index.html': '<!doctype html><a href="/tickets">Tickets</a> <a href="/workshop">Workshop</a>',
      'tickets.html': '<!doctype html><tito-widget event="acme-events/summit-2026"></tito-widget>',
      'workshop.html': '<!doctype html><tito-button event="acme-events/workshop-day">Book</tito-button>',
    });
    const run = await runGate(['--static'], { SITE_DIR: site, TITO_EVENT: 'acme-events/summit-2027' });
    expect(run.code, run.stdout).toBe(1);
    expect(errorsOf(run.reportDir)).toEqual([
      {
        code: 'TITO_EVENT_NOT_SOLD',
        severity: 'error',
        page: '*',
        message: 'TITO_EVENT names acme-events/summit-2027, but no page sells it; the site sells acme-events/summit-2026 on /tickets; acme-events/workshop-day on /workshop',
        fix: 'embed your event on your ticket page (<tito-widget event="acme-events/summit-2027">), or, if the site sells the event you mean, set TITO_EVENT=acme-events/summit-2026,acme-events/workshop-day',
      },
    ]);
  });

  test("ticket links to Tito's hosted checkout, on a site with no storefront, are named with their text and line", async () => {
    const nav = '<nav>\n<a href="/about">About</a>\n<a href="https://ti.to/acme-events/summit-2026">Buy <b>tickets</b></a>\n</nav>';
    const site = folder({ 'index.html': `<!doctype html>\n${nav}`, 'about.html': `<!doctype html>\n<h1>About</h1>\n${nav}` });
    const run = await runGate(['--static'], { SITE_DIR: site, TITO_EVENT: 'acme-events/summit-2026' });
    expect(run.code, run.stdout).toBe(1);
    const embed = 'embed Tito\'s widget (<tito-widget event="acme-events/summit-2026">) or <tito-button event="acme-events/summit-2026"> on the site, so registration:finished fires on your page';
    expect(errorsOf(run.reportDir)).toEqual([
      expect.objectContaining({ code: 'NO_STOREFRONT_FOUND', message: expect.stringContaining("its ticket links leave the site for Tito's hosted checkout (OFF_SITE_CHECKOUT)"), fix: `${embed}; if a page of yours already does, name it in SITE_PAGES` }),
      {
        code: 'OFF_SITE_CHECKOUT',
        severity: 'error',
        page: '/',
        file: '/',
        line: 4,
        message: '"Buy tickets" sends the buyer to https://ti.to/acme-events/summit-2026, Tito\'s hosted checkout, where the conversion snippet never runs, and no page embeds a storefront: no buyer can be credited to an affiliate (also on /about)',
        fix: embed,
      },
    ]);
    expect(run.stdout).toMatch(/✗ \/ .*\n\s+error OFF_SITE_CHECKOUT \/:4 — "Buy tickets" sends the buyer/);
  });

  test('pages a buyer reaches by a form, a button or a frame are checked like linked ones; a form that leads nowhere is no warning', async () => {
    const sells = '<!doctype html><script src="https://js.tito.io/v2" async></script><tito-widget event="acme-events/summit-2026"></tito-widget>';
    const site = folder({
      'index.html': `<!doctype html><a href="/tickets">Tickets</a>
        <form action="/group"><button>Group tickets</button></form>
        <form><button formaction="/students">Student tickets</button></form>
        <button onclick="location.href='/vip'">VIP tickets</button>
        <iframe src="/frame"></iframe>
        <form action="/search"><input name="q"></form>`,
      'tickets.html': sells,
      'group.html': sells,
      'students.html': sells,
      'vip.html': sells,
      'frame.html': sells,
    });
    const report = await staticReport(site);
    expect(report.pages.map((p) => [p.path, p.foundBy.join(', '), p.storefronts.join(', ')])).toEqual([
      ['/', 'the home page', ''],
      ['/tickets', 'link on /', 'acme-events/summit-2026'],
      ['/group', 'form on /', 'acme-events/summit-2026'],
      ['/students', 'button on /', 'acme-events/summit-2026'],
      ['/vip', 'button on /', 'acme-events/summit-2026'],
      ['/frame', 'frame on /', 'acme-events/summit-2026'],
    ]);
    expect(report.findings.filter((f) => f.code === 'PAGE_NOT_LOADED')).toEqual([]);
  });

  test('pages a buyer reaches by a <select> of pages are checked like linked ones: values written as paths, or any value where its onchange navigates; a plain choice is no way', async () => {
    const sells = '<!doctype html><script src="https://js.tito.io/v2" async></script><tito-widget event="acme-events/summit-2026"></tito-widget>';
    const site = folder({
      'index.html': `<!doctype html><a href="/tickets">Tickets</a>
        <select id="pick"><option value="">Choose a pass…</option><optgroup label="Passes"><option value="/group">Group pass</option></optgroup></select>
        <script>document.getElementById('pick').addEventListener('change', (e) => { if (e.target.value) location.href = e.target.value; });</script>
        <select onchange="location = this.value"><option>workshop</option></select>
        <select name="days"><option value="1">One day</option><option value="2">Two days</option></select>`,
      'tickets.html': sells,
      'group.html': sells,
      'workshop.html': sells,
      '1.html': sells,
    });
    const report = await staticReport(site);
    expect(report.pages.map((p) => [p.path, p.foundBy.join(', ')])).toEqual([
      ['/', 'the home page'],
      ['/tickets', 'link on /'],
      ['/group', 'select on /'],
      ['/workshop', 'select on /'],
    ]);
  });

  test("a link with a query is a page of its own (campaign tags and the affiliate link's parameters aside); past 10 queries of one path, the rest are named", async () => {
    const lists = Array.from({ length: 12 }, (_, i) => `<a href="/schedule?day=${i + 1}">Day ${i + 1}</a>`).join(' ');
    const site = folder({
      'index.html': `<!doctype html><a href="/checkout?event=summit-2026&utm_source=mail">Summit</a> <a href="/checkout?lang=en&event=workshop">Workshop</a>
        <a href="/checkout?utm_campaign=x&linkId=lp_1">Checkout</a> ${lists}`,
      'checkout.html': '<!doctype html><p>checkout</p>',
      'schedule.html': '<!doctype html><p>schedule</p>',
    });
    const report = await staticReport(site);
    expect(report.pages.map((p) => p.path)).toEqual([
      '/',
      '/checkout?event=summit-2026',
      '/checkout?event=workshop&lang=en',
      '/checkout',
      ...Array.from({ length: 10 }, (_, i) => `/schedule?day=${i + 1}`),
    ]);
    expect(report.findings.filter((f) => f.code === 'GATE_LIMIT_REACHED').map((f) => `${f.page}: ${f.message}`)).toEqual([
      '/schedule: the site links to /schedule with more than 10 different queries; the first 10 were checked as pages of their own, the rest not',
    ]);
  });

  gateTest('a page that sells what its query names, without the conversion snippet, fails where the buyer buys: with the query', async ({ gateSite }) => {
    const fixture = renderFixtureSite(configuredSite(harnessConfig()));
    const checkout = fixture['/']!.replace('</main>', `<div id="buy"></div><script>
      const widget = document.createElement('tito-widget');
      widget.setAttribute('event', 'acme-events/' + new URLSearchParams(location.search).get('event'));
      document.getElementById('buy').append(widget);
      const tito = document.createElement('script'); tito.src = 'https://js.tito.io/v2'; tito.async = true; document.head.append(tito);
    </script></main>`);
    const site = folder({ 'index.html': fixture['/']!.replace('href="/tickets"', 'href="/checkout?event=summit-2026"'), 'checkout.html': checkout });
    const { verdict } = await gateSite({ siteDir: site });
    expect(verdict.exitCode, story(verdict)).toBe(1);
    expect(errorsIn(verdict).map((f) => `${f.code} ${f.page}`)).toEqual(['EXTERNAL_CID_NOT_SENT /checkout?event=summit-2026']);
  });

  test("a script on the site's production host (SITE_ORIGIN, or its canonical host) is the site's own file: the snippet in it is audited, at its file and line", async () => {
    const config = harnessConfig();
    const fixture = renderFixtureSite(configuredSite(config));
    const snippet = /<script>((?:(?!<\/script>)[\s\S])*externalCid[\s\S]*?)<\/script>/.exec(fixture['/tickets']!)!;
    const tickets = fixture['/tickets']!.replace(snippet[0], '<script src="https://events.example.com/js/conversion.js"></script>');
    const pages = { 'index.html': fixture['/']!, 'tickets.html': tickets, 'js/conversion.js': snippet[1]!.replaceAll(config.trackdesk.tenantId, 'someone-else') };
    const served = await serveFolder(folder(pages));
    try {
      const discovered = [{ path: '/tickets', foundBy: ['a test'], status: 200, links: [], html: tickets }];
      const [audited] = await auditSite(discovered, served.url, config, config.tito.events, new Set(['events.example.com']));
      expect(audited!.findings.filter((f) => f.code === 'TENANT_MISMATCH').map((f) => f.file)).toEqual(['/js/conversion.js']);
    } finally {
      await served.close();
    }
  });

  /** The fixture site with its ticket page as a folder (tickets/index.html), its conversion snippet in a file the page loads as `conversion.js`, at `conversionAt`. */
  const folderSite = (conversionAt: string) => {
    const fixture = renderFixtureSite(configuredSite(harnessConfig()));
    const snippet = /<script>((?:(?!<\/script>)[\s\S])*externalCid[\s\S]*?)<\/script>/.exec(fixture['/tickets']!)!;
    return folder({ 'index.html': fixture['/']!, 'tickets/index.html': fixture['/tickets']!.replace(snippet[0], '<script src="conversion.js"></script>'), [conversionAt]: snippet[1]! });
  };

  gateTest('a folder page linked without its slash is checked at /tickets/, where static hosts serve it: its relative script path that only works at /tickets fails', async ({ gateSite }) => {
    const { verdict: report } = await gateSite({ siteDir: folderSite('conversion.js') });
    expect(report.exitCode, story(report)).toBe(1);
    expect(report.pages.map((p) => [p.path, p.foundBy.join(', ')])).toEqual([['/', 'the home page'], ['/tickets/', 'link on /']]);
    expect([...new Set(errorsIn(report).map((f) => `${f.code} ${f.page}`))]).toEqual(['EXTERNAL_CID_NOT_SENT /tickets/']);
    expect(report.findings.map((f) => `${f.code} ${f.message}`)).toContain('SAME_ORIGIN_NOT_FOUND the site answered 404 for /tickets/conversion.js');
  });

  gateTest('a folder page linked without its slash, whose relative script sits in its folder, passes: landed on, and reached by its link', async ({ gateSite }) => {
    const { verdict: report } = await gateSite({ siteDir: folderSite('tickets/conversion.js') });
    expect(report.exitCode, story(report)).toBe(0);
    expect(report.findings.map((f) => `${f.code} ${f.page}: ${f.message}`)).toEqual([]);
    expect(report.pages.flatMap((p) => p.checks).map((c) => `${c.status} ${c.title}`)).toContain('passed journey / → /tickets/: affiliate visit, click-through and registration (acme-events/summit-2026)');
  });

  test("a form, a button, a frame or a select of pages that the page's scripts draw leads discovery on once they ran", async ({ browser }) => {
    const rendered = await renderedHome(browser, `<!doctype html><main></main><script>
          document.querySelector('main').innerHTML = '<form action="/group"><button>Group</button></form><iframe src="/frame"></iframe>'
            + '<button onclick="window.location = \\'/vip?from=home\\'">VIP</button><button onclick="track()">Nowhere</button>'
            + '<select><option value="">Pick</option><option value="/students">Students</option><option value="2">Two</option></select>';
        </script>`);
    expect(rendered.ways).toEqual([
      { href: `${SITE_UNDER_TEST_ORIGIN}/group`, how: 'form' },
      { href: `${SITE_UNDER_TEST_ORIGIN}/frame`, how: 'frame' },
      { href: `${SITE_UNDER_TEST_ORIGIN}/vip?from=home`, how: 'button' },
      { href: `${SITE_UNDER_TEST_ORIGIN}/students`, how: 'select' },
    ]);
  });

  test('scripts a page inserts are read within a budget: none over 1 MB, 10 MB in all (hundreds of megabytes crashed the gate)', async ({ browser }) => {
    const rendered = await renderedHome(browser, `<!doctype html><script>
          for (let i = 0; i < 30; i++) { const s = document.createElement('script'); s.textContent = '//' + 'x'.repeat(900000); document.head.append(s); }
          const big = document.createElement('script'); big.textContent = '//' + 'y'.repeat(2000000); document.head.append(big);
        </script>`);
    const sizes = rendered.inlineScripts.map((code) => code.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1_000_000);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(10_000_000);
    expect(sizes.filter((size) => size === 900_002)).toHaveLength(11);
  });

  test('a page is read once quiet: a link drawn 200 ms after a request that began while the page was watched is seen', async ({ browser }) => {
    const rendered = await renderedHome(browser, `<!doctype html><main></main><script>
          const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
          (async () => {
            for (const at of [100, 200]) { await wait(at); await fetch('/').catch(() => undefined); }
            await wait(200);
            document.querySelector('main').innerHTML = '<a href="/late">Late</a>';
          })();
        </script>`);
    expect(rendered.links).toContain(`${SITE_UNDER_TEST_ORIGIN}/late`);
  });

  test('a page is read once quiet: a change while it is watched for the rest of its wait counts from then, so a link drawn 150 ms after it is seen', async ({ browser }) => {
    const rendered = await renderedHome(browser, `<!doctype html><main><p>Loading</p></main><script>
          const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
          (async () => {
            await wait(100);
            await fetch('/').catch(() => undefined);
            await wait(190);
            document.querySelector('p').textContent = 'Almost';
            await wait(150);
            document.querySelector('main').innerHTML = '<a href="/late">Late</a>';
          })();
        </script>`);
    expect(rendered.links).toContain(`${SITE_UNDER_TEST_ORIGIN}/late`);
  });

  test("a page is read once quiet: a change made between two of a wait's watches counts, though neither watch was under way, and whoever else watched meanwhile", async ({ page }) => {
    await page.setContent('<main>Loading</main>');
    const watch = (idleMs: number, since?: number) => inPage(page, mainThreadQuiet, { idleMs, maxMs: 2_000, since }, { world: 'isolated' });
    const first = await watch(50);
    // Another wait's watch (the landing's, beside the click's) under way as the page changes, and ending after it.
    const other = watch(300);
    await page.evaluate(() => document.querySelector('main')!.append(' done'));
    await other;
    const next = await watch(50, first.endedAt);
    expect(next.changed).toBe(true);
  });

  test("a page is read once quiet whatever host its requests go to: a link drawn after requests to Trackdesk's CDN, 120 ms apart, is seen", async ({ browser }) => {
    const rendered = await renderedHome(browser, `<!doctype html><main></main><script>
          (async () => {
            for (let i = 0; i < 8; i++) {
              await new Promise((resolve) => setTimeout(resolve, 120));
              await fetch('https://cdn.trackdesk.com/tracking.js?warm=' + i, { cache: 'no-store' }).catch(() => undefined);
            }
            document.querySelector('main').innerHTML = '<a href="/vip">VIP</a>';
          })();
        </script>`);
    expect(rendered.links).toContain(`${SITE_UNDER_TEST_ORIGIN}/vip`);
  });

  test("a link or button to Tito's hosted checkout that the page's scripts draw is seen once they ran", async ({ browser }) => {
    const rendered = await renderedHome(browser, `<!doctype html><main></main><script>
          document.querySelector('main').innerHTML = '<a href="https://ti.to/acme-events/summit-2026">Register</a> <a href="https://ti.to/home">Made with Tito</a>'
            + '<button onclick="location.href=\\'https://checkout.tito.io/acme-events/summit-2026\\'">Checkout</button>';
        </script>`);
    expect(rendered.checkoutLinks).toEqual([
      { href: 'https://ti.to/acme-events/summit-2026', text: 'Register' },
      { href: 'https://checkout.tito.io/acme-events/summit-2026', text: 'Checkout' },
    ]);
  });
});

test.describe("pages the host's 404 page serves (a router on GitHub Pages)", () => {
  test.describe.configure({ timeout: 120_000 });
  const fixture = () => renderFixtureSite(configuredSite(harnessConfig()));
  /** The head of the fixture's pages: the click tracker. */
  const head = () => /<head>[\s\S]*<\/head>/.exec(fixture()['/']!)![0];
  /** A 404.html whose script shows a storefront on /vip, with `conversion` (or none) beside it. */
  const router404 = (conversion = '') => `<!doctype html><html>${head()}<body><div id="page">Not found</div>
    <script>
      if (location.pathname === '/vip') {
        document.getElementById('page').innerHTML = '<h1>VIP passes</h1><tito-widget event="acme-events/summit-2026"></tito-widget>';
        const tito = document.createElement('script'); tito.src = 'https://js.tito.io/v2'; document.body.append(tito);
      }
    </script>${conversion}</body></html>`;
  const rendered = (storefronts: string[]): RenderedPage => ({ status: 404, links: [], ways: [], checkoutLinks: [], storefronts, inlineScripts: [], scriptUrls: [], errors: [], limits: [] });

  test("a linked path the site's 404 page answers is rendered when that page runs scripts: a page where it sells, a warning where it does not", async () => {
    const site = await serveFolder(folder({ 'index.html': '<!doctype html><a href="/vip">VIP</a> <a href="/gone">Old page</a>', '404.html': router404() }));
    const renders: string[] = [];
    try {
      const found = await discover({
        siteUrl: site.url,
        maxPages: 10,
        clientRoutes: new Set(),
        ownHosts: new Set(),
        render: (pagePath) => {
          renders.push(pagePath);
          return Promise.resolve(rendered(pagePath === '/vip' ? ['acme-events/summit-2026'] : []));
        },
      });
      expect(renders.sort()).toEqual(['/', '/gone', '/vip']);
      expect(found.pages.map((p) => [p.path, p.status, p.foundBy.join(', ')])).toEqual([
        ['/', 200, 'the home page'],
        ['/vip', 404, "link on /, answered by the site's 404 page"],
      ]);
      expect(found.findings.map((f) => `${f.code} ${f.page}: ${f.message}`)).toEqual(['PAGE_NOT_LOADED /gone: /gone (link on /) answered 404, so it was not checked']);
    } finally {
      await site.close();
    }
  });

  test('at most 20 paths the 404 page answers are rendered; the rest are named in a warning', async () => {
    const links = Array.from({ length: 25 }, (_, i) => `<a href="/old-${i}">Old ${i}</a>`).join(' ');
    const site = await serveFolder(folder({ 'index.html': `<!doctype html>${links}`, '404.html': router404() }));
    const renders: string[] = [];
    try {
      const found = await discover({ siteUrl: site.url, maxPages: 10, clientRoutes: new Set(), ownHosts: new Set(), render: (pagePath) => (renders.push(pagePath), Promise.resolve(rendered([]))) });
      expect(renders).toHaveLength(1 + 20);
      expect(found.findings.filter((f) => f.code === 'PAGE_NOT_LOADED')).toHaveLength(21);
      expect(found.findings.filter((f) => f.code === 'GATE_LIMIT_REACHED').map((f) => f.message)).toEqual([
        "the site's 404 page runs scripts, and it answered more paths the site links to than the 20 the gate looked at in a browser; 5 more were not checked",
      ]);
    } finally {
      await site.close();
    }
  });

  test('a 404.html without scripts is no page: its paths stay a warning, never rendered', async () => {
    const site = await serveFolder(folder({ 'index.html': '<!doctype html><a href="/vip">VIP</a>', '404.html': '<!doctype html><h1>Not found</h1><tito-widget event="acme-events/summit-2026"></tito-widget>' }));
    const renders: string[] = [];
    try {
      const found = await discover({ siteUrl: site.url, maxPages: 10, clientRoutes: new Set(), ownHosts: new Set(), render: (pagePath) => (renders.push(pagePath), Promise.resolve(rendered([]))) });
      expect(renders).toEqual(['/']);
      expect(found.pages.map((p) => p.path)).toEqual(['/']);
      expect(found.findings.map((f) => `${f.code} ${f.page}: ${f.message}`)).toEqual(['PAGE_NOT_LOADED /vip: /vip (link on /) answered 404, so it was not checked']);
    } finally {
      await site.close();
    }
  });

  gateTest('a storefront the 404 page shows on /vip, without the conversion snippet, fails there; where it shows none, the path is a warning and its visit is not told', async ({ gateSite }) => {
    const links = '<a href="/tickets">Get tickets</a> <a href="/vip">VIP passes</a> <a href="/gone">Last year</a>';
    const site = folder({ 'index.html': fixture()['/']!.replace('<a href="/tickets">Get tickets</a>', links), 'tickets.html': fixture()['/tickets']!, '404.html': router404() });
    const told: string[] = [];
    const { verdict: report } = await gateSite({ siteDir: site }, { onCheck: (check) => told.push(check.record.page) });
    expect(report.exitCode, story(report)).toBe(1);
    expect(report.pages.map((p) => [p.path, p.status, p.foundBy.join(', ')])).toEqual([
      ['/', 200, 'the home page'],
      ['/tickets', 200, 'link on /'],
      ['/vip', 404, "link on /, answered by the site's 404 page"],
    ]);
    expect([...new Set(report.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`))]).toEqual(['EXTERNAL_CID_NOT_SENT /vip']);
    expect(report.findings.filter((f) => f.code === 'PAGE_NOT_LOADED').map((f) => f.message)).toEqual(['/gone (link on /) answered 404, so it was not checked']);
    // Its visit is not told as a page's (the CLI prints what it is told); its warning is in the report.
    expect(told).toContain('/vip');
    expect(told).not.toContain('/gone');
  });

  for (const [how, args] of [['in the gate\'s own run', []], ["in Playwright's run of the checks (--html)", ['--html']]] as const) {
    test(`a storefront the 404 page shows on /vip, with the conversion snippet, passes ${how}: its 404 is how the host serves it`, async () => {
      const snippet = /<script>(?:(?!<\/script>)[\s\S])*externalCid[\s\S]*?<\/script>/.exec(fixture()['/tickets']!)![0];
      const site = folder({ 'index.html': fixture()['/']!.replace('<a href="/tickets">Get tickets</a>', '<a href="/vip">VIP passes</a>'), '404.html': router404(snippet) });
      const run = await runGate([...args], { SITE_DIR: site });
      const report = JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
      expect(run.code, run.stdout).toBe(0);
      expect(report.pages.map((p) => [p.path, p.storefronts])).toEqual([['/', []], ['/vip', ['acme-events/summit-2026']]]);
      expect(report.findings.map((f) => `${f.code} ${f.page}: ${f.message}`)).toEqual([]);
    });
  }
});
