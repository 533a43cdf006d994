import type { BrowserContext, Request, Route, WebSocketRoute } from '@playwright/test';
import { libraryCopy } from './cdn-libraries.ts';
import { hostKind, imitated, type HostKind } from './hosts.ts';

/** A host the page reached that has no stand-in: listed in the report, never fetched. */
export interface OutsideHost {
  host: string;
  kind: HostKind;
  requests: number;
  /** A few of its URLs (origin and path only: query strings may carry identifiers). */
  examples: string[];
}

// A 1×1 transparent GIF: an image request gets an image.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** The neutral answer for each kind of request: something of the right type that does nothing. */
function neutral(request: Request): Parameters<Route['fulfill']>[0] {
  switch (request.resourceType()) {
    case 'script':
      return { status: 200, contentType: 'application/javascript', body: '' };
    case 'stylesheet':
      return { status: 200, contentType: 'text/css', body: '' };
    case 'image':
      return { status: 200, contentType: 'image/gif', body: PIXEL };
    case 'document':
      return { status: 200, contentType: 'text/html', body: '<!doctype html><title>Answered by the attribution gate</title>' };
    case 'font':
      return { status: 404, contentType: 'text/plain', body: '' };
    default:
      return { status: 204, body: '' };
  }
}

/**
 * The gate's edge, installed on a browser context before MSW: it receives every request no stand-in
 * and not the site answered. Third parties (analytics, fonts, embeds, maps, CDNs) get a neutral answer
 * locally and are listed by host; they have nothing to do with attribution. A host that poses as
 * Trackdesk, Tito or Stripe is blocked and named: in production the snippet would load nothing.
 * Nothing leaves the machine either way.
 */
export class GateNetwork {
  readonly #hosts = new Map<string, OutsideHost>();

  async install(context: BrowserContext): Promise<void> {
    await context.route('**/*', (route, request) => this.answer(route, request));
  }

  /** WebSockets bypass `context.route`; this closes every one no stand-in claimed, and lists its host. */
  async installWebSocketGuard(context: BrowserContext): Promise<void> {
    await context.routeWebSocket(/.*/, (socket) => this.closeSocket(socket));
  }

  /** A request no stand-in answered: a third party's answered locally, a posing host's blocked, the rest passed on. */
  answer(route: Route, request: Request): Promise<void> {
    // A URL Chromium sent but WHATWG's parser refuses (an invalid punycode host) reaches no one.
    if (!URL.canParse(request.url())) return route.abort('blockedbyclient');
    const url = new URL(request.url());
    const kind = url.protocol === 'data:' || url.protocol === 'blob:' ? null : hostKind(url.hostname);
    if (!kind) return route.fallback();
    this.#note(url, kind);
    if (kind === 'posing') return route.abort('blockedbyclient');
    // A library that decides what the visitor sees (htmx, Alpine.js, jQuery) runs, from this package's own copy.
    const copy = request.resourceType() === 'script' ? libraryCopy(url.href) : null;
    if (copy) return route.fulfill({ status: 200, contentType: 'application/javascript', body: copy.body });
    return route.fulfill(neutral(request));
  }

  closeSocket(socket: WebSocketRoute): void {
    if (URL.canParse(socket.url())) {
      const url = new URL(socket.url());
      this.#note(url, hostKind(url.hostname));
    }
    void socket.close({ code: 1008, reason: 'answered by the attribution gate: nothing leaves the machine' });
  }

  /** Every outside host, by kind; posing hosts first. */
  get hosts(): OutsideHost[] {
    return [...this.#hosts.values()].sort((a, b) => Number(b.kind === 'posing') - Number(a.kind === 'posing') || a.host.localeCompare(b.host));
  }

  /** Messages for the hosts that pose as Trackdesk, Tito or Stripe. */
  get posing(): { host: string; message: string }[] {
    return this.hosts
      .filter((h) => h.kind === 'posing')
      .map((h) => ({ host: h.host, message: `the page requested ${h.examples.join(', ')}: ${h.host} is not ${imitated(h.host)}, so in production this request reaches no one` }));
  }

  #note(url: URL, kind: HostKind): void {
    const entry = this.#hosts.get(url.host) ?? { host: url.host, kind, requests: 0, examples: [] };
    entry.requests += 1;
    const example = `${url.protocol}//${url.host}${url.pathname}`;
    if (entry.examples.length < 3 && !entry.examples.includes(example)) entry.examples.push(example);
    this.#hosts.set(url.host, entry);
  }
}
