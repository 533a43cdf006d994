/**
 * The journeys the gate walks: from each landing page, the shortest way by the site's links to every
 * other page that sells tickets, with redirected links (`/tickets` → `/tickets/`) and hash routes.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessConfig, projectRoot } from '../fixtures/config.ts';
import { expect, ownersSettings, test } from '../fixtures/gate-run.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import { SITE_UNDER_TEST_ORIGIN } from '../gate/hosts.ts';
import { finding } from '../gate/findings.ts';
import { judge, type GateVerdict } from '../gate/judge.ts';
import { scanHtml } from '../gate/audit/html.ts';
import { libraryCopy } from '../gate/cdn-libraries.ts';
import { journeyName, linkFollowing, navigationScripts, pageKey, planJourneys, type PlannedJourney } from '../gate/navigation.ts';


const page = (path: string, links: string[], storefronts: string[] = []) => ({ path, links, storefronts });
/** The journeys by links, without the returning buyer's (planned once a site, tested on its own). */
const byLinks = (journeys: PlannedJourney[]) => journeys.filter((j) => !j.returning).map(journeyName);

/** A site of `files` (name → HTML), gated with the owner's settings: its verdict, and its findings told one a line. */
async function gated(gateSite: (site: { siteDir: string; env: Record<string, string> }) => Promise<{ verdict: GateVerdict }>, files: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'journeys-site-'));
  for (const [name, html] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), html);
  }
  const { verdict } = await gateSite({ siteDir: dir, env: ownersSettings() });
  return { verdict, story: verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n') };
}

/**
 * A router that swaps the next page's body in for the links `follows` selects, as htmx's hx-boost and
 * Turbo do (the next page's scripts never run), and puts `pushed` (code of the clicked link `a`) in the address bar.
 */
function swapRouter(follows: string, pushed = "a.getAttribute('href')"): string {
  return `<script>document.addEventListener('click', (e) => {
    const a = e.target.closest(${JSON.stringify(follows)}); if (!a) return; e.preventDefault();
    fetch(a.getAttribute('href')).then((r) => r.text()).then((html) => {
      const next = new DOMParser().parseFromString(html, 'text/html');
      document.title = next.title; document.body.innerHTML = next.body.innerHTML; history.pushState({}, '', ${pushed});
    });
  });</script>`;
}

test('a visitor who lands on / reaches each ticket page by the shortest way the links offer', () => {
  const pages = [
    page('/', ['/about', '/events']),
    page('/about', ['/', '/tickets']),
    page('/events', ['/events/summit']),
    page('/events/summit', ['/tickets'], ['acme/summit']),
    page('/tickets', [], ['acme/summit']),
  ];
  const journeys = planJourneys(pages, ['/'], new Map());
  expect(byLinks(journeys)).toEqual(['/ → /events → /events/summit', '/ → /about → /tickets']);
});

test('a library one page starts and that follows links on every page it swaps in (hx-boost on a blog layout\'s <body>, Turbo) is gone through on the way to the ticket page, once', () => {
  const withScripts = (path: string, links: string[], scripts: string[], storefronts: string[] = []) => ({ ...page(path, links, storefronts), scripts });
  const pages = [
    withScripts('/', ['/blog', '/schedule'], ['site-under-test.test/js/main.js']),
    withScripts('/blog', ['/', '/blog/why-attend'], ['site-under-test.test/js/main.js', 'site-under-test.test/js/htmx.min.js', 'markup hx-boost']),
    withScripts('/blog/why-attend', ['/blog', '/schedule'], ['site-under-test.test/js/main.js', 'site-under-test.test/js/htmx.min.js', 'markup hx-boost']),
    withScripts('/schedule', ['/', '/tickets'], ['site-under-test.test/js/main.js']),
    withScripts('/tickets', ['/'], ['site-under-test.test/js/main.js'], ['acme/summit']),
  ];
  expect(byLinks(planJourneys(pages, ['/'], new Map()))).toEqual(['/ → /schedule → /tickets', '/ → /blog → /blog/why-attend → /schedule → /tickets']);
  // Where the shortest way already passes such a page, no other way is added.
  const boosted = pages.map((p) => (p.path === '/schedule' ? { ...p, scripts: [...p.scripts, 'unpkg.com/htmx.org@2.0.8/dist/htmx.min.js'] } : p));
  expect(byLinks(planJourneys(boosted, ['/'], new Map()))).toEqual(['/ → /schedule → /tickets']);
});

test('once a site, a buyer lands on the ticket page nearest the first landing page, or on that page where it sells, and comes back to it in a new session', () => {
  const pages = [page('/', ['/about', '/events']), page('/about', ['/tickets']), page('/events', ['/events/summit']), page('/events/summit', [], ['acme/summit']), page('/tickets', [], ['acme/summit'])];
  const returning = planJourneys(pages, ['/', '/about'], new Map()).filter((j) => j.returning);
  expect(returning.map(journeyName)).toEqual(['/tickets (a return in a new session)']);
  const selling = planJourneys([page('/', ['/tickets'], ['acme/summit']), page('/tickets', [], ['acme/summit'])], ['/'], new Map());
  expect(selling.filter((j) => j.returning).map(journeyName)).toEqual(['/ (a return in a new session)']);
  expect(planJourneys([page('/', ['/about']), page('/about', [])], ['/'], new Map())).toEqual([]);
  // A ticket page no link reaches (a form's "Get tickets", a button's): a buyer comes back to it by its address.
  expect(planJourneys([page('/', ['/about']), page('/about', []), page('/tickets', [], ['acme/summit'])], ['/'], new Map()).map(journeyName)).toEqual(['/tickets (a return in a new session)']);
});

test('a link that redirects is followed to the page it leads to, and clicked as the link names it', () => {
  const pages = [page('/', ['/tickets']), page('/tickets/', [], ['acme/summit'])];
  const [journey] = planJourneys(pages, ['/'], new Map([['/tickets', '/tickets/']]));
  expect(journey!.stops).toEqual([
    { page: '/', linkedAs: ['/'] },
    { page: '/tickets/', linkedAs: ['/tickets/', '/tickets'] },
  ]);
});

test('a landing page that sells is bought on where the visitor lands (through a redirect link); no journey by links to a ticket page no link reaches, or from a landing page that was never found', () => {
  const pages = [page('/', ['/about'], ['acme/summit']), page('/about', []), page('/hidden', [], ['acme/summit'])];
  expect(byLinks(planJourneys(pages, ['/', '/missing'], new Map()))).toEqual(['/']);
  expect(byLinks(planJourneys(pages.map((p) => ({ ...p, storefronts: p.path === '/' ? [] : p.storefronts })), ['/'], new Map()))).toEqual([]);
});

test('each landing page starts journeys of its own', () => {
  const pages = [page('/', ['/tickets']), page('/speakers', ['/tickets']), page('/tickets', [], ['acme/summit'])];
  expect(byLinks(planJourneys(pages, ['/', '/speakers'], new Map()))).toEqual(['/ → /tickets', '/speakers → /tickets']);
});

test('the last step to a ticket page is also taken from pages that run other scripts, the most different first, two at most', () => {
  const site = ['tracking.js', 'inline 1a2b'];
  const pages = [
    { ...page('/', ['/tickets', '/about', '/speakers', '/blog', '/venue']), scripts: site },
    { ...page('/about', ['/tickets']), scripts: site },
    { ...page('/speakers', ['/tickets']), scripts: [...site, 'htmx.js', 'inline 3c4d'] },
    { ...page('/blog', ['/tickets']), scripts: [...site, 'blog.js'] },
    { ...page('/venue', ['/tickets']), scripts: [...site, 'maps.js', 'turbo.js', 'inline 5e6f'] },
    { ...page('/tickets', ['/']), scripts: site, storefronts: ['acme/summit'] },
  ];
  expect(byLinks(planJourneys(pages, ['/'], new Map()))).toEqual(['/ → /tickets', '/ → /venue → /tickets', '/ → /speakers → /tickets']);
  // Pages that run the same scripts as the shortest way's follow links alike: no other way is walked.
  const alike = pages.map((p) => ({ ...p, scripts: site }));
  expect(byLinks(planJourneys(alike, ['/'], new Map()))).toEqual(['/ → /tickets']);
});

test('pages running the same scripts over other link-handling markup (hx-boost on one list, a barba namespace) follow links otherwise: the last step is taken from them too', () => {
  const html = (body: string) => `<!doctype html><html><head><script src="/js/htmx.min.js"></script></head><body>${body}</body></html>`;
  const follows = (path: string, body: string) => linkFollowing(scanHtml(html(body)), path);
  const pages = [
    { ...page('/', ['/tickets', '/speakers', '/about']), scripts: follows('/', '<a href="/tickets">Tickets</a>') },
    { ...page('/about', ['/tickets']), scripts: follows('/about', '<a href="/tickets">Tickets</a>') },
    { ...page('/speakers', ['/tickets']), scripts: follows('/speakers', '<div hx-boost="true"><a href="/tickets">Book a seat</a></div>') },
    { ...page('/tickets', ['/']), scripts: [], storefronts: ['acme/summit'] },
  ];
  expect(pages[2]!.scripts).toContain('markup hx-boost=true');
  expect(byLinks(planJourneys(pages, ['/'], new Map()))).toEqual(['/ → /tickets', '/ → /speakers → /tickets']);
  expect(follows('/speakers', '<main data-barba="container" data-barba-namespace="speakers"></main>')).not.toEqual(follows('/about', '<main data-barba="container" data-barba-namespace="about"></main>'));
  // Sixty links marked alike count once: they do not crowd out the one list marked otherwise.
  const nav = Array.from({ length: 60 }, (_, i) => `<a hx-boost="false" href="/p${i}">p${i}</a>`).join('');
  expect(follows('/speakers', `${nav}<div hx-boost="true"><a href="/tickets">Book a seat</a></div>`)).toContain('markup hx-boost=true');
  // Nor do fifty lazy blocks, each with a URL of its own, or fifty marks of another library.
  const lazy = Array.from({ length: 50 }, (_, i) => `<div hx-get="/abstracts/talk-${i}.html" hx-trigger="revealed" hx-swap="outerHTML" up-x${'y'.repeat(i)}="1"></div>`).join('');
  expect(follows('/speakers', `${lazy}<div hx-boost="true"><a href="/tickets">Book a seat</a></div>`)).toContain('markup hx-boost=true');
});

test('a ticket page that breaks the same way on every way in is named once, by the first (the shortest) way', () => {
  const broke = (way: string) => ({ title: `journey ${way}`, status: 'failed' as const, page: '/tickets', kind: 'journey' as const, findings: [finding('EXTERNAL_CID_NOT_SENT', '/tickets', `after ${way}: no externalCid`)] });
  const verdict = judge([broke('/ → /tickets'), broke('/ → /speakers → /tickets'), { ...broke('/ → /venue → /tickets'), findings: [finding('STOREFRONT_NOT_RENDERED', '/tickets', 'after / → /venue → /tickets: no storefront')] }], [], 'passed');
  expect(verdict.findings.map((f) => f.message)).toEqual(['after / → /tickets: no externalCid', 'after / → /venue → /tickets: no storefront']);
});

test('the scripts of a page are named alike on every page: a file without its query, inline code by its text', () => {
  const scripts = (html: string[], at: string) => navigationScripts(html.map((code) => (code.startsWith('/') || code.startsWith('http') ? { src: code, code: null } : { src: null, code })), at);
  expect(scripts(['/js/app.js?ver=6.4', 'window.x = 1;', '  window.x   =  1; '], '/a')).toEqual(scripts(['https://site-under-test.test/js/app.js?ver=6.5', 'window.x = 1;'], '/b/c'));
  expect(scripts(['window.x = 1;'], '/')).not.toEqual(scripts(['window.x = 2;'], '/'));
});

test("hash routes are pages of their own, a page's anchors are not, and other hosts are off the site", () => {
  expect(pageKey(`${SITE_UNDER_TEST_ORIGIN}/#/tickets`, [])).toBe('/#/tickets');
  expect(pageKey(`${SITE_UNDER_TEST_ORIGIN}/app#!/tickets?x=1`, [])).toBe('/app#!/tickets?x=1');
  expect(pageKey(`${SITE_UNDER_TEST_ORIGIN}/about#faq`, [])).toBe('/about');
  expect(pageKey(`${SITE_UNDER_TEST_ORIGIN}/#/`, [])).toBe('/');
  // A redirect link lands with ?cid=, which a hash route's links keep (`/?cid=…#/tickets`): the same route.
  expect(pageKey(`${SITE_UNDER_TEST_ORIGIN}/?cid=4f1e#/tickets`, [])).toBe('/#/tickets');
  expect(pageKey(`${SITE_UNDER_TEST_ORIGIN}/checkout?event=summit-2026&cid=4f1e&utm_source=x`, [])).toBe('/checkout?event=summit-2026');
  expect(pageKey('https://summit.example/tickets', ['summit.example'])).toBe('/tickets');
  expect(pageKey('https://elsewhere.example/tickets', ['summit.example'])).toBeNull();
  expect(pageKey('ftp://summit.example/tickets', ['summit.example'])).toBeNull();
  expect(pageKey('#/tickets', [], '/app')).toBe('/app#/tickets');
  expect(pageKey('http://[', [])).toBeNull();
  // A blob the page made has the page's origin, and is none of its pages.
  expect(pageKey(`blob:${SITE_UNDER_TEST_ORIGIN}/4f1c2a9e-0b7d-4e8a-9c61-2d3b5a7f8e10`, [])).toBeNull();
  expect(pageKey(`blob:https://summit.example/4f1c2a9e`, ['summit.example'])).toBeNull();
});

test("a journey the gate cannot follow is a warning that says where it got stuck, and the direct checks still decide", async ({ gateSite }) => {
  test.setTimeout(180_000);
  // The home page's script sends every click on a ticket link to /sold-out instead.
  const detour = `<script>document.addEventListener('click', (e) => { if (e.target.closest('a[href*="tickets"]')) { e.preventDefault(); location.href = '/sold-out'; } }, true);</script>`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'detour-site-'));
  for (const [at, html] of Object.entries(renderFixtureSite(configuredSite(harnessConfig())))) {
    const file = path.join(dir, at === '/' ? 'index.html' : `${at.slice(1)}.html`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, at === '/' ? html.replace('</body>', `${detour}</body>`) : html);
  }
  writeFileSync(path.join(dir, 'sold-out.html'), '<!doctype html><title>Sold out</title><p>Sold out</p>');

  const { verdict: report } = await gateSite({ siteDir: dir, env: ownersSettings() });
  expect(report.findings.filter((f) => f.code === 'JOURNEY_NOT_FOLLOWED').map((f) => [f.severity, f.page, f.message, f.fix])).toEqual([
    ['warning', '/tickets', `/ → "Get tickets" → /tickets (full page load): after the click the browser showed ${SITE_UNDER_TEST_ORIGIN}/sold-out, not /tickets, within 10 s, so buying after navigation was not checked`, 'make sure a visitor can reach /tickets from / by its links'],
  ]);
  expect([report.verdict, report.exitCode]).toEqual(['passed', 0]);
});

test("a page whose script swaps the next page in (hx-boost's way) is walked from too: the ticket page's snippet that only a full load runs fails after it", async ({ gateSite }) => {
  test.setTimeout(180_000);
  // /speakers loads Tito's script (as a site-wide layout does) and swaps the body of the next page in, as
  // htmx's hx-boost and Turbo do: the storefront renders, the conversion snippet in that body never runs.
  const boost = swapRouter('a[href^="/"]');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'boost-route-site-'));
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  writeFileSync(path.join(dir, 'index.html'), fixture['/']!.replace('</main>', '<a href="/speakers">Speakers</a></main>'));
  writeFileSync(path.join(dir, 'speakers.html'), fixture['/']!.replace('</head>', `<script src="https://js.tito.io/v2" async></script>${boost}</head>`).replace('</main>', '<a href="/speakers">Speakers</a></main>'));
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);

  const { verdict: report } = await gateSite({ siteDir: dir, env: ownersSettings() });
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  const broken = report.findings.filter((f) => f.severity === 'error');
  expect(broken.map((f) => [f.code, f.page]), story).toEqual([['EXTERNAL_CID_NOT_SENT', '/tickets']]);
  expect(broken[0]!.message, story).toContain('after / → "Speakers" → /speakers (full page load) → "Get tickets" → /tickets (client-side navigation)');
  expect(report.exitCode, story).toBe(1);
});

test("a link that opens a new tab is followed as the browser follows it, a full load past the page's router: the ticket page's snippet that only a full load runs passes", async ({ gateSite }) => {
  test.setTimeout(180_000);
  // A router that swaps the next page in, and, as Turbo's, preact-iso's and React Router's do, leaves a link to another tab to the browser.
  const router = `<script src="https://js.tito.io/v2" async></script>${swapRouter('a[href^="/"]:not([target]), a[href^="/"][target="_self"]')}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'new-tab-site-'));
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const home = fixture['/']!.replace('</head>', `${router}</head>`).replace('<a href="/tickets">Get tickets', '<a href="/tickets" target="_blank" rel="noopener">Get tickets');
  expect(home).toContain('target="_blank"');
  writeFileSync(path.join(dir, 'index.html'), home);
  // The conversion snippet in the body: a full load runs it, the router's swap does not.
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);

  const { verdict: report } = await gateSite({ siteDir: dir, env: ownersSettings() });
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  expect(report.findings.filter((f) => f.severity !== 'warning').map((f) => `${f.code} ${f.page}`), story).toEqual([]);
  const journey = report.pages.find((p) => p.path === '/tickets')!.checks.find((c) => c.kind === 'journey' && c.title.includes('/ → /tickets'));
  expect([report.verdict, journey?.status], story).toEqual(['passed', 'passed']);
});

test("a link that opens a new tab is clicked as a visitor clicks it: its own handler that makes a partner's click fails the journey", async ({ gateSite }) => {
  test.setTimeout(180_000);
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const tenant = harnessConfig().trackdesk.tenantId;
  // The handler hands the visitor's click to a partner (cookie stuffing) through the real tracking.js; the browser then opens the new tab.
  const stuffing = `<script>document.getElementById('cta').addEventListener('click', () => {
  const back = location.pathname + location.search;
  history.replaceState(null, '', '/?linkId=lp_777777&sourceId=partner-shop&tenantId=${tenant}'); trackdesk('${tenant}', 'click'); history.replaceState(null, '', back);
});</script>`;
  const home = fixture['/']!.replace('<a href="/tickets">Get tickets</a>', '<a href="/tickets" id="cta" target="_blank" rel="noopener">Get tickets</a>').replace('</main>', `</main>${stuffing}`);
  expect(home).toContain('id="cta" target="_blank"');
  const { verdict, story } = await gated(gateSite, { 'index.html': home, 'tickets.html': fixture['/tickets']! });
  expect(verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`), story).toEqual(['ATTRIBUTION_BROKEN /tickets']);
  expect(verdict.findings.find((f) => f.code === 'ATTRIBUTION_BROKEN')?.message, story).toContain('partner-shop');
});

test("a page whose <base target=\"_blank\"> opens its links in new tabs is followed there: a ticket page that drops the click's cookie for a visitor who came by a link fails", async ({ gateSite }) => {
  test.setTimeout(180_000);
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const home = fixture['/']!.replace('<head>', '<head><base target="_blank">');
  const drops = `<script>if (document.referrer.indexOf(location.host) >= 0) setInterval(() => { document.cookie = 'trakdesk_cid=; path=/; max-age=0'; }, 30);</script>`;
  const { verdict, story } = await gated(gateSite, { 'index.html': home, 'tickets.html': fixture['/tickets']!.replace('</body>', `${drops}</body>`) });
  expect(verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`), story).toEqual(['CLICK_COOKIE_MISSING /tickets']);
  expect(verdict.findings.find((f) => f.code === 'CLICK_COOKIE_MISSING')?.message, story).toContain('(full page load, in a new tab)');
});

test("a link to another tab opens a fresh tab: a tracker loaded only for a visit remembered in the tab (window.name, session storage) loses the buyer there, and the journey fails", async ({ gateSite }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tab-remembered-site-'));
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const loader = `<script>
if (/[?&](linkId|cid)=/.test(location.search)) { window.name = 'affiliate-visit'; sessionStorage.setItem('affiliate-visit', '1'); }
if (window.name === 'affiliate-visit' || sessionStorage.getItem('affiliate-visit')) { var s = document.createElement('script'); s.async = true; s.src = '//cdn.trackdesk.com/tracking.js'; document.head.appendChild(s); }
</script>`;
  for (const [at, html] of Object.entries(fixture)) {
    const loaded = html.replaceAll('<script async src="//cdn.trackdesk.com/tracking.js"></script>', loader).replace('<a href="/tickets">Get tickets', '<a href="/tickets" target="_blank" rel="noopener">Get tickets');
    writeFileSync(path.join(dir, at === '/' ? 'index.html' : `${at.slice(1)}.html`), loaded);
  }
  expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('target="_blank"');
  const { verdict: report } = await gateSite({ siteDir: dir, env: ownersSettings() });
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  const journey = report.pages.find((p) => p.path === '/tickets')!.checks.find((c) => c.kind === 'journey' && c.title.includes('/ → /tickets'));
  expect([report.verdict, journey?.status], story).toEqual(['failed', 'failed']);
});

test("a router that adds a query as it goes (/tickets?from=home) has still arrived: the journey buys there, and what only navigation breaks fails", async ({ gateSite }) => {
  test.setTimeout(180_000);
  const swap = `<script src="https://js.tito.io/v2" async></script>${swapRouter('a[href^="/"]', "a.getAttribute('href') + '?from=home'")}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'query-route-site-'));
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  writeFileSync(path.join(dir, 'index.html'), fixture['/']!.replace('</head>', `${swap}</head>`));
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);

  const { verdict: report } = await gateSite({ siteDir: dir, env: ownersSettings() });
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  expect(report.findings.filter((f) => f.code === 'JOURNEY_NOT_FOLLOWED'), story).toEqual([]);
  const broken = report.findings.filter((f) => f.severity === 'error');
  expect(broken.map((f) => `${f.code} ${f.page}`), story).toEqual(['EXTERNAL_CID_NOT_SENT /tickets']);
  expect(broken[0]!.message, story).toContain('after / → "Get tickets" → /tickets (client-side navigation)');
});

test("links in a component's shadow root (a web-component nav bar) are the site's links: the ticket page is found through them and the journey clicks them", async ({ gateSite }) => {
  const nav = `<site-nav></site-nav><script>customElements.define('site-nav', class extends HTMLElement { connectedCallback() { this.attachShadow({ mode: 'open' }).innerHTML = '<nav><a href="/tickets">Get tickets</a></nav>'; } });</script>`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shadow-nav-site-'));
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const home = fixture['/']!.replace('<p><a href="/tickets">Get tickets</a></p>', nav);
  expect(home).not.toContain('<p><a href="/tickets">');
  writeFileSync(path.join(dir, 'index.html'), home);
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);

  const { verdict: report } = await gateSite({ siteDir: dir, env: ownersSettings() });
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  expect(report.findings.filter((f) => f.severity !== 'warning').map((f) => `${f.code} ${f.page}`), story).toEqual([]);
  const tickets = report.pages.find((p) => p.path === '/tickets');
  // The journey by its links, and the buyer who comes back.
  expect(tickets?.checks.map((c) => `${c.kind} ${c.status}`).sort(), story).toEqual(['journey passed', 'journey passed', 'registration passed', 'static audit passed']);
  expect(report.findings.filter((f) => f.code === 'JOURNEY_NOT_FOLLOWED'), story).toEqual([]);
});

test('a site built for a base path (a GitHub Pages project site) is checked there: its home page is the base path, and the journey walks its links under it', async ({ gateSite }) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'base-path-site-'));
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const home = fixture['/']!.replace('<p><a href="/tickets">Get tickets</a></p>', '<p><a href="/summit-2026/tickets">Get tickets</a></p>').replace('</head>', '<link rel="canonical" href="https://acme-events.github.io/summit-2026/"></head>');
  expect(home).toContain('href="/summit-2026/tickets"');
  writeFileSync(path.join(dir, 'index.html'), home);
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);
  // A page no link names, in the sitemap the build wrote under the base path.
  writeFileSync(path.join(dir, 'venue.html'), fixture['/']!);
  writeFileSync(path.join(dir, 'sitemap.xml'), '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://acme-events.github.io/summit-2026/venue</loc></url></urlset>');

  const { verdict: report } = await gateSite({ siteDir: dir, env: ownersSettings() });
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  expect(report.findings.filter((f) => f.severity !== 'warning').map((f) => `${f.code} ${f.page}`), story).toEqual([]);
  expect(report.pages.map((p) => [p.path, p.foundBy.join(', ')]).sort(), story).toEqual([
    ['/summit-2026/', 'the home page'],
    ['/summit-2026/tickets', 'link on /summit-2026/'],
    ['/summit-2026/venue', 'sitemap'],
  ]);
  expect(report.pages.find((p) => p.path === '/summit-2026/tickets')!.checks.map((c) => `${c.kind} ${c.status}`).sort(), story).toEqual(['journey passed', 'journey passed', 'registration passed', 'static audit passed']);
});

test("link-handling markup a shared script adds once the page ran (hx-boost on a .js-boost list) tells pages apart too: the ticket page's snippet that only a full load runs fails after it", async ({ gateSite }) => {
  test.setTimeout(180_000);
  // The same script on every page: it boosts whichever lists carry the class, and swaps the next page in for their links.
  const shared = `<script src="https://js.tito.io/v2" async></script><script>document.addEventListener('DOMContentLoaded', () => document.querySelectorAll('.js-boost').forEach((list) => list.setAttribute('hx-boost', 'true')));</script>${swapRouter('[hx-boost="true"] a[href^="/"]')}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runtime-boost-site-'));
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  writeFileSync(path.join(dir, 'index.html'), fixture['/']!.replace('</head>', `${shared}</head>`).replace('</main>', '<a href="/speakers">Speakers</a></main>'));
  writeFileSync(path.join(dir, 'speakers.html'), fixture['/']!.replace('</head>', `${shared}</head>`).replace('<p><a href="/tickets">Get tickets</a></p>', '<div class="js-boost"><a href="/tickets">Book a seat</a></div>'));
  writeFileSync(path.join(dir, 'tickets.html'), fixture['/tickets']!);

  const { verdict: report } = await gateSite({ siteDir: dir, env: ownersSettings() });
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  const broken = report.findings.filter((f) => f.severity === 'error');
  expect(broken.map((f) => f.page), story).toEqual(['/tickets']);
  expect(broken[0]!.message, story).toContain('after / → "Speakers" → /speakers (full page load) → "Book a seat" → /tickets (client-side navigation)');
});

test("a tracker loaded only for a visit that came with an affiliate link, remembered for the session (session storage, a session cookie), loses the buyer who comes back: it fails on the return; remembered for good, it passes", async ({ gateSite }) => {
  test.setTimeout(180_000);
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  /** Every page loads tracking.js only for a visit whose landing URL had the link's parameters, remembered as `remember` says. */
  const remembered = {
    sessionStorage: ["sessionStorage.setItem('affiliate-visit', '1')", "sessionStorage.getItem('affiliate-visit')"],
    sessionCookie: ["document.cookie = 'affiliate-visit=1; path=/'", "/(^|; )affiliate-visit=1/.test(document.cookie)"],
    localStorage: ["localStorage.setItem('affiliate-visit', '1')", "localStorage.getItem('affiliate-visit')"],
  } as const;
  const site = (remember: keyof typeof remembered) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'remembered-visit-site-'));
    const [set, get] = remembered[remember];
    const loader = `<script>
if (/[?&](linkId|cid)=/.test(location.search)) ${set};
if (${get}) { var s = document.createElement('script'); s.async = true; s.src = '//cdn.trackdesk.com/tracking.js'; document.head.appendChild(s); }
</script>`;
    for (const [at, html] of Object.entries(fixture)) {
      const loaded = html.replaceAll('<script async src="//cdn.trackdesk.com/tracking.js"></script>', loader);
      expect(loaded).not.toContain('<script async src="//cdn.trackdesk.com/tracking.js">');
      writeFileSync(path.join(dir, at === '/' ? 'index.html' : `${at.slice(1)}.html`), loaded);
    }
    return dir;
  };

  for (const forTheSession of ['sessionStorage', 'sessionCookie'] as const) {
    const { verdict } = await gateSite({ siteDir: site(forTheSession), env: ownersSettings() });
    const story = verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
    const errors = verdict.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => `${f.code} ${f.page}`), `${forTheSession}\n${story}`).toEqual(['EXTERNAL_CID_NOT_SENT /tickets']);
    expect(errors[0]!.message, story).toContain('for a buyer who landed on /tickets, then a return to /tickets in a new session:');
  }

  const { verdict: forGood } = await gateSite({ siteDir: site('localStorage'), env: ownersSettings() });
  expect(forGood.exitCode, forGood.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n')).toBe(0);
});

test("htmx loaded from a public CDN, pinned by its SRI hash as htmx's docs show, runs as for a visitor, from the gate's own copy: the ticket page whose snippet only a full load runs fails after the boosted click", async ({ gateSite }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdn-htmx-site-'));
  cpSync(path.join(projectRoot, 'gate', 'corpus', 'htmx-boost-head-only', 'site'), dir, { recursive: true });
  rmSync(path.join(dir, 'js', 'htmx.min.js'));
  for (const page of ['index.html', 'schedule.html', 'tickets.html']) {
    const html = readFileSync(path.join(dir, page), 'utf8');
    expect(html).toContain('<script src="/js/htmx.min.js">');
    writeFileSync(path.join(dir, page), html.replace('<script src="/js/htmx.min.js">', '<script src="https://unpkg.com/htmx.org@2.0.4" integrity="sha384-HGfztofotfshcF7+8n44JQL2oJmowVChPTg48S+jvZoztPfvwD79OC/LTtG6dMp+" crossorigin="anonymous">'));
  }
  const { verdict: report } = await gateSite({ siteDir: dir, env: ownersSettings() });
  const story = report.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');
  const errors = report.findings.filter((f) => f.severity === 'error');
  expect(errors.map((f) => `${f.code} ${f.page}`), story).toEqual(['STOREFRONT_NOT_RENDERED /tickets']);
  expect(errors[0]!.message, story).toContain('(client-side navigation)');
});

test("only the libraries, and major versions, the gate has a copy of are answered with it; any other script of a CDN gets the neutral answer", () => {
  expect(libraryCopy('https://unpkg.com/htmx.org@2.0.4')?.name).toBe('htmx.org');
  expect(libraryCopy('https://cdn.jsdelivr.net/npm/htmx.org@2.0.8/dist/htmx.min.js')?.name).toBe('htmx.org');
  expect(libraryCopy('https://unpkg.com/alpinejs@3.14.1/dist/cdn.min.js')?.name).toBe('alpinejs');
  expect(libraryCopy('https://code.jquery.com/jquery-3.7.1.min.js?v=1')?.name).toBe('jquery');
  expect(libraryCopy('https://ajax.googleapis.com/ajax/libs/jquery/3.6.0/jquery.min.js')?.name).toBe('jquery');
  for (const other of ['https://unpkg.com/htmx.org@1.9.12', 'https://code.jquery.com/jquery-1.12.4.min.js', 'https://unpkg.com/htmx.org', 'https://unpkg.com/htmx.org@2.0.4/dist/ext/json-enc.js', 'https://cdn.example/htmx.org@2.0.4', 'https://www.googletagmanager.com/gtag/js?id=G-1']) {
    expect(libraryCopy(other), other).toBeNull();
  }
});

test("a single-page app's route with a query (/register?event=…) is served the app shell, as its host does: a correct app passes, bought on there", async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const head = /<head>([\s\S]*)<\/head>/.exec(fixture['/']!)![1]!;
  // The guide's conversion tracker, the last snippet of the ticket page's <body>.
  const conversion = [...fixture['/tickets']!.matchAll(/<!-- Trackdesk tracker begin -->[\s\S]*?<!-- Trackdesk tracker end -->/g)].at(-1)![0];
  expect(conversion).toContain('externalCid');
  const app = `<!doctype html><html><head>${head}<script src="https://js.tito.io/v2" async></script></head><body><div id="root"></div>
<script type="module">
  const root = document.getElementById('root');
  const event = new URLSearchParams(location.search).get('event');
  if (location.pathname === '/register' && event) root.innerHTML = '<h1>Register</h1><tito-widget event="acme-events/' + event + '"></tito-widget>';
  else root.innerHTML = '<h1>Acme Summit</h1><a href="/register?event=summit-2026">Register</a>';
</script>${conversion}</body></html>`;
  const { verdict, story } = await gated(gateSite, { 'index.html': app });
  expect(verdict.exitCode, story).toBe(0);
  expect(verdict.pages.find((p) => p.path === '/register?event=summit-2026')?.checks.map((c) => `${c.kind} ${c.status}`).sort(), story).toEqual(['journey passed', 'journey passed', 'registration passed', 'static audit passed']);
});

test("a hash route's link (#/tickets) is a way to another page, never pressed as an in-page tab: the sale is judged on the route, not on the page it was pressed on", async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const head = /<head>([\s\S]*)<\/head>/.exec(fixture['/']!)![1]!;
  const conversion = [...fixture['/tickets']!.matchAll(/<!-- Trackdesk tracker begin -->[\s\S]*?<!-- Trackdesk tracker end -->/g)].at(-1)![0];
  // The conversion tracker's handler reaches Tito only when the app starts on #/tickets: a visitor who clicks there from / is lost.
  const app = `<!doctype html><html><head>${head}<script src="https://js.tito.io/v2" async></script></head><body>
<nav><a href="#/">Home</a> <a href="#/tickets">Tickets</a></nav><div id="view"></div>
<script>
  const show = () => { document.getElementById('view').innerHTML = location.hash === '#/tickets' ? '<h1>Tickets</h1><tito-widget event="acme-events/summit-2026"></tito-widget>' : '<h1>Acme Summit</h1>'; };
  addEventListener('hashchange', show); show();
</script>
<script>if (location.hash !== '#/tickets') window.tito = function () {};</script>${conversion}</body></html>`;
  const { verdict, story } = await gated(gateSite, { 'index.html': app });
  expect(verdict.pages.find((p) => p.path === '/')?.storefronts, story).toEqual([]);
  expect([...new Set(verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`))], story).toEqual(['EXTERNAL_CID_NOT_SENT /#/tickets']);
  expect(verdict.findings.find((f) => f.severity === 'error')?.message, story).toContain('(client-side navigation)');
});

test("of two links to the ticket page, a navigation's that loads it whole and a call to action a router swaps in, the journey straight from the landing page follows the call to action: the snippet only a full load runs fails there", async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const tito = '<script src="https://js.tito.io/v2" async></script>';
  // The nav's link loads /tickets whole; the hero's is swapped in by a script, which runs none of the new body's scripts.
  const home = fixture['/']!.replace('</head>', `${tito}</head>`).replace('<body>\n<main>', `<body>\n<nav><a href="/tickets">Tickets</a></nav>\n<main>`).replace('<p><a href="/tickets">Get tickets</a></p>', `<p><a class="cta" href="/tickets">Get your ticket</a></p>${swapRouter('a.cta')}`);
  expect(home).toContain('<nav><a href="/tickets">');
  const { verdict, story } = await gated(gateSite, { 'index.html': home, 'tickets.html': fixture['/tickets']! });
  const errors = verdict.findings.filter((f) => f.severity === 'error');
  expect(errors.map((f) => `${f.code} ${f.page}`), story).toEqual(['EXTERNAL_CID_NOT_SENT /tickets']);
  expect(errors[0]!.message, story).toContain('"Get your ticket" → /tickets (client-side navigation)');
});

test('a ticket page linked only from a menu drawn once it opens ("Attend ▾") is found, and walked to by opening the menu: a correct site passes, every journey followed', async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  // As Vue's v-if or React's {open && <nav>} draw it: the menu's links exist only while it is open.
  const menu = `<button type="button" aria-expanded="false" id="attend">Attend ▾</button><nav id="menu"></nav>
<script>document.getElementById('attend').addEventListener('click', (e) => {
  const open = e.currentTarget.getAttribute('aria-expanded') === 'true';
  e.currentTarget.setAttribute('aria-expanded', String(!open));
  document.getElementById('menu').innerHTML = open ? '' : '<a href="/speakers">Speakers</a> <a href="/tickets">Tickets</a>';
});</script>`;
  const home = fixture['/']!.replace('<p><a href="/tickets">Get tickets</a></p>', menu);
  expect(home).toContain('aria-expanded="false"');
  const { verdict, story } = await gated(gateSite, { 'index.html': home, 'tickets.html': fixture['/tickets']! });
  expect(verdict.exitCode, story).toBe(0);
  expect(verdict.findings.filter((f) => f.code === 'JOURNEY_NOT_FOLLOWED'), story).toEqual([]);
  expect(verdict.pages.find((p) => p.path === '/tickets')?.checks.filter((c) => c.kind === 'journey' && c.status === 'passed').map((c) => c.title), story).toContain('journey / → /tickets: affiliate visit, click-through and registration (acme-events/summit-2026)');
});

test('a ticket page linked only from a drawer that "☰" opens is found, and walked to through the drawer: a correct site passes', async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  // A mobile-first layout's drawer, drawn only while open (React's {open && <Drawer>}), its button saying nothing of tickets.
  const drawer = `<button type="button" aria-label="Open menu" id="burger">☰</button><div id="drawer"></div>
<script>document.getElementById('burger').addEventListener('click', () => {
  const drawer = document.getElementById('drawer');
  drawer.innerHTML = drawer.innerHTML ? '' : '<a href="/speakers">Speakers</a> <a href="/tickets">Tickets</a>';
});</script>`;
  const home = fixture['/']!.replace('<p><a href="/tickets">Get tickets</a></p>', drawer);
  expect(home).toContain('id="burger"');
  const { verdict, story } = await gated(gateSite, { 'index.html': home, 'tickets.html': fixture['/tickets']! });
  expect(verdict.exitCode, story).toBe(0);
  expect(verdict.pages.find((p) => p.path === '/tickets')?.foundBy, story).toEqual(['link drawn by a script on /']);
  expect(verdict.pages.find((p) => p.path === '/tickets')?.checks.filter((c) => c.kind === 'journey' && c.status === 'passed').map((c) => c.title), story).toContain('journey / → /tickets: affiliate visit, click-through and registration (acme-events/summit-2026)');
});

test('links resolve against the page\'s <base href>, as the browser resolves them: "tickets" under <base href="/2026/"> is /2026/tickets, no page left unloaded', async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const home = fixture['/']!.replace('<head>', '<head><base href="/2026/">').replace('<a href="/tickets">Get tickets</a>', '<a href="tickets">Get tickets</a>');
  expect(home).toContain('<a href="tickets">');
  const { verdict, story } = await gated(gateSite, { 'index.html': home, '2026/tickets.html': fixture['/tickets']! });
  expect(verdict.exitCode, story).toBe(0);
  expect(verdict.findings.filter((f) => f.code === 'PAGE_NOT_LOADED'), story).toEqual([]);
  expect(verdict.pages.find((p) => p.path === '/2026/tickets')?.foundBy, story).toEqual(['link on /']);
});

test('a ticket page no link reaches, found by the sitemap alone, is checked where a visitor lands on it, and named: buying after navigation was not checked', async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const home = fixture['/']!.replace('<a href="/tickets">Get tickets</a>', 'Tickets soon');
  expect(home).not.toContain('href="/tickets"');
  const sitemap = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://fixture-event.test/tickets</loc></url></urlset>';
  const { verdict, story } = await gated(gateSite, { 'index.html': home, 'tickets.html': fixture['/tickets']!, 'sitemap.xml': sitemap });
  expect(verdict.exitCode, story).toBe(0);
  expect(verdict.findings.filter((f) => f.code === 'JOURNEY_NOT_FOLLOWED').map((f) => [f.severity, f.page, f.message]), story).toEqual([
    ['warning', '/tickets', 'no link leads from / to /tickets (found by sitemap), so buying after navigation was not checked'],
  ]);
});

test('a ticket page a <select> leads to ("Jump to…") is walked to by choosing it: where no link leads there, and beside a link that does', () => {
  const pages = [{ ...page('/', ['/venue']), selects: ['/venue', '/tickets'] }, page('/venue', ['/']), page('/tickets', [], ['acme/summit'])];
  const journeys = planJourneys(pages, ['/'], new Map()).filter((j) => !j.returning);
  expect(journeys.map((j) => j.stops.map((s) => [s.page, s.by ?? 'link']))).toEqual([[['/', 'link'], ['/tickets', 'select']]]);
  expect(journeys.map(journeyName)).toEqual(['/ → /tickets (by a select)']);
  // Beside a link to it, the select's own handler may treat the visitor otherwise: both are walked.
  const linked = pages.map((p) => (p.path === '/' ? { ...p, links: ['/venue', '/tickets'] } : p));
  const both = planJourneys(linked, ['/'], new Map()).filter((j) => !j.returning);
  expect(both.map((j) => j.stops.map((s) => s.by ?? 'link'))).toEqual([['link', 'link'], ['link', 'select']]);
  expect(both.map(journeyName)).toEqual(['/ → /tickets', '/ → /tickets (by a select)']);
});

for (const [kind, onChange, errors] of [
  ['loads the chosen page', 'location.href = this.value;', []],
  ["swaps the chosen page's <main> in (its scripts never run)", `var url = this.value; fetch(url).then(function (r) { return r.text(); }).then(function (html) {
    document.querySelector('main').innerHTML = new DOMParser().parseFromString(html, 'text/html').querySelector('main').innerHTML; history.pushState({}, '', url); });`, ['STOREFRONT_NOT_RENDERED /tickets: after / → "Tickets" chosen in a select → /tickets (client-side navigation)']],
] as const) {
  const code = errors.length > 0 ? 1 : 0;

  test(`a "Jump to" select that ${kind}: the buyer chooses the ticket page and buys there (exit code ${code})`, async ({ gateSite }) => {
    const fixture = renderFixtureSite(configuredSite(harnessConfig()));
    const jump = `<label>Jump to <select id="jump"><option value="">Choose…</option><option value="/tickets">Tickets</option></select></label>
<script>document.getElementById('jump').addEventListener('change', function () { ${onChange} });</script>`;
    const home = fixture['/']!.replace('<p><a href="/tickets">Get tickets</a></p>', jump);
    expect(home).not.toContain('href="/tickets"');
    const tickets = fixture['/tickets']!.replace('<body>', '<body><main>').replace('</body>', '</main></body>');
    const { verdict, story } = await gated(gateSite, { 'index.html': home, 'tickets.html': tickets });
    expect(verdict.exitCode, story).toBe(code);
    const journey = verdict.pages.find((p) => p.path === '/tickets')?.checks.find((c) => c.kind === 'journey' && c.title.startsWith('journey / → /tickets'));
    expect(journey?.status, story).toBe(code === 0 ? 'passed' : 'failed');
    expect(verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}: ${f.message.split(':')[0]}`), story).toEqual(errors);
  });
}

test("a \"Jump to\" select beside the call to action is walked too: a select whose handler makes a partner's click fails", async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  const tenant = harnessConfig().trackdesk.tenantId;
  // The select hands the visitor's click to a partner first (cookie stuffing), through the real tracking.js; the hero's link is clean.
  const jump = (onChange: string) => `<label>Jump to <select id="jump"><option value="">Choose…</option><option value="/tickets">Tickets</option></select></label>
<script>document.getElementById('jump').addEventListener('change', function () { var to = this.value; ${onChange} });</script>`;
  const stuffing = jump(`var back = location.pathname + location.search; history.replaceState(null, '', '/?linkId=lp_777777&sourceId=partner-shop&tenantId=${tenant}');
  trackdesk('${tenant}', 'click', {}, function () { location.href = to; }); history.replaceState(null, '', back);`);
  for (const [select, errors] of [[jump('location.href = to;'), []], [stuffing, ['ATTRIBUTION_BROKEN /tickets']]] as const) {
    const home = fixture['/']!.replace('</main>', `${select}</main>`);
    expect(home).toContain('<a href="/tickets">Get tickets</a>');
    const { verdict, story } = await gated(gateSite, { 'index.html': home, 'tickets.html': fixture['/tickets']! });
    const journeys = verdict.pages.find((p) => p.path === '/tickets')?.checks.filter((c) => c.kind === 'journey').map((c) => c.title);
    expect(journeys, story).toEqual(expect.arrayContaining([expect.stringMatching(/^journey \/ → \/tickets: /), expect.stringMatching(/^journey \/ → \/tickets \(by a select\): /)]));
    expect(verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`), story).toEqual(errors);
  }
});

test("straight from the landing page both its call to action and its navigation's link are walked: a nav link whose own handler makes a partner's click fails", async ({ gateSite }) => {
  const fixture = renderFixtureSite(configuredSite(harnessConfig()));
  // The nav link hands the visitor's click to a partner first (cookie stuffing), through the real tracking.js; the hero's link is clean.
  const stuffing = `<nav><a href="/tickets" id="nav-tickets">Tickets</a></nav><script>document.getElementById('nav-tickets').addEventListener('click', (e) => {
  e.preventDefault(); const back = location.pathname + location.search;
  history.replaceState(null, '', '/?linkId=lp_777777&sourceId=partner-shop&tenantId=${harnessConfig().trackdesk.tenantId}');
  trackdesk('${harnessConfig().trackdesk.tenantId}', 'click', {}, () => { location.href = '/tickets'; }); history.replaceState(null, '', back);
});</script>`;
  const clean = '<nav><a href="/tickets">Tickets</a></nav>';
  for (const [nav, errors] of [[clean, []], [stuffing, ['ATTRIBUTION_BROKEN /tickets']]] as const) {
    const home = fixture['/']!.replace('<main>', `${nav}<main>`);
    expect(home).toContain('<a href="/tickets">Get tickets</a>');
    const { verdict, story } = await gated(gateSite, { 'index.html': home, 'tickets.html': fixture['/tickets']! });
    const journeys = verdict.pages.find((p) => p.path === '/tickets')?.checks.filter((c) => c.kind === 'journey').map((c) => c.title);
    expect(journeys, story).toEqual(expect.arrayContaining([expect.stringMatching(/^journey \/ → \/tickets: /), expect.stringMatching(/^journey \/ → \/tickets \(by its navigation\): /)]));
    expect(verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.page}`), story).toEqual(errors);
  }
});
