/**
 * What the guide's snippets and the stand-ins' scripts put on `window`, typed once: for the stand-ins'
 * own scripts (mocks/**\/*.js, checked with `// @ts-check`), and for the bodies of `page.evaluate` in
 * the fixtures, the gate and the tests.
 */
import type { TitoJsProtocol, TitoStandIn } from './tito/protocol.ts';
import type { WidgetLoaded } from './tito/payloads.ts';
import type { SentArguments, TrackdeskFunction, TrackdeskStandIn, TrackingJsProtocol } from './trackdesk/protocol.ts';

/** What a page's storefront asks the checkout for (embed.js reads it from the element's attributes). */
export interface CheckoutOptions {
  /** `account/event`. */
  event: string;
  releases?: string[];
  discountCode?: string;
  prefill?: { name?: string; email?: string };
  /** URL parameters copied by `save-metadata-parameters`. */
  metadata?: Record<string, string>;
  locale?: string;
  source?: string;
  /** The `widget:loaded` data, when the checkout page was served with it. */
  preloaded?: WidgetLoaded;
}

/** Reports one of Tito's events from the checkout (`registration:finished`, with its data). */
export type EmitTitoEvent = (name: string, data?: unknown) => void;
/** Says whether a storefront shows tickets ('rendered') or an 'error', with its message. */
export type ReportState = (state: 'loading' | 'rendered' | 'error', message?: string) => void;

/** How tito.js (v2) and tito-v1.js set up the shared embed (embed.js). */
export interface EmbedSetup {
  version: 'v1' | 'v2';
  /** Whether the checkout renders into the page (v1, v2's `inline` plugin) or in an iframe. */
  inline: boolean;
  /** The names this version's API fires for one of the checkout's events. */
  namesFor(checkoutEvent: string): string[];
}

export interface Embed {
  on(name: string, fn: (data: unknown) => void): void;
  mountWidget(host: Element, event: string | null | undefined, kind: 'widget' | 'mount'): void;
  mountButton(host: Element, event: string | null | undefined, label: string | undefined, kind: 'button' | 'mount'): void;
  refuse(host: Element, event: string, kind: 'widget' | 'button' | 'mount', message: string): void;
}

/** Cookiebot's consent state by category, as `window.Cookiebot.consent` holds it. */
export interface CookiebotConsent {
  necessary: boolean;
  preferences: boolean;
  statistics: boolean;
  marketing: boolean;
  method: string | null;
}

export interface CookiebotApi {
  __gateStandIn?: true;
  consent: CookiebotConsent;
  consented: boolean;
  declined: boolean;
  hasResponse: boolean;
  doNotTrack: boolean;
  show(): void;
  hide(): void;
  renew(): void;
  runScripts(): void;
  submitCustomConsent(preferences: boolean, statistics: boolean, marketing: boolean): void;
}

export interface OneTrustApi {
  __gateStandIn?: true;
  AllowAll(): void;
  RejectAll(): void;
  IsAlertBoxClosed(): boolean;
  ToggleInfoDisplay(): void;
  OnConsentChanged(callback: (event: { detail: string[] }) => void): void;
  GetDomainData(): { Groups: { CustomGroupId: string }[] };
}

declare global {
  /** Filled in by the mocked Trackdesk as it serves tracking.js (protocol.ts); no page has it. */
  const __TRACKDESK_PROTOCOL__: TrackingJsProtocol;
  /** The keys, one per endpoint, the mocked Trackdesk gives each copy of tracking.js the browser loads as a script (null otherwise); no page has them. */
  const __TRACKDESK_SCRIPT_KEYS__: import('./trackdesk/protocol.ts').ScriptKeys | null;
  /** Filled in by the mocked Tito as it serves its scripts (protocol.ts); no page has it. */
  const __TITO_PROTOCOL__: TitoJsProtocol;
  /** mocks/consent/shared.js, served in the same function as each consent manager's stand-in; no page has it. */
  function runHeldScripts(selector: string, isAllowed: (script: HTMLScriptElement) => boolean): void;
  /** The same file's banner of a consent manager, and its buttons. */
  function newBanner(id: string, attributes: Record<string, string>, text: string): HTMLElement | null;
  function bannerButton(banner: HTMLElement, id: string, text: string, onPress: (() => void) | null): void;

  interface Window {
    /** The guide's queue stub, then tracking.js's real function. */
    trackdesk?: TrackdeskFunction;
    /** The stub's list of global names; `.f` is the real function once tracking.js has loaded. */
    TrackdeskObject?: string[] & { f?: TrackdeskFunction };
    __trackdeskStandIn?: TrackdeskStandIn;
    /** Parts of the tracking.js stand-in, served before it in the same script. */
    __trackdeskArguments?: { describe(value: unknown, depth: number): string; describeCall(tenantId: unknown, params: unknown): SentArguments };
    __trackdeskQueues?: (trackdesk: TrackdeskFunction) => () => void;

    /** Tito's queue stub (`tito.q`), then v2's function. */
    tito?: ((command: string, arg?: unknown) => void) & { q?: ArrayLike<unknown>[] };
    /** The deprecated v1 script's API. */
    Tito?: { on(name: string, fn: (data: unknown) => void): void };
    TitoWidget?: { buildWidgets(): void };
    __titoStandIn?: TitoStandIn;
    /** Parts of the Tito stand-in: the checkout UI (checkout-ui.js) and the shared embed (embed.js). */
    __titoMountCheckout?: (host: Element, options: CheckoutOptions, emit: EmitTitoEvent, report?: ReportState) => void;
    /** The shared embed for one script version; null once that version's script has run. */
    __titoEmbed?: (setup: EmbedSetup) => Embed | null;

    /** Cookiebot's uc.js (the stand-in's, mocks/consent/cookiebot.js); `CookieConsent` is its other name. */
    Cookiebot?: CookiebotApi;
    CookieConsent?: CookiebotApi;
    /** OneTrust's SDK (the stand-in's, mocks/consent/onetrust.js); `Optanon` is its other name. */
    OneTrust?: OneTrustApi;
    Optanon?: OneTrustApi;
    /** The consented OneTrust groups, `,C0001,C0004,`. */
    OnetrustActiveGroups?: string;
    OptanonActiveGroups?: string;
    /** The page's callback, which OneTrust's SDK calls on load and at each consent. */
    OptanonWrapper?: () => void;
  }
}
