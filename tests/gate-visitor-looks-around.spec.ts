/**
 * A visitor who lands through an affiliate link moves the pointer and scrolls before anything else, and
 * sites wait for exactly that: WordPress optimisers (WP Rocket's "delay JavaScript execution", Flying
 * Scripts, Perfmatters) run the click tracker only on the first interaction, and lazy embeds put the
 * storefront on the page once it scrolls into view; a storefront may sit behind a "Buy tickets" button.
 * The gate looks around and presses that button as the visitor does: such a site is judged by what
 * happens for a real buyer, both ways.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessConfig } from '../fixtures/config.ts';
import { expect, test } from '../fixtures/gate-run.ts';
import { runGate } from '../fixtures/nested-run.ts';
import { configuredSite, renderFixtureSite } from '../fixtures/site.ts';
import type { GateVerdict } from '../gate/judge.ts';

const config = harnessConfig();
const fixture = renderFixtureSite(configuredSite(config));

// Each test gates a site or two, pressing with a bound of 3 s a press: well past the runner's default 30 s on a busy machine.
test.describe.configure({ timeout: 120_000 });
const STOREFRONT = `<script src="https://js.tito.io/v2" async></script>\n<tito-widget event="${config.tito.events[0]}"></tito-widget>`;
const CONVERSION = /<!-- Trackdesk tracker begin -->\n<script async src="\/\/cdn\.trackdesk\.com\/tracking\.js"><\/script>\n<script>\n\(function[\s\S]*?<!-- Trackdesk tracker end -->\n\n<\/body>/;

function folder(pages: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'looks-around-'));
  for (const [at, html] of Object.entries(pages)) writeFileSync(path.join(dir, at === '/' ? 'index.html' : `${at.slice(1)}.html`), html);
  return dir;
}

const errors = (verdict: GateVerdict) => verdict.findings.filter((f) => f.severity !== 'warning').map((f) => `${f.code} ${f.page}`);
const story = (verdict: GateVerdict) => verdict.findings.map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message}`).join('\n');

/** As WP Rocket's delay loader does: the page's scripts typed so that they do not run, until the first interaction. */
function delayedUntilInteraction(html: string): string {
  const delayed = html.replace(/<script( async)? src="\/\/cdn\.trackdesk\.com\/tracking\.js"><\/script> <script>/, '<script type="rocketlazyloadscript" data-rocket-src="//cdn.trackdesk.com/tracking.js" async></script> <script type="rocketlazyloadscript">');
  expect(delayed).not.toBe(html);
  const loader = `<script>(() => {
    const events = ['keydown', 'mousedown', 'mousemove', 'touchmove', 'touchstart', 'touchend', 'wheel'];
    const run = () => {
      for (const e of events) removeEventListener(e, run, { passive: true });
      for (const old of document.querySelectorAll('script[type="rocketlazyloadscript"]')) {
        const script = document.createElement('script');
        if (old.dataset.rocketSrc) { script.src = old.dataset.rocketSrc; script.async = true; } else script.textContent = old.textContent;
        old.replaceWith(script);
      }
    };
    for (const e of events) addEventListener(e, run, { passive: true });
  })();</script>`;
  return delayed.replace('</head>', `${loader}\n</head>`);
}

/** The storefront embedded once the visitor scrolls down to it, far below the fold. */
function embeddedOnScroll(html: string): string {
  const lazy = html.replace(
    STOREFRONT,
    `<div style="height: 4000px">Speakers, venue, schedule…</div><div id="buy"></div>
<script>new IntersectionObserver((seen, observer) => {
  if (!seen.some((s) => s.isIntersecting)) return;
  observer.disconnect();
  const script = document.createElement('script'); script.src = 'https://js.tito.io/v2'; script.async = true; document.head.append(script);
  const widget = document.createElement('tito-widget'); widget.setAttribute('event', ${JSON.stringify(config.tito.events[0])}); document.getElementById('buy').append(widget);
}).observe(document.getElementById('buy'));</script>`,
  );
  expect(lazy).not.toBe(html);
  return lazy;
}

test('a click tracker that runs only on the first interaction, as WordPress optimisers delay it, is credited: the visitor moves and scrolls', async ({ gateSite }) => {
  const dir = folder({ '/': delayedUntilInteraction(fixture['/']!), '/tickets': delayedUntilInteraction(fixture['/tickets']!) });
  const { verdict } = await gateSite({ siteDir: dir });
  expect(errors(verdict), story(verdict)).toEqual([]);
  expect(verdict.pages.find((p) => p.path === '/tickets')?.storefronts, story(verdict)).toEqual(config.tito.events.slice(0, 1));
});

test('a storefront embedded once it scrolls into view is found and bought on: with the conversion snippet it is credited', async ({ gateSite }) => {
  const { verdict } = await gateSite({ siteDir: folder({ ...fixture, '/tickets': embeddedOnScroll(fixture['/tickets']!) }) });
  expect(errors(verdict), story(verdict)).toEqual([]);
  expect(verdict.pages.find((p) => p.path === '/tickets')?.storefronts, story(verdict)).toEqual(config.tito.events.slice(0, 1));
});

test('a storefront embedded once it scrolls into view, on a page without the conversion snippet, fails there, directly and after navigation', async ({ gateSite }) => {
  const broken = embeddedOnScroll(fixture['/tickets']!).replace(CONVERSION, '</body>');
  expect(broken).not.toContain('externalCid');
  const { verdict } = await gateSite({ siteDir: folder({ ...fixture, '/tickets': broken }) });
  expect(errors(verdict), story(verdict)).toEqual(['EXTERNAL_CID_NOT_SENT /tickets']);
  // The journeys (by a link, and the buyer who comes back) broke too, the same way: the report names it once, under the direct load.
  const checks = verdict.pages.find((p) => p.path === '/tickets')!.checks;
  expect(checks.map((c) => `${c.kind} ${c.status}`).sort(), story(verdict)).toEqual(['journey failed', 'journey failed', 'registration failed', 'static audit passed']);
});

/** The storefront mounted by a "Buy tickets" button (a modal), as Tito's docs show it: allowedEvents first. */
function behindAButton(html: string): string {
  const event = JSON.stringify(config.tito.events[0]);
  const modal = html.replace(
    STOREFRONT,
    `<script src="https://js.tito.io/v2" async></script>
<button id="buy">Buy tickets</button><div id="modal"></div>
<script>
window.tito = window.tito || function () { (tito.q = tito.q || []).push(arguments); };
tito('config.set', { allowedEvents: [${event}] });
document.getElementById('buy').addEventListener('click', () => tito('widget.mount', { el: '#modal', event: ${event} }));
</script>`,
  );
  expect(modal).not.toBe(html);
  return modal;
}

test('a storefront behind a "Buy tickets" button is bought on once the button is pressed: with the conversion snippet it is credited', async ({ gateSite }) => {
  const { verdict } = await gateSite({ siteDir: folder({ ...fixture, '/tickets': behindAButton(fixture['/tickets']!) }) });
  expect(errors(verdict), story(verdict)).toEqual([]);
  expect(verdict.pages.find((p) => p.path === '/tickets')?.storefronts, story(verdict)).toEqual(config.tito.events.slice(0, 1));
  const checks = verdict.pages.find((p) => p.path === '/tickets')!.checks;
  expect(checks.map((c) => `${c.kind} ${c.status}`).sort(), story(verdict)).toEqual(['journey passed', 'journey passed', 'registration passed', 'static audit passed']);
});

test('a storefront behind a "Buy tickets" button, on a page without the conversion snippet, fails there', async ({ gateSite }) => {
  const broken = behindAButton(fixture['/tickets']!).replace(CONVERSION, '</body>');
  expect(broken).not.toContain('externalCid');
  const { verdict } = await gateSite({ siteDir: folder({ ...fixture, '/tickets': broken }) });
  expect(errors(verdict), story(verdict)).toEqual(['EXTERNAL_CID_NOT_SENT /tickets']);
});

/** The storefront already on the page but hidden, in a closed modal that a "Get tickets" button opens (Bootstrap's, Alpine's x-show). */
function inAClosedModal(html: string): string {
  const hidden = html.replace(STOREFRONT, `<script src="https://js.tito.io/v2" async></script>
<button type="button" onclick="document.getElementById('tickets-modal').style.display = 'block'">Get tickets</button>
<div id="tickets-modal" style="display: none"><tito-widget event="${config.tito.events[0]}"></tito-widget></div>`);
  expect(hidden).not.toBe(html);
  return hidden;
}

test('a storefront in a closed modal, which Tito renders hidden, is bought on once "Get tickets" opens it: with the conversion snippet it is credited, without it it fails', async ({ gateSite }) => {
  const correct = await gateSite({ siteDir: folder({ ...fixture, '/tickets': inAClosedModal(fixture['/tickets']!) }) });
  expect(errors(correct.verdict), story(correct.verdict)).toEqual([]);
  expect(correct.verdict.pages.find((p) => p.path === '/tickets')!.checks.map((c) => `${c.kind} ${c.status}`).sort(), story(correct.verdict)).toEqual(['journey passed', 'journey passed', 'registration passed', 'static audit passed']);
  const broken = await gateSite({ siteDir: folder({ ...fixture, '/tickets': inAClosedModal(fixture['/tickets']!).replace(CONVERSION, '</body>') }) });
  expect(errors(broken.verdict), story(broken.verdict)).toEqual(['EXTERNAL_CID_NOT_SENT /tickets']);
});

test("of two copies of the storefront, a phone layout's hidden one first, the buyer uses the one shown", async ({ gateSite }) => {
  const twice = fixture['/tickets']!.replace(STOREFRONT, `<div style="display: none">${STOREFRONT}</div>\n${STOREFRONT}`);
  expect(twice).not.toBe(fixture['/tickets']);
  const { verdict } = await gateSite({ siteDir: folder({ ...fixture, '/tickets': twice }) });
  expect(errors(verdict), story(verdict)).toEqual([]);
});

test('a storefront in a closed dialog that a component button opens (its real <button> in its shadow root) is bought on once the component is pressed', async ({ gateSite }) => {
  const component = fixture['/tickets']!.replace(STOREFRONT, `<script src="https://js.tito.io/v2" async></script>
<ui-button id="buy">Buy tickets</ui-button>
<dialog id="tickets-dialog"><tito-widget event="${config.tito.events[0]}"></tito-widget></dialog>
<script>
customElements.define('ui-button', class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = '<button style="cursor:pointer"><slot></slot></button>'; } });
document.getElementById('buy').addEventListener('click', () => document.getElementById('tickets-dialog').showModal());
</script>`);
  expect(component).not.toBe(fixture['/tickets']);
  const { verdict } = await gateSite({ siteDir: folder({ ...fixture, '/tickets': component }) });
  expect(errors(verdict), story(verdict)).toEqual([]);
});

for (const [how, tablist, toggle] of [
  [
    'ARIA tabs',
    '<div role="tablist"><button role="tab" aria-controls="conf">Conference</button><button role="tab" aria-controls="ws">Workshops</button></div>',
    "document.querySelectorAll('[role=tab]').forEach((tab) => tab.addEventListener('click', () => document.querySelectorAll('[role=tab]').forEach((t) => { document.getElementById(t.getAttribute('aria-controls')).hidden = t !== tab; })));",
  ],
  [
    'tabs written by hand (data-tab, no ARIA), beside a link animated as the panel is (data-aos)',
    '<a href="/" data-aos="fade-up">Home</a><div class="tabs"><button class="tab" data-tab="conf">Conference</button><button class="tab" data-tab="ws">Workshops</button></div>',
    "document.querySelectorAll('.tab').forEach((tab) => tab.addEventListener('click', () => document.querySelectorAll('.tab').forEach((t) => { document.getElementById(t.dataset.tab).hidden = t !== tab; })));",
  ],
] as const) {
  test(`two events in ${how}, the second in a tab not chosen and named by its own word ("Workshops"), are each bought on: the buyer presses the tab that holds it`, async ({ gateSite }) => {
    const [account] = config.tito.events[0]!.split('/');
    const tabs = fixture['/tickets']!.replace(STOREFRONT, `<script src="https://js.tito.io/v2" async></script>
${tablist}
<section id="conf"><tito-widget event="${config.tito.events[0]}"></tito-widget></section>
<section id="ws" data-aos="fade-up" hidden><tito-widget event="${account}/workshop-day"></tito-widget></section>
<script>${toggle}</script>`);
    expect(tabs).not.toBe(fixture['/tickets']);
    const { verdict } = await gateSite({ siteDir: folder({ ...fixture, '/tickets': tabs }) });
    expect(errors(verdict), story(verdict)).toEqual([]);
    expect(verdict.pages.find((p) => p.path === '/tickets')?.storefronts.sort(), story(verdict)).toEqual([config.tito.events[0], `${account}/workshop-day`].sort());
  });
}

test('a storefront in a closed <details> section is bought on once its summary ("Tickets") is pressed', async ({ gateSite }) => {
  const folded = fixture['/tickets']!.replace(STOREFRONT, `<details><summary>Tickets</summary>${STOREFRONT}</details>`);
  expect(folded).not.toBe(fixture['/tickets']);
  const { verdict } = await gateSite({ siteDir: folder({ ...fixture, '/tickets': folded }) });
  expect(errors(verdict), story(verdict)).toEqual([]);
});

/** Behind a dialog of two steps, "Get your pass" then "Continue", with a button for something else before it. */
function behindADialog(html: string): string {
  const event = JSON.stringify(config.tito.events[0]);
  const dialog = html.replace(
    STOREFRONT,
    `<script src="https://js.tito.io/v2" async></script>
<button id="hotel">Book a hotel room</button> <button id="pass">Get your pass</button>
<dialog id="step"><p>Two days, one pass.</p><button id="next">Continue</button></dialog><div id="modal"></div>
<script>
window.tito = window.tito || function () { (tito.q = tito.q || []).push(arguments); };
tito('config.set', { allowedEvents: [${event}] });
document.getElementById('pass').addEventListener('click', () => document.getElementById('step').showModal());
document.getElementById('next').addEventListener('click', () => {
  document.getElementById('step').close();
  tito('widget.mount', { el: '#modal', event: ${event} });
});
</script>`,
  );
  expect(dialog).not.toBe(html);
  return dialog;
}

test('a storefront behind a dialog of two steps, past a button for something else, is reached: with the conversion snippet it is credited, without it it fails', async ({ gateSite }) => {
  const right = await gateSite({ siteDir: folder({ ...fixture, '/tickets': behindADialog(fixture['/tickets']!) }) });
  expect(errors(right.verdict), story(right.verdict)).toEqual([]);
  expect(right.verdict.pages.find((p) => p.path === '/tickets')?.storefronts, story(right.verdict)).toEqual(config.tito.events.slice(0, 1));
  const broken = behindADialog(fixture['/tickets']!).replace(CONVERSION, '</body>');
  const wrong = await gateSite({ siteDir: folder({ ...fixture, '/tickets': broken }) });
  expect(errors(wrong.verdict), story(wrong.verdict)).toEqual(['EXTERNAL_CID_NOT_SENT /tickets']);
});

/** The storefront on a tab of the page: an in-page `#register` link shows it, and only then loads Tito's script. */
function behindATab(html: string): string {
  const widget = JSON.stringify(`<tito-widget event="${config.tito.events[0]}"></tito-widget>`);
  const tab = html.replace(
    STOREFRONT,
    `<nav><a href="#programme">Programme</a> <a href="#register">Register</a></nav><section id="tab">Talks, workshops, lunch.</section>
<script>
addEventListener('hashchange', () => {
  if (location.hash !== '#register') return;
  document.getElementById('tab').innerHTML = ${widget};
  const script = document.createElement('script'); script.src = 'https://js.tito.io/v2'; script.async = true; document.head.append(script);
});
</script>`,
  );
  expect(tab).not.toBe(html);
  return tab;
}

test('a storefront on an in-page tab (a "#register" link that shows it and loads Tito) is bought on: with the conversion snippet it is credited, without it it fails', async ({ gateSite }) => {
  const right = await gateSite({ siteDir: folder({ ...fixture, '/tickets': behindATab(fixture['/tickets']!) }) });
  expect(errors(right.verdict), story(right.verdict)).toEqual([]);
  expect(right.verdict.pages.find((p) => p.path === '/tickets')?.storefronts, story(right.verdict)).toEqual(config.tito.events.slice(0, 1));
  const broken = behindATab(fixture['/tickets']!).replace(CONVERSION, '</body>');
  const wrong = await gateSite({ siteDir: folder({ ...fixture, '/tickets': broken }) });
  expect(errors(wrong.verdict), story(wrong.verdict)).toEqual(['EXTERNAL_CID_NOT_SENT /tickets']);
});

/** A ticket card with no button role: a `<div>` a listener mounts the storefront from, its text a price. */
function behindACard(html: string, style: string): string {
  const event = JSON.stringify(config.tito.events[0]);
  const card = html.replace(
    STOREFRONT,
    `<script src="https://js.tito.io/v2" async></script>
<div class="cards"><div class="card" ${style}><h3>Early bird</h3><p>49 EUR until March</p></div></div><div id="modal"></div>
<script>
window.tito = window.tito || function () { (tito.q = tito.q || []).push(arguments); };
tito('config.set', { allowedEvents: [${event}] });
document.querySelector('.card').addEventListener('click', () => tito('widget.mount', { el: '#modal', event: ${event} }));
</script>`,
  );
  expect(card).not.toBe(html);
  return card;
}

test('a storefront behind a clickable card (a pointer cursor or a tabindex, a price, no button role) is bought on: with the conversion snippet it is credited, without it it fails', async ({ gateSite }) => {
  const right = await gateSite({ siteDir: folder({ ...fixture, '/tickets': behindACard(fixture['/tickets']!, 'style="cursor: pointer"') }) });
  expect(errors(right.verdict), story(right.verdict)).toEqual([]);
  expect(right.verdict.pages.find((p) => p.path === '/tickets')?.storefronts, story(right.verdict)).toEqual(config.tito.events.slice(0, 1));
  const broken = behindACard(fixture['/tickets']!, 'tabindex="0"').replace(CONVERSION, '</body>');
  const wrong = await gateSite({ siteDir: folder({ ...fixture, '/tickets': broken }) });
  expect(errors(wrong.verdict), story(wrong.verdict)).toEqual(['EXTERNAL_CID_NOT_SENT /tickets']);
});

test('a button whose listener leads to another page (no onclick, no form) leads the gate there: that page is checked, and the page with the button stays where it is', async ({ gateSite }) => {
  const home = fixture['/']!.replace(
    '</main>',
    `<button id="vip" class="btn">VIP tickets</button>
<script>document.getElementById('vip').addEventListener('click', () => { location.href = '/vip'; });</script>
</main>`,
  );
  expect(home).not.toBe(fixture['/']);
  const vip = fixture['/tickets']!.replace(CONVERSION, '</body>');
  expect(vip).not.toContain('externalCid');
  const { verdict } = await gateSite({ siteDir: folder({ ...fixture, '/': home, '/vip': vip }) });
  expect(errors(verdict), story(verdict)).toEqual(['EXTERNAL_CID_NOT_SENT /vip']);
  expect(verdict.pages.map((p) => [p.path, p.foundBy.join(', ')]), story(verdict)).toEqual([
    ['/', 'the home page'],
    ['/tickets', 'link on /'],
    ['/vip', 'button on /'],
  ]);
  // The press was held back: the click on / was checked on /, and passed.
  expect(verdict.pages.find((p) => p.path === '/')!.checks.map((c) => `${c.kind} ${c.status}`).sort(), story(verdict)).toEqual(['click passed', 'static audit passed']);
});

/** A one-page app whose "Get tickets" button routes client-side (pushState) to /tickets, where a route hook registers the conversion tracker. */
function routedByAButton(hookOnRoute: boolean): string {
  const { tenantId, revenueOriginId } = config.trackdesk;
  const stub = `(function(t,d,k){(t[k]=t[k]||[]).push(d);t[d]=t[d]||t[k].f||function(){(t[d].q=t[d].q||[]).push(arguments)}})(window,"trackdesk","TrackdeskObject");`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Summit</title>
<script async src="//cdn.trackdesk.com/tracking.js"></script><script>${stub} trackdesk(${JSON.stringify(tenantId)}, 'click');</script>
<script src="https://js.tito.io/v2" async></script>
<script>
var registered = false;
function view() { document.getElementById('view').innerHTML = location.pathname === '/tickets' ? '<h1>Tickets</h1><tito-widget event=${JSON.stringify(config.tito.events[0])}></tito-widget>' : '<h1>Summit</h1>'; }
function afterRoute() {
  if (registered || location.pathname !== '/tickets') return;
  registered = true;
  ${stub}
  window.tito = window.tito || function () { (tito.q = tito.q || []).push(arguments); };
  tito('on:registration:finished', function (data) { trackdesk(${JSON.stringify(tenantId)}, 'externalCid', { externalCid: data.email, revenueOriginId: ${JSON.stringify(revenueOriginId)} }); });
}
function go(path) { history.pushState(null, '', path); view(); ${hookOnRoute ? 'afterRoute();' : ''} }
document.addEventListener('DOMContentLoaded', function () { view(); afterRoute(); });
</script></head>
<body><header><button type="button" onclick="go('/tickets')">Get tickets</button></header><main id="view"></main></body></html>`;
}

test('a button that routes client-side (pushState) to the tickets is followed as a visitor sees it, at the URL the router gave, and that URL is checked as a page: a route hook that reads it is credited, one never called fails', async ({ gateSite }) => {
  const correct = await gateSite({ siteDir: folder({ '/': routedByAButton(true), '/tickets': routedByAButton(true) }) });
  expect(errors(correct.verdict), story(correct.verdict)).toEqual([]);
  // Where the router went is a page of its own too, landed on directly (a deep link, a reload).
  expect(correct.verdict.pages.map((p) => [p.path, p.foundBy.join(', ')]), story(correct.verdict)).toEqual([
    ['/', 'the home page'],
    ['/tickets', 'button on /'],
  ]);
  const broken = await gateSite({ siteDir: folder({ '/': routedByAButton(false), '/tickets': routedByAButton(false) }) });
  const found = broken.verdict.findings.filter((f) => f.severity === 'error');
  expect(found.map((f) => `${f.code} ${f.page}`), story(broken.verdict)).toEqual(['EXTERNAL_CID_NOT_SENT /']);
  expect(found[0]!.message, story(broken.verdict)).toMatch(/^after the page went to \/tickets \(client-side navigation\): /);
});

test('a button whose listener navigates in a loop leads the gate to its first 20 pages, no more', async ({ gateSite }) => {
  const home = fixture['/']!.replace(
    '</main>',
    `<button id="more" class="btn">Buy tickets</button>
<script>document.getElementById('more').addEventListener('click', () => { for (let i = 0; i < 30; i++) location.href = '/p' + i; });</script>
</main>`,
  );
  const pages = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`/p${i}`, fixture['/']!]));
  const { verdict } = await gateSite({ siteDir: folder({ ...fixture, ...pages, '/': home }) });
  expect(verdict.pages.filter((p) => p.foundBy.includes('button on /')).map((p) => p.path), story(verdict)).toEqual(Array.from({ length: 20 }, (_, i) => `/p${i}`));
});

test("a button whose listener sends the buyer to Tito's hosted checkout is named as a link there is (OFF_SITE_CHECKOUT_LINK beside a storefront), with what it says", async ({ gateSite }) => {
  const checkout = `https://ti.to/${config.tito.events[0]}`;
  const home = fixture['/']!.replace(
    '</main>',
    `<button id="buy">Buy tickets now</button>
<script>document.getElementById('buy').addEventListener('click', () => { location.href = ${JSON.stringify(checkout)}; });</script>
</main>`,
  );
  expect(home).not.toBe(fixture['/']);
  const { verdict } = await gateSite({ siteDir: folder({ ...fixture, '/': home }) });
  expect(errors(verdict), story(verdict)).toEqual([]);
  expect(verdict.findings.filter((f) => f.code.startsWith('OFF_SITE_CHECKOUT')).map((f) => `${f.severity} ${f.code} ${f.page}: ${f.message.split(',')[0]}`), story(verdict)).toEqual([
    `warning OFF_SITE_CHECKOUT_LINK /: "Buy tickets now" sends the buyer to ${checkout}`,
  ]);
});

test("in Playwright's runner (--html, --shard, attributionGate()) the buyer presses as in the gate's own run: a tab's storefront and a listener's page are checked", async () => {
  test.setTimeout(240_000);
  const home = fixture['/']!.replace(
    '</main>',
    `<button id="vip">VIP tickets</button>
<script>document.getElementById('vip').addEventListener('click', () => { location.href = '/vip'; });</script>
</main>`,
  );
  const run = await runGate(['--html', '--workers', '2'], { SITE_DIR: folder({ '/': home, '/tickets': behindATab(fixture['/tickets']!).replace(CONVERSION, '</body>'), '/vip': fixture['/tickets']!.replace(CONVERSION, '</body>') }) });
  const verdict = JSON.parse(readFileSync(path.join(run.reportDir, 'gate.json'), 'utf8')) as GateVerdict;
  expect(run.code, run.stdout).toBe(1);
  expect(errors(verdict).sort(), story(verdict)).toEqual(['EXTERNAL_CID_NOT_SENT /tickets', 'EXTERNAL_CID_NOT_SENT /vip']);
});

test("a storefront a visitor reveals as they do on real sites (a closed details block, a button that is a picture, 'Save your spot') is bought on: with the conversion snippet it is credited", async ({ gateSite }) => {
  const tickets = fixture['/tickets']!;
  const reveal = (how: string) => {
    const revealed = tickets.replace(STOREFRONT, how);
    expect(revealed).not.toBe(tickets);
    return revealed;
  };
  // WordPress's details block: a workshop's summary names the workshop, not tickets.
  const details = reveal(`<details><summary>Rust for web developers · 13 May</summary><p>A full day, hands on.</p>${STOREFRONT}</details>`);
  const dialog = (button: string) =>
    reveal(`<script src="https://js.tito.io/v2" async></script>${button}<dialog id="buy"><tito-widget event="${config.tito.events[0]}"></tito-widget></dialog>
<script>document.querySelector('.cta').addEventListener('click', () => document.getElementById('buy').showModal());</script>`);
  const picture = dialog('<button class="cta" type="button"><img src="/buy-tickets.svg" alt="Buy tickets" width="160" height="40"></button>');
  const spot = dialog('<button class="cta" type="button">Save your spot</button>');
  const { verdict } = await gateSite({ siteDir: folder({ '/': fixture['/']!.replace('</main>', '<a href="/workshop">Workshop</a> <a href="/picture">Picture</a> <a href="/spot">Spot</a></main>'), '/workshop': details, '/picture': picture, '/spot': spot }) });
  expect(errors(verdict), story(verdict)).toEqual([]);
  for (const seller of ['/workshop', '/picture', '/spot']) {
    expect(verdict.pages.find((p) => p.path === seller)?.checks.find((c) => c.kind === 'registration')?.status, story(verdict)).toBe('passed');
  }
});
