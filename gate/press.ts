/**
 * What a buyer presses looking for the tickets on a page that shows no storefront yet: a "Buy tickets"
 * button that opens a modal, a dialog's "Continue", an in-page `#register` tab, a clickable ticket card.
 * A press that would take the page elsewhere is held back, and where it would have gone is told: a
 * listener's `location.href = '/vip'` is a way in that no served HTML shows.
 */
import type { Page } from '@playwright/test';
import { inPage } from '../fixtures/in-page.ts';
import { cssString } from './untrusted.ts';
import { STOREFRONT_ELEMENTS } from '../mocks/tito/protocol.ts';
import { within } from './limits.ts';
import { QUIET_MS, type Quiet } from './render.ts';
import { until } from './wait.ts';

/** A read of the page's state; a main thread that never frees gives no answer. */
const READ_WAIT = 3_000;

/** What a button that shows the storefront says: "Buy tickets", "Register", "Book now", "Get your pass". */
const TICKET_WORDS = /\b(tickets?|register|registration|buy|book|rsvp|pass(es)?|purchase|order|reserve|check ?out|sign ?up|attend|enrol+|seats?|spots?)\b/i;
/** What the next step of a dialog the buyer opened says. */
const NEXT_STEP_WORDS = /\b(continue|next|proceed|select|choose)\b/i;
/** What a ticket card says besides: its price ("49 EUR", "€290"). */
const PRICE_WORDS = /[€$£]\s?\d|\d\s?(€|\$|£|eur|usd|gbp|chf)\b/i;
/**
 * Buttons that act on the page itself, not a form's submit or a link to another page: in-page hash links
 * and tabs too, but not a hash router's links (`#/tickets`, `#!/tickets`), which lead to pages of their own.
 */
const IN_PAGE_LINKS = 'a[href^="#"]:not([href^="#/"]):not([href^="#!/"])';
const PAGE_BUTTONS = `button, summary, [role=button], [role=tab], ${IN_PAGE_LINKS}, a:not([href]), [onclick]:not(a[href]):not(form *)`;
/** Bounds of the look for clickable cards: text nodes read, those of ticket words or a price followed up, levels climbed from each to its card. */
const CARDS = { textNodes: 5_000, matches: 50, levels: 6 };
/** Buttons of a page looked at, at most. */
const BUTTONS_LOOKED_AT = 2_000;
/** Presses a buyer makes, at most, looking for a storefront: a "Book a hotel" before "Buy tickets", a dialog of two steps. */
const PRESSES = 3;
/** How long one press may take (Playwright's wait for the element to be visible, stable and hit). */
const PRESS_WAIT = 3_000;

/**
 * The elements of a Tito storefront (of `event`, when given): a widget, a button, or what `widget.mount`
 * marked. The event is the site's text, quoted as a CSS string whatever it holds (`"`, `]`, a newline).
 */
export function storefrontSelector(event?: string): string {
  const value = event === undefined ? '' : `=${cssString(event)}`;
  return `[data-tito-event${value}], ${STOREFRONT_ELEMENTS.widget}[event${value}], ${STOREFRONT_ELEMENTS.button}[event${value}]`;
}

/** Whether the page shows a Tito storefront now (of `event`, when given). */
export async function storefrontShown(page: Page, event?: string): Promise<boolean> {
  // Shown, not only there: a storefront in a closed modal, a faded-out one or an unchosen tab waits for the buyer's press.
  const shown = inPage(page, (selector: string) => [...document.querySelectorAll(selector)].some((e) => e.checkVisibility({ checkVisibilityCSS: true, checkOpacity: true })), storefrontSelector(event), { world: 'isolated' });
  return within(READ_WAIT, shown.catch(() => false), () => false);
}

/**
 * On a page that shows no storefront, the storefront may be behind something a buyer presses (a modal,
 * `tito('widget.mount')` on click, an in-page `#register` tab, a clickable ticket card): the buyer
 * presses the first visible one outside any form that speaks of tickets (a card: of tickets or a
 * price), then, if none shows yet, the next (another such, or a dialog's "Continue"), up to
 * {@link PRESSES}, each within {@link PRESS_WAIT}. `shown` says whether a storefront shows now, once
 * the page had its time.
 *
 * A press that would take the page to another page (a listener's `location.href = '/vip'`, which no
 * served HTML shows) is held back: the page stays, and where it would have gone is returned with what
 * the pressed element says, for discovery to visit (the gate's routing answers only the site, whatever
 * escapes). A page with nothing to press costs one read.
 */
export async function pressTicketButtons(page: Page, shown: () => Promise<boolean>): Promise<PressedAway[]> {
  const pressed: string[] = [];
  const leadsTo = new Map<string, string>();
  const at = withoutHash(page.url());
  const token = `p${Math.random().toString(36).slice(2)}`;
  const popups = (popup: Page) => void (pressed.length > 0 && !leadsTo.has(popup.url()) && leadsTo.set(popup.url(), pressed.at(-1)!));
  page.on('popup', popups);
  try {
    for (let press = 0; press < PRESSES; press++) {
      const found = await within(READ_WAIT, inPage(page, nextToPress, { buttons: PAGE_BUTTONS, buttonsLookedAt: BUTTONS_LOOKED_AT, cards: CARDS, words: TICKET_WORDS.source, cardWords: PRICE_WORDS.source, nextWords: press === 0 ? null : NEXT_STEP_WORDS.source, pressed, token, press }, { world: 'isolated' }).catch(() => null), () => null);
      if (!found) break;
      pressed.push(found);
      // Our own token names the element: no selector is built from the site's text.
      const clicked = await page.locator(`[data-gate-press="${token}-${press}"]`).click({ timeout: PRESS_WAIT }).then(() => true, () => false);
      if (!clicked) continue;
      const showing = await shown();
      if (withoutHash(page.url()) !== at) {
        // Where the press took the page, by a navigation the page would not let be held back or by a
        // client-side route, is a page of its own too: a visitor may land there (a deep link, a reload).
        if (!leadsTo.has(page.url())) leadsTo.set(page.url(), found);
        if (await leftTheDocument(page, at)) break;
      }
      if (showing) break;
    }
  } finally {
    page.off('popup', popups);
    // Nothing pressed, nothing held: a page with nothing to press costs its one read.
    const held = pressed.length === 0 ? [] : await within(READ_WAIT, inPage(page, releaseNavigations, undefined, { world: 'isolated' }).catch(() => []), () => []);
    for (const { href, says } of held) if (!leadsTo.has(href)) leadsTo.set(href, says);
  }
  return [...leadsTo].filter(([href]) => URL.canParse(href) && /^https?:$/.test(new URL(href).protocol)).map(([href, says]) => ({ href, says }));
}

/**
 * Shows the storefront of `event` as a buyer finds it: given up to `waitMs` to show by itself (a lazy
 * embed), or until the page has gone quiet (`quiet`, a {@link quietness} of the page) without it, then by
 * pressing the control of the panel it is hidden in ({@link pressControlOf}), else what speaks of tickets
 * ({@link pressTicketButtons}).
 */
export async function showStorefront(page: Page, event: string, waitMs: number, quiet?: Quiet): Promise<void> {
  const shows = async () => {
    const decided = new AbortController();
    return Promise.race([
      until(() => storefrontShown(page, event), waitMs, 50, decided.signal),
      ...(quiet ? [quiet(QUIET_MS, waitMs, decided.signal).then(() => storefrontShown(page, event))] : []),
    ]).finally(() => decided.abort());
  };
  if ((await shows()) || (await pressControlOf(page, event, shows))) return;
  await pressTicketButtons(page, shows);
}

/**
 * A storefront of `event` hidden in a panel (a tab not chosen, a collapsed section, a closed modal) whose
 * control names it (`aria-controls`, `href="#…"`, Bootstrap's `data-bs-target`; or, written by hand, any
 * attribute that names the panel's id or data value: `data-tab="ws"`, Alpine's `@click="tab = 'ws'"`; a
 * closed `<details>`' own summary): the buyer presses that control, whatever it says ("Workshops").
 * Presses at most one; says whether the storefront then shows.
 */
export async function pressControlOf(page: Page, event: string, shown: () => Promise<boolean>): Promise<boolean> {
  const token = `c${Math.random().toString(36).slice(2)}`;
  const marked = await within(
    READ_WAIT,
    inPage(page, (o: { selector: string; token: string; controls: string }) => {
      const controls = [...document.querySelectorAll(o.controls)].slice(0, 2_000);
      for (const storefront of document.querySelectorAll(o.selector)) {
        for (let at: Element | null = storefront.parentElement; at; at = at.parentElement) {
          // A closed <details> (WordPress's details block, an FAQ-style list of workshops) opens by its own summary.
          const summary = at.localName === 'details' && !(at as HTMLDetailsElement).open ? at.querySelector(':scope > summary') : null;
          if (summary && summary.checkVisibility()) {
            summary.setAttribute('data-gate-press', o.token);
            return true;
          }
          // Only a panel that hides the storefront has a control to press; its names: its id, and its data-tab, data-panel… value.
          if (at.checkVisibility()) break;
          const names = [at.id, ...[...at.attributes].filter((a) => /^data-(tab|panel|pane|content|section)(-[\w-]+)?$/.test(a.name)).map((a) => a.value)].filter((n) => /^[\w-]{2,40}$/.test(n));
          if (names.length === 0) continue;
          const id = at.id ? CSS.escape(at.id) : '';
          const named = id ? document.querySelector(`[aria-controls~="${id}"], a[href="#${id}"], [data-bs-target="#${id}"], [data-target="#${id}"]`) : null;
          // Else a tab written by hand, or by Alpine: data-tab="ws", @click="tab = 'ws'", outside the panel.
          const control =
            named && named.checkVisibility()
              ? named
              : controls.find(
                  (c) =>
                    !at.contains(c) &&
                    c.checkVisibility() &&
                    [...c.attributes].some((a) => /^(data-[\w-]+|aria-controls|href|onclick|@click|x-on:click|v-on:click)$/.test(a.name) && names.some((n) => a.value === n || a.value === `#${n}` || a.value.includes(`'${n}'`) || a.value.includes(`"${n}"`))),
                );
          if (control) {
            control.setAttribute('data-gate-press', o.token);
            return true;
          }
        }
      }
      return false;
    }, { selector: storefrontSelector(event), token, controls: `button, [role=tab], [role=button], ${IN_PAGE_LINKS}, a:not([href]), li, label` }, { world: 'isolated' }).catch(() => false),
    () => false,
  );
  if (!marked) return false;
  // Our own token names the element: no selector is built from the site's text.
  if (!(await page.locator(`[data-gate-press="${token}"]`).click({ timeout: PRESS_WAIT }).then(() => true, () => false))) return false;
  return shown();
}

/** Where a press would have taken the page (held back), and what the element pressed says. */
export interface PressedAway {
  href: string;
  says: string;
}

/** A URL as a document: an in-page tab's `#register` is the same page. */
export const withoutHash = (url: string) => url.split('#')[0]!;

/**
 * Whether a press took the page from `at` to another document. A client-side route (`history.pushState`:
 * a router's `navigate('/tickets')`) keeps the document, and what it shows is the buyer's next step on
 * this page, at the URL the router gave it, as a visitor sees it.
 */
export async function leftTheDocument(page: Page, at: string): Promise<boolean> {
  if (withoutHash(page.url()) === at) return false;
  // The guard lives in the gate's world of the document the presses began in: a new document has none.
  const kept = inPage(page, () => '__gatePresses' in window, undefined, { world: 'isolated' }).catch(() => false);
  return !(await within(READ_WAIT, kept, () => false));
}

/** The page's navigation API, as far as the gate uses it (TypeScript's DOM library does not have it yet). */
interface NavigationGuard {
  held: PressedAway[];
  /** What the element pressed last says. */
  says: string;
  stop: AbortController;
}
type Navigate = Event & { hashChange: boolean; navigationType: string; cancelable: boolean; destination: { url: string; sameDocument: boolean } };

/**
 * Runs in the page: marks the next element to press with `data-gate-press` (`<token>-<press>`) and
 * returns what it says, or null when there is none; before the first press, holds back any navigation to
 * another document from then on (a hash change, as a tab makes, and a client-side route go through). No
 * named inner functions.
 */
function nextToPress(o: { buttons: string; buttonsLookedAt: number; cards: { textNodes: number; matches: number; levels: number }; words: string; cardWords: string; nextWords: string | null; pressed: string[]; token: string; press: number }): string | null {
  const wanted = new RegExp(o.nextWords ? `${o.words}|${o.nextWords}` : o.words, 'i');
  const priced = new RegExp(o.cardWords, 'i');
  const candidates: { element: Element; says: string }[] = [];
  // A component whose shadow root holds the real button (`<ui-button>Buy tickets</ui-button>`) is pressed as one.
  // Only a button's worth of a component: one button inside, a short text (a whole <site-header> is no button).
  const components = [...document.querySelectorAll('*')]
    .slice(0, 50_000)
    .filter((e) => e.localName.includes('-') && e.shadowRoot?.querySelectorAll('button, [role=button]').length === 1 && (e.textContent ?? '').trim().length <= 60);
  for (const e of [...document.querySelectorAll(o.buttons), ...components].slice(0, o.buttonsLookedAt)) {
    // What it says to a visitor: its text, else its label, an image's alt text (a button that is a picture), its title.
    const says = ((e.textContent ?? '').trim() || e.getAttribute('aria-label') || e.querySelector('img[alt]')?.getAttribute('alt') || e.getAttribute('title') || '').replace(/\s+/g, ' ').slice(0, 200);
    if (wanted.test(says) && !o.pressed.includes(says) && !e.closest('form')) candidates.push({ element: e, says });
  }
  // A clickable card has no button role: from each text of tickets or a price, up to the nearest element
  // with a pointer cursor (where its parent has none) or a tabindex, of a short text with nothing else to press inside.
  const texts = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
  let matches = 0;
  for (let read = 0, node = texts.nextNode(); node && read < o.cards.textNodes && matches < o.cards.matches; read++, node = texts.nextNode()) {
    const own = (node.nodeValue ?? '').slice(0, 300);
    if ((!wanted.test(own) && !priced.test(own)) || node.parentElement?.closest('script, style, noscript')) continue;
    matches += 1;
    let e = node.parentElement;
    for (let level = 0; e && e !== document.body && level < o.cards.levels; level++, e = e.parentElement) {
      if (e.closest(`form, a[href], ${o.buttons}`)) break;
      const focusable = e.hasAttribute('tabindex') && Number(e.getAttribute('tabindex')) >= 0;
      const pointer = getComputedStyle(e).cursor === 'pointer' && (!e.parentElement || getComputedStyle(e.parentElement).cursor !== 'pointer');
      if (!focusable && !pointer) continue;
      const text = (e.textContent ?? '').replace(/\s+/g, ' ').trim();
      const says = text.slice(0, 200);
      if (text.length <= 300 && !o.pressed.includes(says) && !candidates.some((c) => c.element === e) && !e.querySelector('a[href], button, input, select, textarea')) candidates.push({ element: e, says });
      break;
    }
  }
  candidates.sort((a, b) => (a.element.compareDocumentPosition(b.element) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const next = candidates.find((c) => {
    const box = c.element.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  });
  if (!next) return null;
  const w = window as unknown as { __gatePresses?: NavigationGuard; navigation?: EventTarget };
  if (!w.__gatePresses && w.navigation) {
    const guard: NavigationGuard = { held: [], says: '', stop: new AbortController() };
    w.__gatePresses = guard;
    w.navigation.addEventListener(
      'navigate',
      (event) => {
        const e = event as Navigate;
        // A client-side route (pushState) goes through as a hash change does: the router has already moved on.
        if (e.hashChange || e.destination.sameDocument || e.navigationType === 'traverse' || e.navigationType === 'reload' || !e.cancelable) return;
        // A page may navigate in a loop as it is pressed: every navigation is held, the first 20 are kept.
        if (guard.held.length < 20) guard.held.push({ href: e.destination.url, says: guard.says });
        e.preventDefault();
      },
      { signal: guard.stop.signal },
    );
  }
  if (w.__gatePresses) w.__gatePresses.says = next.says;
  next.element.setAttribute('data-gate-press', `${o.token}-${o.press}`);
  return next.says;
}

/** Runs in the page: lets navigations go again, and returns those held back. */
function releaseNavigations(): PressedAway[] {
  const w = window as unknown as { __gatePresses?: NavigationGuard };
  const guard = w.__gatePresses;
  if (!guard) return [];
  guard.stop.abort();
  delete w.__gatePresses;
  return guard.held;
}
