import type { Page } from '@playwright/test';
import { http, HttpResponse } from 'msw';
import { fixtureSite, FIXTURE_SITE_ORIGIN } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';
import { affiliateQuery, TRACKING_SCRIPT_URL } from '../mocks/trackdesk/index.ts';

/** The guide's queue stub, verbatim. */
const STUB = `(function(t,d,k){(t[k]=t[k]||[]).push(d);t[d]=t[d]||t[k].f||function(){(t[d].q=t[d].q||[]).push(arguments)}})(window,"trackdesk","TrackdeskObject");`;

/** Notes, as a stub runs, whether tracking.js had run yet: the test then checks the load order it claims. */
const NOTE_ORDER = `(window.stubs = window.stubs || []).push(window.__trackdeskStandIn ? 'after tracking.js' : 'before tracking.js');`;
const stub = () => NOTE_ORDER + STUB;

/** A click (for the tenant, a JS expression) whose callback notes `label`: it runs once the real function has the call answered. */
const click = (tenant: string, label: string) =>
  `trackdesk(${tenant}, 'click', function () { (window.clicked = window.clicked || []).push(${JSON.stringify(label)}); });`;

const page = (head: string) => `<!doctype html><html><head>${head}</head><body><h1>Tickets</h1></body></html>`;
const probe = (p: Page) =>
  p.evaluate(() => ({
    clicked: [...(window.clicked ?? [])].sort(),
    stubs: window.stubs ?? [],
    real: window.trackdesk !== undefined && window.trackdesk === window.TrackdeskObject?.f,
  }));

interface LoadOrder {
  name: string;
  /** The page's head, given the tenant as a JS expression. */
  head: (tenant: string) => string;
  /** Every click callback, sorted: each call ran. */
  clicked: string[];
  /** Whether each stub ran before or after tracking.js. */
  stubs: string[];
  /** Whether `window.trackdesk` ends as the real function, TrackdeskObject.f (the guide's stub's own way). */
  real: boolean;
}

const orders: LoadOrder[] = [
  {
    name: 'stub first, then tracking.js (async)',
    head: (t) => `<script>${stub()}${click(t, 'queued')}</script><script async src="${TRACKING_SCRIPT_URL}"></script>`,
    clicked: ['queued'],
    stubs: ['before tracking.js'],
    real: true,
  },
  {
    name: 'tracking.js first (blocking), then the stub',
    head: (t) => `<script src="${TRACKING_SCRIPT_URL}"></script><script>${stub()}${click(t, 'call')}</script>`,
    clicked: ['call'],
    stubs: ['after tracking.js'],
    real: true,
  },
  {
    name: 'tracking.js first (defer), then the stub on DOMContentLoaded',
    head: (t) => `<script defer src="${TRACKING_SCRIPT_URL}"></script><script>document.addEventListener('DOMContentLoaded', function () { ${stub()}${click(t, 'call')} });</script>`,
    clicked: ['call'],
    stubs: ['after tracking.js'],
    real: true,
  },
  {
    name: 'tracking.js first (type=module), then the stub in a module',
    head: (t) => `<script type="module" src="${TRACKING_SCRIPT_URL}"></script><script type="module">${stub()}${click(t, 'call')}</script>`,
    clicked: ['call'],
    stubs: ['after tracking.js'],
    real: true,
  },
  {
    name: 'the stub twice: before tracking.js and after it',
    head: (t) => `<script>${stub()}${click(t, 'first')}</script><script src="${TRACKING_SCRIPT_URL}"></script><script>${stub()}${click(t, 'second')}</script>`,
    clicked: ['first', 'second'],
    stubs: ['before tracking.js', 'after tracking.js'],
    real: true,
  },
  {
    name: 'tracking.js inserted 300 ms late by a timer',
    head: (t) =>
      `<script>${stub()}${click(t, 'queued')}
       setTimeout(function () { var s = document.createElement('script'); s.src = '${TRACKING_SCRIPT_URL}'; document.head.appendChild(s); }, 300);</script>`,
    clicked: ['queued'],
    stubs: ['before tracking.js'],
    real: true,
  },
  {
    name: 'calls made before tracking.js loads and calls made after',
    head: (t) =>
      `<script>${stub()}${click(t, 'before')}</script>
       <script async src="${TRACKING_SCRIPT_URL}" onload="${click(t, 'after').replaceAll('"', '&quot;')}"></script>`,
    clicked: ['after', 'before'],
    stubs: ['before tracking.js'],
    real: true,
  },
  {
    name: 'tracking.js first, then a queueing stub of another shape replaces window.trackdesk',
    head: (t) =>
      `<script src="${TRACKING_SCRIPT_URL}"></script>
       <script>${NOTE_ORDER} window.trackdesk = function () { (trackdesk.q = trackdesk.q || []).push(arguments); }; ${click(t, 'call')}</script>`,
    clicked: ['call'],
    stubs: ['after tracking.js'],
    // The page's own function is kept (it may be a wrapper); its queue runs calls at once.
    real: false,
  },
];

test.describe('tracking.js and the queue stub work in every load order', () => {
  for (const order of orders) {
    test(order.name, async ({ network, siteOptions, page: tab, trackdesk, affiliateLink, config }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/x': page(order.head(JSON.stringify(config.trackdesk.tenantId))) } }));
      await tab.goto(`/x${affiliateQuery(affiliateLink)}`);

      await expect.poll(async () => (await probe(tab)).clicked, { message: 'every trackdesk() call ran' }).toEqual(order.clicked);
      expect(await probe(tab)).toMatchObject({ stubs: order.stubs, real: order.real });
      await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate });
      await expect(trackdesk).toHaveNoRejectedCalls();
    });
  }

  test('a stub in a module that imports its IDs from another module (a framework bundle)', async ({ network, siteOptions, page: tab, trackdesk, affiliateLink, config }) => {
    // The fixture site serves pages as HTML; a module needs a JavaScript content type.
    const configModule = http.get(`${FIXTURE_SITE_ORIGIN}/config.js`, () =>
      new HttpResponse(`export const TENANT_ID = ${JSON.stringify(config.trackdesk.tenantId)};`, { headers: { 'content-type': 'text/javascript' } }),
    );
    // A module runs after the document is parsed and its imports are in. tracking.js is blocking here so
    // it has surely run by then (with the guide's async tag it usually has, as on an Astro site).
    const head = `<script src="${TRACKING_SCRIPT_URL}"></script>
      <script type="module">import { TENANT_ID } from '/config.js'; ${stub()} ${click('TENANT_ID', 'call')}</script>`;
    network.use(configModule, ...fixtureSite({ ...siteOptions, pages: { '/x': page(head) } }));
    await tab.goto(`/x${affiliateQuery(affiliateLink)}`);

    await expect.poll(async () => (await probe(tab)).clicked, { message: 'every trackdesk() call ran' }).toEqual(['call']);
    expect(await probe(tab)).toMatchObject({ stubs: ['after tracking.js'], real: true });
    await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate });
    await expect(trackdesk).toHaveNoRejectedCalls();
  });
});
