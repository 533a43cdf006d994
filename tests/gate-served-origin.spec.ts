/**
 * Without SITE_ORIGIN, the gate serves a site on the production origin it names as its own (its home
 * page's canonical URL, else its og:url or base), and only on a public host name that is
 * nobody else's: never Trackdesk's, Tito's or Stripe's, one posing as theirs, a loopback name or address,
 * or a host with a port (gate/served-origin.ts).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { parseGateConfig } from '../gate/config.ts';
import { SITE_UNDER_TEST_ORIGIN } from '../gate/hosts.ts';
import { openSiteOnItsOrigin, servedOrigin } from '../gate/served-origin.ts';
import { serveFolder } from '../gate/site.ts';

const settings = {
  TRACKDESK_TENANT_ID: 'acme-events',
  TRACKDESK_REVENUE_ORIGIN_ID: '3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37',
  TRACKDESK_PERSONAL_TOKEN: 'td_personal_example_token',
  TITO_EVENT: 'acme-events/summit-2026',
  STRIPE_SECRET_KEY: 'sk_test_123',
};

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'served-origin-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The origin the gate serves a site of `files` on, with `env` over the owner's settings. */
async function originOf(files: Record<string, string>, env: Record<string, string> = {}): Promise<string> {
  const dir = folder(files);
  const site = await serveFolder(dir);
  try {
    return (await servedOrigin(parseGateConfig({ ...settings, SITE_DIR: dir, ...env }, []), site.url)).origin;
  } finally {
    await site.close();
  }
}

const home = (head: string) => ({ 'index.html': `<!doctype html><html><head><title>Summit</title>${head}</head><body><a href="/tickets">Tickets</a></body></html>` });
const sitemap = (urls: string[]) => ({ 'sitemap.xml': `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.map((u) => `<url><loc>${u}</loc></url>`).join('')}</urlset>` });

test('a home page that names its production origin (canonical URL, og:url or base) is served there; an http:// one on https', async () => {
  expect(await originOf(home('<link rel="canonical" href="https://events.example.com/">'))).toBe('https://events.example.com');
  expect(await originOf(home('<meta property="og:url" content="https://www.summit.example/">'))).toBe('https://www.summit.example');
  expect(await originOf(home('<base href="https://summit.example/">'))).toBe('https://summit.example');
  expect(await originOf(home('<link rel="canonical" href="http://events.example.com/">'))).toBe('https://events.example.com');
});

test('the canonical URL wins wherever it stands: an og:url of the apex before a canonical of www is not the origin', async () => {
  expect(await originOf(home('<meta property="og:url" content="https://summit.example/"><link rel="canonical" href="https://www.summit.example/">'))).toBe('https://www.summit.example');
});

test("a sitemap alone names no origin: the home page's own URLs do (a sitemap is read by discovery, bounded, once)", async () => {
  expect(await originOf({ ...home(''), ...sitemap(['https://events.example.com/', 'https://events.example.com/tickets']) })).toBe(SITE_UNDER_TEST_ORIGIN);
});

test('a site that names no production origin is served on site-under-test.test', async () => {
  expect(await originOf(home(''))).toBe(SITE_UNDER_TEST_ORIGIN);
  expect(await originOf(home('<link rel="canonical" href="/">'))).toBe(SITE_UNDER_TEST_ORIGIN);
  expect(await originOf({ 'tickets.html': '<!doctype html><link rel="canonical" href="https://events.example.com/tickets">' })).toBe(SITE_UNDER_TEST_ORIGIN);
});

test("without a canonical URL, the host its home page links to its own pages on is the origin (a WordPress menu's absolute links)", async () => {
  const linking = (links: string) => ({
    'index.html': `<!doctype html><html><head><title>Summit</title></head><body>${links}</body></html>`,
    'workshop.html': '<!doctype html><p>workshop</p>',
    'speakers/index.html': '<!doctype html><p>speakers</p>',
    'css/site.css': 'p{}',
    'js/app.js': '',
    'brochure.pdf': '%PDF',
  });
  expect(await originOf(linking('<a href="https://www.acme-summit.com/workshop">Workshop</a>'))).toBe('https://www.acme-summit.com');
  expect(await originOf(linking('<a href="https://acme.example/">Acme</a><a href="https://summit.example/speakers/">Speakers</a><a href="https://summit.example/workshop">Workshop</a><a href="https://acme.example/workshop">Theirs</a>'))).toBe('https://summit.example');
  // A page the folder does not have, the root alone, a folder without a page, a tie between two hosts: no origin.
  expect(await originOf(linking('<a href="https://other.example/programme">Programme</a>'))).toBe(SITE_UNDER_TEST_ORIGIN);
  expect(await originOf(linking('<a href="https://acme.example/">Acme</a>'))).toBe(SITE_UNDER_TEST_ORIGIN);
  expect(await originOf(linking('<a href="https://fonts.example/css">Fonts</a>'))).toBe(SITE_UNDER_TEST_ORIGIN);
  expect(await originOf(linking('<a href="https://a.example/workshop">A</a><a href="https://b.example/workshop">B</a>'))).toBe(SITE_UNDER_TEST_ORIGIN);
  expect(await originOf(linking('<a href="https://a.example/..%2F..%2Fetc%2Fpasswd">A</a>'))).toBe(SITE_UNDER_TEST_ORIGIN);
  // Pages only: a file the site also has (a script on a CDN of the same path, a brochure) names no host.
  expect(await originOf(linking('<script src="https://cdn.example/js/app.js"></script><a href="https://files.example/brochure.pdf">PDF</a>'))).toBe(SITE_UNDER_TEST_ORIGIN);
  expect(await originOf(linking('<a href="https://files.example/brochure.pdf">PDF</a><a href="https://files.example/js/app.js">JS</a><a href="https://www.acme-summit.com/workshop">W</a>'))).toBe('https://www.acme-summit.com');
  // A host and its www. pair are one site: its most linked name.
  expect(await originOf(linking('<a href="https://summit.example/workshop">W</a><a href="https://www.summit.example/speakers/">S</a><a href="https://www.summit.example/workshop">W</a><a href="https://other.example/workshop">O</a>'))).toBe('https://www.summit.example');
  // A symlink out of the folder names no page of it: whether a file exists elsewhere on the machine never shows.
  const outside = folder({ 'passwd.html': 'elsewhere' });
  const linked = folder(linking('<a href="https://probe.example/passwd">P</a>'));
  symlinkSync(path.join(outside, 'passwd.html'), path.join(linked, 'passwd.html'));
  const site = await serveFolder(linked);
  try {
    expect((await servedOrigin(parseGateConfig({ ...settings, SITE_DIR: linked }, []), site.url)).origin).toBe(SITE_UNDER_TEST_ORIGIN);
  } finally {
    await site.close();
  }
  // The canonical URL still wins, and hosts that are nobody's site never are.
  expect(await originOf({ ...linking('<a href="https://www.acme-summit.com/workshop">Workshop</a>'), 'index.html': '<!doctype html><link rel="canonical" href="https://summit.example/"><a href="https://www.acme-summit.com/workshop">W</a>' })).toBe('https://summit.example');
  expect(await originOf(linking('<a href="https://ti.to/workshop">Tito</a><a href="https://127.0.0.1/workshop">Loopback</a>'))).toBe(SITE_UNDER_TEST_ORIGIN);
});

for (const [what, url] of [
  ["Trackdesk's host", 'https://cdn.trackdesk.com/'],
  ["a tenant's Trackdesk host", 'https://acme-events.trackdesk.com/'],
  ["Tito's host", 'https://ti.to/acme-events/summit-2026'],
  ["Stripe's host", 'https://checkout.stripe.com/'],
  ['a host posing as Trackdesk', 'https://cdn.trackdesk-cdn.com/'],
  ['a loopback name with a port', 'http://localhost:8888/'],
  ['a loopback address', 'https://127.0.0.1/'],
  ['a private address', 'https://10.0.0.5/'],
  ['a host with a port', 'https://events.example.com:8443/'],
  ['a single label', 'https://intranet/'],
  ['a URL that is not http', 'javascript:alert(1)'],
] as const) {
  test(`a home page naming ${what} as its own is not served there`, async () => {
    expect(await originOf(home(`<link rel="canonical" href="${url}">`))).toBe(SITE_UNDER_TEST_ORIGIN);
    expect(await originOf(home(`<meta property="og:url" content="${url}">`))).toBe(SITE_UNDER_TEST_ORIGIN);
  });
}

test("SITE_ORIGIN wins over what the site names, site-under-test.test included (the way to keep the gate off the site's production host)", async () => {
  const named = home('<link rel="canonical" href="https://events.example.com/">');
  expect(await originOf(named, { SITE_ORIGIN: 'https://www.summit.example' })).toBe('https://www.summit.example');
  expect(await originOf(named, { SITE_ORIGIN: SITE_UNDER_TEST_ORIGIN })).toBe(SITE_UNDER_TEST_ORIGIN);
});

test("the run's description says where the origin came from, and only when the site named it", async () => {
  const dir = folder(home('<link rel="canonical" href="https://events.example.com/">'));
  const named = await openSiteOnItsOrigin(parseGateConfig({ ...settings, SITE_DIR: dir }, []));
  const given = await openSiteOnItsOrigin(parseGateConfig({ ...settings, SITE_DIR: dir, SITE_ORIGIN: 'https://events.example.com' }, []));
  try {
    expect(named.config.site.origin).toBe('https://events.example.com');
    expect(named.site.description).toMatch(/, served on https:\/\/events\.example\.com, the origin its home page names as its own; SITE_ORIGIN sets another$/);
    expect(given.config.site.origin).toBe('https://events.example.com');
    expect(given.site.description).not.toContain('served on');
  } finally {
    await Promise.all([named.site.close(), given.site.close()]);
  }
});

test.describe('a folder built for a base path (a GitHub Pages project site, Vite\'s or Astro\'s base)', () => {
  type NamedBy = 'its canonical URL' | 'its links and files alone' | 'its <base href>, its links relative to it';
  const built = (by: NamedBy) => {
    const [head, base] = by === 'its canonical URL' ? ['<link rel="canonical" href="https://acme-events.github.io/summit-2026/">', '/summit-2026/'] : by === 'its <base href>, its links relative to it' ? ['<base href="/summit-2026/">', ''] : ['', '/summit-2026/'];
    return folder({
      'index.html': `<!doctype html><html><head>${head}<script type="module" src="${base}assets/app.js"></script></head><body><a href="${base}tickets">Tickets</a></body></html>`,
      'tickets.html': '<!doctype html><title>Tickets</title>',
      'assets/app.js': '',
    });
  };

  for (const by of ['its canonical URL', 'its links and files alone', 'its <base href>, its links relative to it'] as const) {
    test(`is served under the base path its home page is built for (${by}), and nothing beside it`, async () => {
      const { site, config } = await openSiteOnItsOrigin(parseGateConfig({ ...settings, SITE_DIR: built(by) }, []));
      try {
        expect(config.site.basePath).toBe('/summit-2026/');
        expect(site.description).toContain(', under /summit-2026/ (the base path its home page is built for; SITE_BASE_PATH sets another)');
        const status = async (at: string) => (await fetch(`${site.url}${at}`, { redirect: 'manual' })).status;
        expect([await status('/summit-2026/'), await status('/summit-2026/tickets'), await status('/summit-2026/assets/app.js')]).toEqual([200, 200, 200]);
        expect((await fetch(`${site.url}/summit-2026`, { redirect: 'manual' })).headers.get('location')).toBe('/summit-2026/');
        // The host's own redirects stay under the base path.
        expect((await fetch(`${site.url}/summit-2026/tickets.html`, { redirect: 'manual' })).headers.get('location')).toBe('/summit-2026/tickets');
        expect([await status('/'), await status('/tickets'), await status('/assets/app.js')]).toEqual([404, 404, 404]);
      } finally {
        await site.close();
      }
    });
  }

  test('is served at / when it has a folder of that name, when SITE_BASE_PATH names another, and SITE_BASE_PATH must be a path of folders', async () => {
    const laidOut = folder({ 'summit-2026/index.html': '<!doctype html><link rel="canonical" href="https://acme-events.github.io/summit-2026/"><a href="/summit-2026/tickets">T</a>', 'summit-2026/tickets.html': '' });
    const asServed = await openSiteOnItsOrigin(parseGateConfig({ ...settings, SITE_DIR: laidOut }, []));
    const named = await openSiteOnItsOrigin(parseGateConfig({ ...settings, SITE_DIR: built('its canonical URL'), SITE_BASE_PATH: '/events/' }, []));
    try {
      expect(asServed.config.site.basePath).toBeUndefined();
      expect(named.config.site.basePath).toBe('/events/');
      expect(named.site.description).not.toContain('the base path its home page is built for');
    } finally {
      await Promise.all([asServed.site.close(), named.site.close()]);
    }
    expect(() => parseGateConfig({ ...settings, SITE_BASE_PATH: 'summit-2026' }, [])).toThrow('SITE_BASE_PATH "summit-2026" is not a path of folders such as /summit-2026/');
  });
});
