/**
 * tito-trackdesk-gate: the package's one entry.
 *
 * In your own Playwright specs, `test` gives every test your site (SITE_DIR or SITE_URL) behind the
 * stand-ins of Trackdesk, Tito and Stripe, and `expect` the matchers that prove attribution:
 *
 * @example
 * import { test, expect } from 'tito-trackdesk-gate';
 *
 * test("an affiliate's visitor who buys on /tickets is credited", async ({ page, site, tito, trackdesk, stripeApp, affiliateLink, config }) => {
 *   await site.visitThroughAffiliateLink(affiliateLink);
 *   await page.getByRole('link', { name: 'Tickets' }).click();
 *   await tito.register({ tickets: { 'General Admission': 1 }, name: 'Ada Lovelace', email: 'ada@example.com' });
 *   await stripeApp.checkNow();
 *   await expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, email: 'ada@example.com', revenueOriginId: config.trackdesk.revenueOriginId });
 * });
 *
 * And `attributionGate()` adds the gate's own checks of every page to your `playwright.config.ts` as a project.
 *
 * `openGate()` is the gate itself, in your script's process (what `npx attribution-gate` runs): one
 * browser and one stripe-mock for as many sites as you check, each a verdict like gate.json's.
 *
 * @example
 * import { openGate } from 'tito-trackdesk-gate';
 *
 * const gate = await openGate();
 * const { verdict } = await gate.check({ siteDir: 'dist' });
 * await gate.close();
 * if (!verdict.ok) process.exitCode = verdict.exitCode;
 */
export { expect, test, type SiteOptions } from './gate/site-test.ts';
export { attributionGate, type AttributionGateOptions } from './gate/project.ts';
export { checkSite, GateCannotRun, openGate, type CheckOptions, type Gate, type GateRun, type SiteToCheck } from './gate/gate.ts';
export { ConfigError } from './fixtures/config.ts';
export type { CheckOutcome } from './gate/run-checks.ts';
export type { GatePlan } from './gate/plan.ts';
export type { GateVerdict } from './gate/judge.ts';
export type { Finding, FindingCode } from './gate/findings.ts';
export type { AccountSetup } from './fixtures/test.ts';
export type { ExpectedClick, ExpectedConversion } from './fixtures/matchers.ts';
export type { MockedTrackdesk } from './fixtures/mocked-trackdesk.ts';
export type { EventSite, AffiliateLink } from './fixtures/pages/event-site.ts';
export type { TitoWidget, Registration } from './fixtures/pages/tito-widget.ts';
export type { StripeLedger } from './mocks/stripe/index.ts';
