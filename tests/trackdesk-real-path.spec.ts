/**
 * The mocked Trackdesk is no easier to pass than the real one: it records a click or an external CID
 * only when the tracking.js it served sent it, and an external CID only once a Tito registration has
 * finished. A page that calls Trackdesk's endpoints itself makes nothing in production.
 */
import type { HarnessConfig } from '../fixtures/config.ts';
import { fixtureSite } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';
import { affiliateQuery, CID_COOKIE, TRACKING_API, TRACKING_SCRIPT_URL, tenantHost } from '../mocks/trackdesk/index.ts';

type Account = HarnessConfig['trackdesk'];

const NOT_SENT = 'not sent by tracking.js';

/** The click the stand-in's tracking.js would send, posted by the page itself, and the cookie written by hand. */
const forgedClick = (a: Account, extra = '') => `
  var q = new URLSearchParams(location.search);
  fetch('https://${tenantHost(a.tenantId)}${TRACKING_API.click}', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: '${a.tenantId}', landingUrl: location.href, linkId: q.get('linkId'), sourceId: q.get('sourceId'), linkTenantId: q.get('tenantId')${extra} }),
  }).then(function (r) { return r.json(); }).then(function (answer) {
    document.cookie = '${CID_COOKIE}=' + JSON.stringify({ tenantId: '${a.tenantId}', cid: answer.cid }) + '; path=/';
  });`;

/** tracking.js and the guide's queue stub, given a command real tracking.js ignores ("pageview", built at run time). */
const trackerWithUnknownCommand = (a: Account) => `<script async src="https:${TRACKING_SCRIPT_URL}"></script><script>
  (function(t,d,k){(t[k]=t[k]||[]).push(d);t[d]=t[d]||t[k].f||function(){(t[d].q=t[d].q||[]).push(arguments)}})(window,"trackdesk","TrackdeskObject");
  trackdesk('${a.tenantId}', ['page', 'view'].join(''));</script>`;

const page = (head: string) => `<!doctype html><html><head>${head}</head><body><h1>Summit</h1></body></html>`;

test.describe('only tracking.js makes a click or an external CID', () => {
  test('a page that posts the click to Trackdesk itself is rejected: not sent by tracking.js', async ({ network, siteOptions, page: tab, trackdesk, affiliateLink, config }) => {
    network.use(...fixtureSite({ ...siteOptions, pages: { '/forged': page(`<script>${forgedClick(config.trackdesk)}</script>`) } }));
    await tab.goto(`/forged${affiliateQuery(affiliateLink)}`);
    // No tracking.js runs here to say what it has pending: the page's own call is awaited until it is in.
    await expect.poll(() => trackdesk.collector.rejected.length).toBeGreaterThan(0);
    await trackdesk.settled();

    expect(trackdesk.collector.clicks).toHaveLength(0);
    expect(trackdesk.collector.rejected).toEqual([expect.objectContaining({ command: 'click', sentByTrackingJs: false, reasons: [expect.stringContaining(NOT_SENT)] })]);
    expect(trackdesk.collector.trackingScriptLoads).toBe(0);
  });

  test("a page's own window.trackdesk that calls the endpoint is rejected too", async ({ network, siteOptions, page: tab, trackdesk, affiliateLink, config }) => {
    const own = `window.trackdesk = function (tenant, command) { if (command === 'click') { ${forgedClick(config.trackdesk)} } }; trackdesk('${config.trackdesk.tenantId}', 'click');`;
    network.use(...fixtureSite({ ...siteOptions, pages: { '/own': page(`<script>${own}</script>`) } }));
    await tab.goto(`/own${affiliateQuery(affiliateLink)}`);
    // No tracking.js runs here to say what it has pending: the page's own call is awaited until it is in.
    await expect.poll(() => trackdesk.collector.rejected.map((r) => r.reasons).flat()).toContainEqual(expect.stringContaining(NOT_SENT));
    await trackdesk.settled();
    expect(trackdesk.collector.clicks).toHaveLength(0);
  });

  test('tracking.js fetched rather than run as a script gives the page no key, and does not count as loaded', async ({ network, siteOptions, page: tab, trackdesk, affiliateLink, config }) => {
    // The page reads the script as text and sends whatever it could find in it with the click.
    const reader = `fetch('https:${TRACKING_SCRIPT_URL}').then(function (r) { return r.text(); }).then(function (text) {
      window.stolen = text;
      ${forgedClick(config.trackdesk, ", scriptKey: (text.match(/[0-9a-f]{8}-[0-9a-f-]{27}/) || [''])[0]")}
    });`;
    network.use(...fixtureSite({ ...siteOptions, pages: { '/reader': page(`<script>${reader}</script>`) } }));
    await tab.goto(`/reader${affiliateQuery(affiliateLink)}`);
    await tab.waitForFunction(() => typeof window.stolen === 'string');
    await expect.poll(() => trackdesk.collector.rejected.length).toBeGreaterThan(0);
    await trackdesk.settled();

    expect(trackdesk.collector.clicks).toHaveLength(0);
    expect(trackdesk.collector.rejected.map((r) => r.reasons).flat()).toContainEqual(expect.stringContaining(NOT_SENT));
    expect(trackdesk.collector.trackingScriptLoads).toBe(0);
  });

  test('a page that wraps fetch() cannot turn the key of a call tracking.js made for another command into a click: each key is one endpoint\'s', async ({ network, siteOptions, page: tab, trackdesk, affiliateLink, config }) => {
    // tracking.js is loaded and given a command it only reports (real tracking.js sends nothing for it);
    // the wrapper takes that call's key and posts a click with it instead.
    const wrapper = `var realFetch = window.fetch;
      window.fetch = function (url, init) {
        if (String(url).indexOf('${TRACKING_API.unknownCommand}') === -1) return realFetch.apply(this, arguments);
        var key = JSON.parse(init.body).scriptKey;
        ${forgedClick(config.trackdesk, ', scriptKey: key')}
        return Promise.resolve(new Response('{}'));
      };`;
    network.use(...fixtureSite({ ...siteOptions, pages: { '/wrapped': page(`<script>${wrapper}</script>${trackerWithUnknownCommand(config.trackdesk)}`) } }));
    await tab.goto(`/wrapped${affiliateQuery(affiliateLink)}`);
    await expect.poll(() => trackdesk.collector.rejected.map((r) => r.command)).toContain('click');
    await trackdesk.settled();

    expect(trackdesk.collector.trackingScriptLoads).toBe(1);
    expect(trackdesk.collector.clicks).toHaveLength(0);
    expect(trackdesk.collector.rejected).toEqual([expect.objectContaining({ command: 'click', sentByTrackingJs: false, reasons: [expect.stringContaining(NOT_SENT)] })]);
  });

  test("a page that replaces the builtins tracking.js calls cannot reach its table of commands to add one that runs click", async ({ network, siteOptions, page: tab, trackdesk, affiliateLink, config }) => {
    // Every builtin's call passes through here: any object that has a click command is given a "pageview" too.
    const bridge = `var apply = Reflect.apply;
      Function.prototype.call = function (self) {
        if (self && typeof self.click === 'function') self.pageview = self.click;
        return apply(this, self, Array.prototype.slice.apply(arguments, [1]));
      };`;
    network.use(...fixtureSite({ ...siteOptions, pages: { '/bridged': page(`<script>${bridge}</script>${trackerWithUnknownCommand(config.trackdesk)}`) } }));
    await tab.goto(`/bridged${affiliateQuery(affiliateLink)}`);
    await expect.poll(() => trackdesk.collector.rejected.map((r) => r.command)).toContain('pageview');
    await trackdesk.settled();

    expect(trackdesk.collector.trackingScriptLoads).toBe(1);
    expect(trackdesk.collector.clicks).toHaveLength(0);
  });

  test("the guide's click tracker still makes the click, and the key it carries is kept out of every record", async ({ network, siteOptions, page: tab, trackdesk, affiliateLink, config }) => {
    const typo = `trackdesk('${config.trackdesk.tenantId}', 'clik');`;
    network.use(...fixtureSite({ ...siteOptions, pages: { '/typo': page(`{{CLICK_TRACKER}}<script>${typo}</script>`) } }));
    await tab.goto(`/typo${affiliateQuery(affiliateLink)}`);

    await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate });
    expect(trackdesk.collector.trackingScriptLoads).toBe(1);
    // A call tracking.js sent and Trackdesk refused for its own reasons: sent by tracking.js, no key kept.
    const [refused] = trackdesk.collector.rejected;
    expect(refused).toMatchObject({ command: 'clik', sentByTrackingJs: true });
    expect(refused!.reasons.join()).not.toContain(NOT_SENT);
    expect(refused!.body).not.toHaveProperty('scriptKey');
  });

  test('an external CID sent by tracking.js before any Tito registration finished is rejected', async ({ network, siteOptions, page: tab, trackdesk, affiliateLink, config }) => {
    const early = `trackdesk('${config.trackdesk.tenantId}', 'externalCid', { externalCid: 'ada@example.com', revenueOriginId: '${config.trackdesk.revenueOriginId}' });`;
    network.use(...fixtureSite({ ...siteOptions, pages: { '/early': page(`{{CLICK_TRACKER}}<script>${early}</script>`) } }));
    await tab.goto(`/${affiliateQuery(affiliateLink)}`);
    await expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate });
    await tab.goto('/early');
    await trackdesk.settled();

    expect(trackdesk.collector.externalCids).toHaveLength(0);
    expect(trackdesk.collector.rejected).toEqual([expect.objectContaining({ command: 'externalCid', reasons: [expect.stringContaining('no Tito registration finished')] })]);
  });

  test('after a registration, the conversion tracker pairs the email through tracking.js', async ({ site, tito, trackdesk, affiliateLink }) => {
    await site.visitThroughAffiliateLink(affiliateLink);
    await site.openTickets();
    await tito.register({ tickets: { 'General Admission': 1 }, name: 'Ada', email: 'ada@example.com' });

    await expect(trackdesk).toHaveExternalCid({ email: 'ada@example.com' });
    await expect(trackdesk).toHaveNoRejectedCalls();
  });
});
