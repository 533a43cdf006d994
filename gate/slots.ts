/**
 * At most `size` pieces of work at once, as browser contexts are the gate's scarce resource: the next
 * to start is the waiting one of highest priority (first come first among equals).
 */
export class Slots {
  readonly #waiting: { priority: number; start: () => void }[] = [];
  #running = 0;

  constructor(readonly size: number) {}

  async run<T>(work: () => Promise<T>, priority = 0): Promise<T> {
    if (this.#running >= this.size) {
      await new Promise<void>((start) => {
        const at = this.#waiting.findIndex((w) => w.priority < priority);
        this.#waiting.splice(at < 0 ? this.#waiting.length : at, 0, { priority, start });
      });
    } else {
      this.#running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next.start();
      else this.#running -= 1;
    }
  }
}
