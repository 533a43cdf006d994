/**
 * Each mistake a user can make while pasting the guide's snippets must make the attribution check
 * fail, and its message must name the mistake. The mistakes are the catalogue's (gate/mistakes.ts),
 * which tests/gate-catalogue.spec.ts runs through the gate: here, every one that says what the
 * harness must report.
 */
import { buyTickets } from '../fixtures/journeys.ts';
import { fixtureSite, renderFixtureSite } from '../fixtures/site.ts';
import { expect, test } from '../fixtures/test.ts';
import { MISTAKES } from '../gate/mistakes.ts';

const buyer = { name: 'Grace Hopper', email: 'grace@example.com', tickets: { 'General Admission': 1 } };

test.describe('snippet mistakes fail the attribution check, naming the mistake', () => {
  for (const mistake of MISTAKES.filter((m) => m.harness)) {
    const message = mistake.harness!;

    test(mistake.name, async ({ network, siteOptions, site, tito, trackdesk, stripeApp, affiliateLink, config }) => {
      const pages = mistake.apply(renderFixtureSite(siteOptions), config.trackdesk);
      expect(pages, 'the mistake changes the site').not.toEqual(renderFixtureSite(siteOptions));
      network.use(...fixtureSite({ ...siteOptions, pages }));

      await buyTickets({ site, tito, trackdesk, stripeApp }, affiliateLink, buyer);

      await expect(expect(trackdesk).toHaveConversion({ affiliate: affiliateLink.affiliate, email: buyer.email })).rejects.toThrow(message(config.trackdesk, buyer.email));
    });
  }
});
