import type { BrowserContext, FrameLocator, Page, Response } from '@playwright/test';
import type Stripe from 'stripe';
import type { NetworkFixture } from '@msw/playwright';
import { affiliateQuery } from '../mocks/trackdesk/protocol.ts';
import { expect, test } from '../fixtures/test.ts';

/**
 * The bench's kinds of test, interleaved in one file so that they run in one worker and one browser:
 *
 * - harness: the attribution scenario through the harness (stand-ins, stripe-mock, matchers);
 * - bare: the same browser work without the harness: the very responses the harness served (pages,
 *   tracking.js, Tito's widget and checkout, the tracking and checkout calls' answers), replayed from
 *   memory by one plain route, and the same clicks and fills with plain Playwright locators;
 * - static: a floor for reference, the same two pages as static HTML with no script at all.
 *
 * Order harness, bare, static, then static, bare, harness, … (ABBA, so no kind is always first).
 * bench/run.mjs pairs each harness run with the bare run beside it and reports the median of the
 * paired ratios. BENCH_PAIRS pairs after BENCH_WARMUP warm-up rounds (the first launches the browser
 * and records what the bare runs replay); BENCH_KINDS=harness leaves the others out (the scaling runs).
 */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 12);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const KINDS = (process.env.BENCH_KINDS ?? 'harness,bare,static').split(',');

const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

// --- What the harness served, recorded in the first harness run ----------------------------------

interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}
const served = new Map<string, Recorded>();
const keyOf = (method: string, url: string) => `${method} ${url.replace(/[?#].*$/, '')}`;

/** Records every response the page gets in `context`; the returned function waits for the last body. */
function record(context: BrowserContext): () => Promise<void> {
  const pending: Promise<void>[] = [];
  const onResponse = (response: Response) =>
    pending.push(
      response.body().then(
        (body) => void served.set(keyOf(response.request().method(), response.url()), { status: response.status(), headers: response.headers(), body }),
        () => undefined, // a page that navigated away has no body to give; the bare run aborts that request too
      ),
    );
  context.on('response', onResponse);
  return async () => {
    context.off('response', onResponse);
    await Promise.all(pending);
  };
}

// The bare and static runs use the harness's own `test` (so the same worker and browser), with its
// one automatic fixture, the stand-ins' network, left out: a plain `page` and nothing else.
const noStandIns = {
  network: async ({}, use: (network: NetworkFixture) => Promise<void>) => use(undefined as unknown as NetworkFixture),
};

/** Sums the time the Stripe SDK spent on calls to stripe-mock, per phase, into an annotation. */
function stripeTime(stripe: Stripe) {
  const spent: Record<string, number> = {};
  let phase = '';
  const onResponse = (event: Stripe.ResponseEvent) => (spent[phase] = (spent[phase] ?? 0) + event.elapsed);
  // The SDK types its emitter as `any`.
  const emitter = stripe as unknown as Record<'on' | 'off', (event: 'response', listener: typeof onResponse) => void>;
  emitter.on('response', onResponse);
  return {
    phase: <T>(title: string, body: () => Promise<T>) => {
      phase = title;
      return test.step(title, body);
    },
    done: () => {
      emitter.off('response', onResponse);
      test.info().annotations.push({ type: 'stripe-ms', description: JSON.stringify(spent) });
    },
  };
}

const noRecording = () => () => Promise.resolve();

/** The scenario through the harness; the first one records what it served, for the bare runs. */
const harnessRun = (n: string, first: boolean) =>
  test(`${n} harness`, async ({ context, site, tito, trackdesk, stripeApp, affiliateLink, _stripeSdk }) => {
    const recorded = (first ? record : noRecording)(context);
    const { phase, done } = stripeTime(_stripeSdk);
    await phase('landing page', () => site.visitThroughAffiliateLink(affiliateLink));
    await phase('click call', () => expect(trackdesk).toHaveClick({ affiliate: affiliateLink.affiliate }));
    await phase('tickets page, Tito render', async () => {
      await site.openTickets();
      await expect((await tito.checkout()).getByLabel('Quantity of General Admission')).toBeVisible();
    });
    await phase('checkout', () => tito.register({ tickets: { 'General Admission': 1 }, ...ada }));
    await phase('external CID', () => expect(trackdesk).toHaveExternalCid({ email: ada.email }));
    await phase('Check Now', () => stripeApp.checkNow());
    await phase('matchers', () => expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, email: ada.email, amount: '49.00', currency: 'GBP' }));
    done();
    await recorded();
  });

/** The bare run's network: the recorded responses, by method and URL; anything else is aborted. */
async function replay(page: Page): Promise<void> {
  expect(served.size, 'the first harness run records what the bare runs replay').toBeGreaterThan(0);
  await page.context().route(/.*/, (route, request) => {
    const answer = served.get(keyOf(request.method(), request.url()));
    return answer ? route.fulfill(answer) : route.abort('blockedbyclient');
  });
}

// The floor: the same two pages as static HTML, the same form, no script of any party.
const LANDING = `<!doctype html><html><head><meta charset="utf-8"><title>Summit</title></head><body>
<main><h1>Summit 2026</h1><p><a href="/tickets">Get tickets</a></p></main></body></html>`;
const TICKETS = `<!doctype html><html><head><meta charset="utf-8"><title>Tickets</title></head><body><main><h1>Tickets</h1>
<form id="releases"><label>General Admission £49.00 <input type="number" value="0" aria-label="Quantity of General Admission"></label><button>Register</button></form>
<form id="details" hidden><label>Name <input name="name"></label><label>Email <input name="email"></label><label>Card number <input name="card"></label>
<button>Complete registration</button></form><p id="thanks" role="status" hidden></p>
<script>
releases.onsubmit = (e) => { e.preventDefault(); releases.hidden = true; details.hidden = false; };
details.onsubmit = (e) => { e.preventDefault(); details.hidden = true; thanks.hidden = false; thanks.textContent = 'Thanks, ' + details.elements.name.value + '!'; };
</script></main></body></html>`;

/**
 * The browser work alone, with plain Playwright: `serve` answers the page's requests, `form` is where
 * the checkout shows; the same visit, clicks and fills as the harness scenario.
 */
const plainRun = (title: string, serve: (page: Page) => Promise<unknown>, form: (page: Page) => Page | FrameLocator) =>
  test.describe(() => {
    test.use(noStandIns);

    test(title, async ({ page, affiliateLink }) => {
      await serve(page);

      await test.step('landing page', () => page.goto(`/${affiliateQuery(affiliateLink)}`));

      const checkout = form(page);

      await test.step('tickets page, Tito render', async () => {
        await page.getByRole('link', { name: 'Get tickets' }).click();
        await expect(checkout.getByLabel('Quantity of General Admission')).toBeVisible();
      });

      await test.step('checkout', async () => {
        await checkout.getByLabel('Quantity of General Admission').fill('1');
        await checkout.getByRole('button', { name: 'Register' }).click();
        await checkout.getByLabel('Name').fill(ada.name);
        await checkout.getByLabel('Email').fill(ada.email);
        await checkout.getByLabel('Card number').fill('4242 4242 4242 4242');
        await checkout.getByRole('button', { name: 'Complete registration' }).click();
        await expect(checkout.getByRole('status')).toBeVisible();
      });
    });
  });

const bareRun = (n: string) => plainRun(`${n} bare`, replay, (page) => page.frameLocator('iframe.tito-widget-iframe'));

const serveStatic = (page: Page) =>
  page.route('**/*', (route) => route.fulfill({ contentType: 'text/html', body: new URL(route.request().url()).pathname === '/tickets' ? TICKETS : LANDING }));

const staticRun = (n: string) => plainRun(`${n} static`, serveStatic, (page) => page);

for (let i = 0; i < WARMUP + PAIRS; i++) {
  const n = i < WARMUP ? `warm-up ${i + 1}` : `pair ${String(i - WARMUP + 1).padStart(2, '0')}`;
  const runs = { harness: () => harnessRun(n, i === 0), bare: () => bareRun(n), static: () => staticRun(n) };
  const order = i % 2 === 0 ? (['harness', 'bare', 'static'] as const) : (['static', 'bare', 'harness'] as const);
  for (const kind of order) if (KINDS.includes(kind)) runs[kind]();
}
