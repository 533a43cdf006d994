/** The catalogue's correct variants (mistakes.ts has the mistakes): right, though they look different from the guide. */
import { TITO_V2_URL } from '../mocks/tito/protocol.ts';
import { TRACKING_SCRIPT_URL } from '../mocks/trackdesk/protocol.ts';
import { clickTracker, conversionTracker, everyPage, onPage, TITO_STUB, TRACKING_SCRIPT_TAG, type CatalogueEntry } from './mistakes.ts';

/** Right, though it looks different from the guide: the gate must pass it (warnings allowed, listed). */
export const VARIANTS: CatalogueEntry[] = [
  {
    name: 'minified snippets (renamed handler parameter)',
    apply: (p, a) =>
      everyPage(p, (h) =>
        h
          .replace(clickTracker(a), `${TRACKING_SCRIPT_TAG}<script>(function(t,d,k){(t[k]=t[k]||[]).push(d);t[d]=t[d]||t[k].f||function(){(t[d].q=t[d].q||[]).push(arguments)}})(window,"trackdesk","TrackdeskObject");trackdesk("${a.tenantId}","click")</script>`)
          .replace(
            conversionTracker(a),
            `${TRACKING_SCRIPT_TAG}<script>(function(t,d,k){(t[k]=t[k]||[]).push(d);t[d]=t[d]||t[k].f||function(){(t[d].q=t[d].q||[]).push(arguments)}})(window,"trackdesk","TrackdeskObject");window.tito=window.tito||function(){(tito.q=tito.q||[]).push(arguments)};tito("on:registration:finished",function(e){trackdesk("${a.tenantId}","externalCid",{externalCid:e.email,revenueOriginId:"${a.revenueOriginId}"})})</script>`,
          ),
      ),
    audit: [],
    browser: [],
  },
  { name: 'the other quote style', apply: (p) => everyPage(p, (h) => h.replace(/<script>[\s\S]*?<\/script>/g, (s) => s.replace(/['"]/g, (q) => (q === '"' ? "'" : '"')))), audit: [], browser: [] },
  {
    name: 'reordered attributes and an explicit script type',
    apply: (p) => everyPage(p, (h) => h.replaceAll(TRACKING_SCRIPT_TAG, `<script src="https:${TRACKING_SCRIPT_URL}" type="text/javascript" async></script>`)),
    audit: [],
    browser: [],
  },
  {
    // WordPress's wp_enqueue_script adds ?ver=…; a CDN serves the same file whatever the query.
    name: 'tracking.js with a version query',
    apply: (p) => everyPage(p, (h) => h.replaceAll(TRACKING_SCRIPT_TAG, `<script async src="${TRACKING_SCRIPT_URL}?ver=6.4.2"></script>`)),
    audit: [],
    browser: [],
  },
  {
    // One build deployed to preview hosts too, with a staging tenant of its own there: behaviour decides which branch runs.
    name: "a staging tenant for preview hosts, in an if",
    apply: (p, a) => everyPage(p, (h) => h.replace(`trackdesk('${a.tenantId}', 'click');`, `if (location.hostname.endsWith('.pages.dev')) { trackdesk('${a.tenantId}-staging', 'click'); } else { trackdesk('${a.tenantId}', 'click'); }`)),
    audit: ['VALUE_UNRESOLVED /', 'VALUE_UNRESOLVED /tickets'],
    browser: [],
  },
  {
    name: 'injected by a framework layout',
    apply: (p) =>
      everyPage(p, (h) =>
        h
          .replace('<head>', '<head><meta name="viewport" content="width=device-width">')
          .replace(/<script>/g, '<script data-layout="root" nonce="abc123">')
          .replace('<body>', '<body><div id="__app"><div data-reactroot="">')
          .replace('</body>', '</div></div></body>'),
      ),
    audit: [],
    browser: [],
  },
  { name: 'the queue stubs defined twice', apply: (p) => onPage(p, '/tickets', (h) => h.replace('<main>', `<main><script>${TITO_STUB}</script>`)), audit: [], browser: [] },
  {
    name: 'an arrow-function handler',
    apply: (p) => onPage(p, '/tickets', (h) => h.replace("tito('on:registration:finished', function(data){", "tito('on:registration:finished', (data) => {")),
    audit: [],
    browser: [],
  },
  {
    name: 'a handler passed by name, values from a settings object',
    apply: (p, a) =>
      onPage(p, '/tickets', (h) =>
        h
          .replace('<head>', `<head><script>window.SITE = { trackdesk: { tenant: "${a.tenantId}", revenueOrigin: "${a.revenueOriginId}" } };</script>`)
          .replace(/tito\('on:registration:finished', function\(data\)\{\s*trackdesk\("[^"]+", "externalCid", \{\s*externalCid: data\.email,\s*revenueOriginId: "[^"]+",\s*\}\);\s*\}\)/, 'function onRegistered(data) { trackdesk(SITE.trackdesk.tenant, "externalCid", { externalCid: data.email, revenueOriginId: SITE.trackdesk.revenueOrigin }); }\ntito(\'on:registration:finished\', onRegistered)'),
      ),
    audit: [],
    browser: [],
  },
  {
    name: 'the click tracker at the end of <body>',
    apply: (p, a) => onPage(p, '/', (h) => h.replace(clickTracker(a), '').replace('</main>', `</main>${clickTracker(a)}`)),
    audit: ['CLICK_SNIPPET_NOT_IN_HEAD /'],
    browser: [],
  },
  {
    name: 'a second event of the same Tito account',
    apply: (p) => onPage(p, '/tickets', (h) => h.replace('</main>', '<tito-button event="acme-events/workshop-day">Workshop</tito-button></main>')),
    audit: ['TITO_EVENT_NOT_LISTED /tickets'],
    browser: [],
  },
  {
    name: 'TITO_EVENT names two events, and the site sells one of them',
    apply: (p) => p,
    env: { TITO_EVENT: 'acme-events/summit-2026,acme-events/summit-2027' },
    audit: [],
    browser: [],
  },
  { name: 'TITO_EVENT names the whole Tito account', apply: (p) => p, env: { TITO_EVENT: 'acme-events/*' }, audit: [], browser: [] },
  {
    name: "a link to Tito's hosted checkout beside the embedded storefront",
    apply: (p) => onPage(p, '/', (h) => h.replace('<a href="/tickets">Get tickets</a>', '<a href="/tickets">Get tickets</a> or <a href="https://ti.to/acme-events/summit-2026">register on ti.to</a>')),
    audit: [],
    browser: [],
    site: ['OFF_SITE_CHECKOUT_LINK /'],
  },
  {
    name: "Tito's script with a plugin list",
    apply: (p) => onPage(p, '/tickets', (h) => h.replace(TITO_V2_URL, `${TITO_V2_URL}/with/inline,ga4`)),
    audit: [],
    browser: [],
  },
];
