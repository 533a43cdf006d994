import type { Page } from '@playwright/test';
import { http, HttpResponse } from 'msw';
import type { HarnessConfig } from '../fixtures/config.ts';
import type { AffiliateLink } from '../fixtures/pages/event-site.ts';
import { fixtureSite, SITE_ORIGIN } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';

/** The guide's queue stub, verbatim. */
const STUB = `(function(t,d,k){(t[k]=t[k]||[]).push(d);t[d]=t[d]||t[k].f||function(){(t[d].q=t[d].q||[]).push(arguments)}})(window,"trackdesk","TrackdeskObject");`;
const TRACKING_JS = '//cdn.trackdesk.com/tracking.js';

/** Notes, as a stub runs, whether tracking.js had run yet: the test then checks the load order it claims. */
const NOTE_ORDER = `(window.stubs = window.stubs || []).push(window.__trackdeskStandIn ? 'after tracking.js' : 'before tracking.js');`;
const stub = () => NOTE_ORDER + STUB;

/** A click (for the tenant, a JS expression) whose callback notes `label`: it runs once the real function has the call answered. */
const click = (tenant: string, label: string) =>
  `trackdesk(${tenant}, 'click', function () { (window.clicked = window.clicked || []).push(${JSON.stringify(label)}); });`;

const page = (head: string) => `<!doctype html><html><head>${head}</head><body><h1>Tickets</h1></body></html>`;
const linkQuery = (link: AffiliateLink) => `?linkId=${link.linkId}&sourceId=${link.affiliate}&tenantId=${link.tenantId}`;

interface Probe {
  clicked: string[];
  stubs: string[];
  trackdesk: unknown;
  TrackdeskObject?: { f?: unknown };
}
const probe = (p: Page) =>
  p.evaluate(() => {
    const w = window as unknown as Partial<Probe>;
    return { clicked: [...(w.clicked ?? [])].sort(), stubs: w.stubs ?? [], real: w.trackdesk !== undefined && w.trackdesk === w.TrackdeskObject?.f };
  });

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
    head: (t) => `<script>${stub()}${click(t, 'queued')}</script><script async src="${TRACKING_JS}"></script>`,
    clicked: ['queued'],
    stubs: ['before tracking.js'],
    real: true,
  },
  {
    name: 'tracking.js first (blocking), then the stub',
    head: (t) => `<script src="${TRACKING_JS}"></script><script>${stub()}${click(t, 'call')}</script>`,
    clicked: ['call'],
    stubs: ['after tracking.js'],
    real: true,
  },
  {
    name: 'tracking.js first (defer), then the stub on DOMContentLoaded',
    head: (t) => `<script defer src="${TRACKING_JS}"></script><script>document.addEventListener('DOMContentLoaded', function () { ${stub()}${click(t, 'call')} });</script>`,
    clicked: ['call'],
    stubs: ['after tracking.js'],
    real: true,
  },
  {
    name: 'tracking.js first (type=module), then the stub in a module',
    head: (t) => `<script type="module" src="${TRACKING_JS}"></script><script type="module">${stub()}${click(t, 'call')}</script>`,
    clicked: ['call'],
    stubs: ['after tracking.js'],
    real: true,
  },
  {
    name: 'the stub twice: before tracking.js and after it',
    head: (t) => `<script>${stub()}${click(t, 'first')}</script><script src="${TRACKING_JS}"></script><script>${stub()}${click(t, 'second')}</script>`,
    clicked: ['first', 'second'],
    stubs: ['before tracking.js', 'after tracking.js'],
    real: true,
  },
  {
    name: 'tracking.js inserted 300 ms late by a timer',
    head: (t) =>
      `<script>${stub()}${click(t, 'queued')}
       setTimeout(function () { var s = document.createElement('script'); s.src = '${TRACKING_JS}'; document.head.appendChild(s); }, 300);</script>`,
    clicked: ['queued'],
    stubs: ['before tracking.js'],
    real: true,
  },
  {
    name: 'calls made before tracking.js loads and calls made after',
    head: (t) =>
      `<script>${stub()}${click(t, 'before')}</script>
       <script async src="${TRACKING_JS}" onload="${click(t, 'after').replaceAll('"', '&quot;')}"></script>`,
    clicked: ['after', 'before'],
    stubs: ['before tracking.js'],
    real: true,
  },
  {
    name: 'tracking.js first, then a queueing stub of another shape replaces window.trackdesk',
    head: (t) =>
      `<script src="${TRACKING_JS}"></script>
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
      await tab.goto(`/x${linkQuery(affiliateLink)}`);

      await expect.poll(async () => (await probe(tab)).clicked, { message: 'every trackdesk() call ran' }).toEqual(order.clicked);
      expect(await probe(tab)).toMatchObject({ stubs: order.stubs, real: order.real });
      await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate });
      await expect(trackdesk).toHaveNoRejectedCalls();
    });
  }

  test('a stub in a module that imports its IDs from another module (a framework bundle)', async ({ network, siteOptions, page: tab, trackdesk, affiliateLink, config }) => {
    // The fixture site serves pages as HTML; a module needs a JavaScript content type.
    const configModule = http.get(`${SITE_ORIGIN}/config.js`, () =>
      new HttpResponse(`export const TENANT_ID = ${JSON.stringify(config.trackdesk.tenantId)};`, { headers: { 'content-type': 'text/javascript' } }),
    );
    // A module runs after the document is parsed and its imports are in. tracking.js is blocking here so
    // it has surely run by then (with the guide's async tag it usually has, as on an Astro site).
    const head = `<script src="${TRACKING_JS}"></script>
      <script type="module">import { TENANT_ID } from '/config.js'; ${stub()} ${click('TENANT_ID', 'call')}</script>`;
    network.use(configModule, ...fixtureSite({ ...siteOptions, pages: { '/x': page(head) } }));
    await tab.goto(`/x${linkQuery(affiliateLink)}`);

    await expect.poll(async () => (await probe(tab)).clicked, { message: 'every trackdesk() call ran' }).toEqual(['call']);
    expect(await probe(tab)).toMatchObject({ stubs: ['after tracking.js'], real: true });
    await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate });
    await expect(trackdesk).toHaveNoRejectedCalls();
  });
});

interface Mistake {
  call: (account: HarnessConfig['trackdesk']) => string;
  reason: (account: HarnessConfig['trackdesk']) => string;
  host?: (account: HarnessConfig['trackdesk']) => string;
}

const externalCid = (tenant: string, params: string) => `trackdesk(${tenant}, 'externalCid', ${params});`;
const json = JSON.stringify;

test.describe('a rejected call quotes what the page sent', () => {
  const mistakes: Mistake[] = [
    {
      call: (a) => externalCid(json(a.tenantId), `{ externalCid: 'ada@example.com', revenueOriginId: undefined }`),
      reason: (a) => `revenueOriginId is missing (the page passed undefined): the conversion snippet must pass your Revenue Origin ID "${a.revenueOriginId}"`,
    },
    {
      call: (a) => externalCid(json(a.tenantId), `{ externalCid: 'ada@example.com' }`),
      reason: () => 'revenueOriginId is missing (the call has no revenueOriginId)',
    },
    {
      call: (a) => externalCid(json(a.tenantId), `{ externalCid: 'ada@example.com', revenueOriginId: null }`),
      reason: () => 'revenueOriginId is missing (the page passed null)',
    },
    {
      call: (a) => externalCid(json(a.tenantId), `{ externalCid: 'ada@example.com', revenueOriginId: '' + window.REVENUE_ORIGIN_ID }`),
      reason: () => 'revenueOriginId "undefined" is not a UUID: copy the Revenue Origin ID from Trackdesk (text made from a value that was not set',
    },
    {
      call: (a) => externalCid(json(a.tenantId), '{ externalCid: `${window.email}`, revenueOriginId: 42 }'),
      reason: () => 'revenueOriginId 42 is not a UUID',
    },
    {
      call: (a) => externalCid(json(a.tenantId), '{ externalCid: `${window.email}` }'),
      reason: () =>
        'externalCid "undefined" is not an email address: the Stripe app matches on the customer\'s email, so send data.email (text made from a value that was not set',
    },
    {
      call: (a) => externalCid(json(a.tenantId), `{ externalCid: ({}).email, revenueOriginId: ${json(a.revenueOriginId)} }`),
      reason: () => "externalCid is missing (the page passed undefined): the conversion snippet must send the buyer's email (data.email)",
    },
    {
      call: (a) => externalCid(`'{{ tenant }}'`, `{ externalCid: 'ada@example.com', revenueOriginId: ${json(a.revenueOriginId)} }`),
      reason: (a) => `tenant "{{ tenant }}" is not your Trackdesk tenant "${a.tenantId}": fix the Tenant ID in the snippet (a template placeholder that was never filled in)`,
      host: () => 'invalid-tenant.trackdesk.com',
    },
    {
      call: (a) => externalCid(`'{tenant}'`, `{ externalCid: 'ada@example.com', revenueOriginId: ${json(a.revenueOriginId)} }`),
      reason: (a) => `tenant "{tenant}" is not your Trackdesk tenant "${a.tenantId}"`,
      host: () => 'invalid-tenant.trackdesk.com',
    },
    {
      call: (a) => externalCid('window.TRACKDESK_TENANT_ID', `{ externalCid: 'ada@example.com', revenueOriginId: ${json(a.revenueOriginId)} }`),
      reason: (a) => `the call names no tenant (the page passed undefined): trackdesk() takes your Tenant ID "${a.tenantId}" as its first argument`,
      host: () => 'no-tenant.trackdesk.com',
    },
    {
      call: (a) => externalCid('42', `{ externalCid: 'ada@example.com', revenueOriginId: ${json(a.revenueOriginId)} }`),
      reason: (a) => `tenant 42 is not a Tenant ID: trackdesk() takes your Tenant ID "${a.tenantId}", a string, as its first argument`,
      host: () => 'no-tenant.trackdesk.com',
    },
  ];

  for (const { call, reason, host } of mistakes) {
    test(call({ tenantId: 'acme', revenueOriginId: 'R', personalToken: '' }), async ({ network, siteOptions, page: tab, trackdesk, config }) => {
      network.use(...fixtureSite({ ...siteOptions, pages: { '/x': page(`{{CLICK_TRACKER}}<script>${call(config.trackdesk)}</script>`) } }));
      await tab.goto('/x');
      await trackdesk.settled();

      const rejected = trackdesk.collector.rejected.find((r) => r.command === 'externalCid');
      expect(rejected?.reasons).toContainEqual(expect.stringContaining(reason(config.trackdesk)));
      if (host) expect(rejected?.host).toBe(host(config.trackdesk));
    });
  }

  test('the rejected call keeps how the page passed each argument, types kept', async ({ network, siteOptions, page: tab, trackdesk, config }) => {
    const call = externalCid(json(config.trackdesk.tenantId), `{ externalCid: 'ada@example.com', revenueOriginId: undefined, amount: { value: 49 }, tags: [null, '1'] }`);
    network.use(...fixtureSite({ ...siteOptions, pages: { '/x': page(`{{CLICK_TRACKER}}<script>${call}</script>`) } }));
    await tab.goto('/x');
    await trackdesk.settled();

    expect(trackdesk.collector.rejected[0]).toMatchObject({
      sent: {
        tenantId: json(config.trackdesk.tenantId),
        externalCid: '"ada@example.com"',
        revenueOriginId: 'undefined',
        amount: '{ value: 49 }',
        tags: '[null, "1"]',
      },
    });
    expect(trackdesk.collector.rejected[0]!.body).not.toHaveProperty('sent');
  });
});
