/**
 * The gate's checks, one test each, from the plan `npm run gate` wrote (or, as a project of a user's
 * config, the one made when this file is first loaded: gate/project.ts): the static audit of every page,
 * an affiliate visit to every page, and on every page that showed a Tito storefront a registration that
 * must become a conversion. Findings travel as `gate-findings` attachments, so the reporter (and
 * `playwright merge-reports` across shards) sees the same thing.
 */
import { test as plain } from '@playwright/test';
import { story } from '../fixtures/matchers.ts';
import { defanged } from './untrusted.ts';
import { checkJourney, checkPage, journeyCheckTitle, pageCheckTitle, SITE_CHECK_TITLE, staticAuditTitle } from './check-page.ts';
import { formatFinding, isError, type Finding } from './findings.ts';
import { expect, test } from './fixtures.ts';
import { planOfThisRun } from './project.ts';

const plan = await planOfThisRun();
// Each check ends by its page's deadline (GATE_PAGE_TIMEOUT); the test's own timeout leaves room to report it.
test.describe.configure({ timeout: plan.pageTimeoutMs + 30_000 });

const report = async (page: string, kind: string, findings: Finding[], extra: object = {}) => {
  // For the gate's reporter only: the HTML report offers it as a file, never shows the site's text in it as links.
  await plain.info().attach('gate-findings', { body: JSON.stringify({ page, kind, findings, ...extra }), contentType: 'application/octet-stream' });
  const errors = findings.filter(isError);
  expect(errors.map(told), 'attribution breaks here').toEqual([]);
};

/** A finding as the failed check tells it, on the terminal and in the HTML report: the site's text shown, its URLs links to nowhere. */
function told(finding: Finding): string {
  return defanged(formatFinding(finding));
}

plain(SITE_CHECK_TITLE, async () => {
  await report('*', 'site', plan.findings, { pages: plan.pages.map(({ path, foundBy, status, storefronts }) => ({ path, foundBy, status, storefronts })) });
});

// Titles quote the site (the list reporter prints them): check-page.ts shows it escaped, so no title is a workflow command.
for (const page of plan.pages) {
  plain(staticAuditTitle(page), async () => {
    await report(page.path, 'static audit', page.findings);
  });

  const events = page.storefronts;

  test(pageCheckTitle(page), async ({ page: tab, trackdesk, stripeApp, stripeAccount, affiliateLink, config, titoCheckout, gateNetwork, notFound }) => {
    const findings = await checkPage({ page: tab, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork, notFound }, page, plan.origin, plan.titoEvents, plan.pageTimeoutMs);
    // The journey as the mocked systems recorded it, step by step, for the HTML report.
    const payments = stripeAccount.charges.map((c) => `  - ${c.id} ${c.amount} ${c.currency} (${c.status}) for customer ${c.customerId}`);
    const journey = [`Tito registrations (${titoCheckout.registrations.length}):`, ...titoCheckout.registrations.map((r) => `  - ${r.reference} ${r.total} ${r.currency} by ${r.email}`), `Stripe payments (${payments.length}):`, ...payments, story(trackdesk)];
    await plain.info().attach('attribution journey', { body: defanged(journey.join('\n')), contentType: 'text/plain' });
    await report(page.path, events.length > 0 ? 'registration' : 'click', findings, { thirdParties: gateNetwork.hosts.filter((h) => h.kind !== 'posing') });
    const faults = findings.filter((f) => f.severity === 'fault');
    expect(faults.map(told), 'the harness could not run this check').toEqual([]);
  });
}

for (const journey of plan.journeys) {
  const seller = plan.pages.find((p) => p.path === journey.stops.at(-1)!.page)!;

  test(journeyCheckTitle(journey, seller), async ({ page: tab, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork, notFound }) => {
    const findings = await checkJourney({ page: tab, trackdesk, stripeApp, affiliateLink, config, titoCheckout, gateNetwork, notFound }, journey, seller, plan.origin, plan);
    await plain.info().attach('attribution journey', { body: defanged(story(trackdesk)), contentType: 'text/plain' });
    await report(seller.path, 'journey', findings, { thirdParties: gateNetwork.hosts.filter((h) => h.kind !== 'posing') });
    const faults = findings.filter((f) => f.severity === 'fault');
    expect(faults.map(told), 'the harness could not run this check').toEqual([]);
  });
}
