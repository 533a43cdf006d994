/** The clock the mocked Trackdesk and its Stripe app live by. */
export interface Clock {
  now(): Date;
}

/**
 * A clock that only moves when a test moves it, so "wait 15 minutes for the sync" and "a repeat click
 * within the hour" take no real time. Jobs scheduled with {@link every} run, in time order, as
 * {@link advance} passes their due times.
 */
export class VirtualClock implements Clock {
  #now: number;
  readonly #jobs: { every: number; due: number; run: () => Promise<unknown> }[] = [];

  constructor(start: Date = new Date()) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  every(ms: number, run: () => Promise<unknown>): void {
    this.#jobs.push({ every: ms, due: this.#now + ms, run });
  }

  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#jobs.filter((j) => j.due <= target).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.#now = next.due;
      next.due += next.every;
      await next.run();
    }
    this.#now = target;
  }
}
