/**
 * Polls `condition` until it holds or `timeoutMs` pass; resolves whether it held. For state that no
 * event announces (a record in the mocked Trackdesk, a cookie): the wait ends the moment it holds. A
 * condition read in this process (a record, the page's URL) is polled every 10 ms; one that asks the
 * browser, every 50 ms. Once `stop` is aborted (the wait lost a race that decided without it) it polls
 * no more and resolves false.
 */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50, stop?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (stop?.aborted) return false;
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
