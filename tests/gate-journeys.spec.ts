/**
 * The journeys the gate walks: from each landing page, the shortest way by the site's links to every
 * other page that sells tickets, with redirected links (`/tickets` → `/tickets/`) and hash routes.
 */
import { expect, test } from '@playwright/test';
import { SITE_UNDER_TEST_ORIGIN } from '../gate/hosts.ts';
import { journeyName, pageKey, planJourneys } from '../gate/navigation.ts';

const page = (path: string, links: string[], storefronts: string[] = []) => ({ path, links, storefronts });

test('a visitor who lands on / reaches each ticket page by the shortest way the links offer', () => {
  const pages = [
    page('/', ['/about', '/events']),
    page('/about', ['/', '/tickets']),
    page('/events', ['/events/summit']),
    page('/events/summit', ['/tickets'], ['acme/summit']),
    page('/tickets', [], ['acme/summit']),
  ];
  const journeys = planJourneys(pages, ['/'], new Map());
  expect(journeys.map(journeyName)).toEqual(['/ → /events → /events/summit', '/ → /about → /tickets']);
});

test('a link that redirects is followed to the page it leads to, and clicked as the link names it', () => {
  const pages = [page('/', ['/tickets']), page('/tickets/', [], ['acme/summit'])];
  const [journey] = planJourneys(pages, ['/'], new Map([['/tickets', '/tickets/']]));
  expect(journey!.stops).toEqual([
    { page: '/', linkedAs: ['/'] },
    { page: '/tickets/', linkedAs: ['/tickets/', '/tickets'] },
  ]);
});

test('no journey to the landing page itself, to a ticket page no link reaches, or from a landing page that was never found', () => {
  const pages = [page('/', ['/about'], ['acme/summit']), page('/about', []), page('/hidden', [], ['acme/summit'])];
  expect(planJourneys(pages, ['/', '/missing'], new Map())).toEqual([]);
});

test('each landing page starts journeys of its own', () => {
  const pages = [page('/', ['/tickets']), page('/speakers', ['/tickets']), page('/tickets', [], ['acme/summit'])];
  expect(planJourneys(pages, ['/', '/speakers'], new Map()).map(journeyName)).toEqual(['/ → /tickets', '/speakers → /tickets']);
});

test("hash routes are pages of their own, a page's anchors are not, and other hosts are off the site", () => {
  expect(pageKey(`${SITE_UNDER_TEST_ORIGIN}/#/tickets`, [])).toBe('/#/tickets');
  expect(pageKey(`${SITE_UNDER_TEST_ORIGIN}/app#!/tickets?x=1`, [])).toBe('/app#!/tickets?x=1');
  expect(pageKey(`${SITE_UNDER_TEST_ORIGIN}/about#faq`, [])).toBe('/about');
  expect(pageKey(`${SITE_UNDER_TEST_ORIGIN}/#/`, [])).toBe('/');
  expect(pageKey('https://summit.example/tickets', ['summit.example'])).toBe('/tickets');
  expect(pageKey('https://elsewhere.example/tickets', ['summit.example'])).toBeNull();
  expect(pageKey('ftp://summit.example/tickets', ['summit.example'])).toBeNull();
  expect(pageKey('#/tickets', [], '/app')).toBe('/app#/tickets');
  expect(pageKey('http://[', [])).toBeNull();
});
