import { expect, test } from '@playwright/test';

// (b) The bare browser work the scenario does: the same two pages as static HTML, the same form,
// no stand-ins, no stripe-mock, no assertions beyond the page text.
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

const copies = Number(process.env.BENCH_SCENARIOS ?? 1);

for (let copy = 1; copy <= copies; copy++) test(`bare Playwright: the same pages and form as static HTML #${copy}`, async ({ page }) => {
  await page.route('https://fixture-event.test/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: new URL(route.request().url()).pathname === '/tickets' ? TICKETS : LANDING }),
  );
  await page.goto('https://fixture-event.test/?linkId=lp_144414&sourceId=jane-doe&tenantId=acme-events');
  await page.getByRole('link', { name: 'Get tickets' }).click();
  await page.waitForURL('**/tickets');
  await page.getByLabel('Quantity of General Admission').fill('1');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByRole('button', { name: 'Complete registration' }).click();
  await expect(page.getByRole('status')).toHaveText('Thanks, Ada Lovelace!');
});
