import { http, HttpResponse, type HttpHandler } from 'msw';
import type { TrackdeskCollector } from './collector.ts';
import { TRACKDESK_DOMAIN } from './protocol.ts';
import type { StripeAppSettings, TrackdeskStripeApp } from './stripe-app.ts';

/** Where the Trackdesk app's settings show inside the Stripe dashboard, and Trackdesk's report page. */
const STRIPE_APP_URL = 'https://dashboard.stripe.com/apps/trackdesk';
export const STRIPE_APP_SETTINGS_URL = `${STRIPE_APP_URL}/settings`;
export const TRACKDESK_REPORT_URL = `https://app.${TRACKDESK_DOMAIN}/reports`;

const page = (title: string, body: string) =>
  new HttpResponse(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:14px system-ui;margin:2rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style>
</head><body>${body}</body></html>`,
    { headers: { 'content-type': 'text/html; charset=utf-8' } },
  );

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const SETTINGS_SCRIPT = `<script>
const status = document.getElementById('status');
const post = (path, body) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
  .then((r) => r.json().then((json) => { status.textContent = json.message; status.dataset.ok = String(r.ok); }));
document.getElementById('settings').addEventListener('submit', (e) => {
  e.preventDefault();
  post('/apps/trackdesk/settings', { tenantId: e.target.tenantId.value, personalToken: e.target.personalToken.value });
  e.target.personalToken.value = ''; // a saved token is never shown again
});
document.getElementById('check-now').addEventListener('click', () => post('/apps/trackdesk/check-now'));
</script>`;

/**
 * The pages a person uses in the guide: the Trackdesk app's settings in the Stripe dashboard (Tenant
 * ID, Personal Token, Save changes, Check Now), and a Trackdesk report listing clicks and conversions.
 */
export function dashboardHandlers(trackdesk: TrackdeskCollector, stripeApp: TrackdeskStripeApp): HttpHandler[] {
  return [
    http.get(STRIPE_APP_SETTINGS_URL, () =>
      page(
        'Trackdesk · Stripe apps',
        `<h1>Trackdesk</h1>
<form id="settings" aria-label="Trackdesk settings">
  <label>Tenant ID <input name="tenantId" value="${escape(stripeApp.connectedTenant ?? '')}"></label>
  <label>Personal Token <input name="personalToken" type="password" autocomplete="off"></label>
  <button type="submit">Save changes</button>
</form>
<button id="check-now" type="button">Check Now</button>
<p id="status" role="status">${stripeApp.connectedTenant ? `Connected to ${escape(stripeApp.connectedTenant)}` : 'Not connected'}</p>
${SETTINGS_SCRIPT}`,
      ),
    ),
    http.post(STRIPE_APP_SETTINGS_URL, async ({ request }) => {
      const result = stripeApp.saveSettings((await request.json()) as StripeAppSettings);
      return result.saved
        ? HttpResponse.json({ message: `Connected to ${stripeApp.connectedTenant}` })
        : HttpResponse.json({ message: `Not saved: ${result.error}` }, { status: 400 });
    }),
    http.post(`${STRIPE_APP_URL}/check-now`, async () => {
      try {
        const report = await stripeApp.checkNow();
        return HttpResponse.json({
          message: `Synced: ${report.conversions.length} new conversion(s), ${report.refunded.length} refunded, ${report.unattributed.length} payment(s) not attributed`,
        });
      } catch (error) {
        return HttpResponse.json({ message: (error as Error).message }, { status: 400 });
      }
    }),
    http.get(TRACKDESK_REPORT_URL, () =>
      page(
        `Trackdesk · ${trackdesk.account.tenantId} · Reports`,
        `<h1>Reports · ${escape(trackdesk.account.tenantId)}</h1>
<table aria-label="Clicks"><caption>Clicks</caption><thead><tr><th>Affiliate</th><th>Link</th><th>CID</th><th>Time</th></tr></thead><tbody>
${trackdesk.clicks.map((c) => `<tr><td>${escape(c.affiliate)}</td><td>${escape(c.linkId)}</td><td>${c.cid}</td><td>${c.at.toISOString()}</td></tr>`).join('\n')}
</tbody></table>
<table aria-label="Conversions"><caption>Conversions</caption><thead><tr><th>Type</th><th>Affiliate</th><th>Customer</th><th>Amount</th><th>Status</th><th>External ID</th></tr></thead><tbody>
${trackdesk.conversions
  .map(
    (c) =>
      `<tr><td>${escape(c.conversionType)}</td><td>${escape(c.affiliate)}</td><td>${escape(c.email)}</td><td>${c.amount} ${c.currency}</td><td>${c.status.replace('CONVERSION_STATUS_', '')}</td><td>${escape(c.externalId)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`,
      ),
    ),
  ];
}
