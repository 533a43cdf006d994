/**
 * The gate could not check the site: a site that does not answer, a Chromium or stripe-mock that cannot
 * start. Its message says what to do; it is never a verdict on the site (exit code 2).
 */
export class GateCannotRun extends Error {
  override name = 'GateCannotRun';
}
