// Stripe's zero-decimal currencies: amounts are whole units, not cents.
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

/** "49.00" GBP → 4900, as Stripe counts amounts. */
export function toMinorUnits(value: string, currency: string): number {
  const digits = ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
  return Math.round(Number(value) * 10 ** digits);
}

/** 4900 GBP → "49.00", as Tito and Trackdesk write amounts. */
export function toMajorUnits(amount: number, currency: string): string {
  const digits = ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
  return (amount / 10 ** digits).toFixed(digits);
}
