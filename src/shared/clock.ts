/** Source of time for everything with a deadline: polls, token refreshes, retries, On Hold windows. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * Time-skipping clock for tests: `sleep` advances the time at once instead of waiting, so code
 * that backs off for minutes runs in microseconds and still reads the right time.
 */
export class FakeClock implements Clock {
  #nowMs: number;

  constructor(startMs = Date.UTC(2026, 0, 15, 12, 0, 0)) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  async sleep(ms: number): Promise<void> {
    this.#nowMs += Math.max(0, ms);
  }

  advance(ms: number): void {
    this.#nowMs += ms;
  }

  set(ms: number): void {
    this.#nowMs = ms;
  }
}

export const toUnixSeconds = (ms: number): number => Math.floor(ms / 1000);
export const fromUnixSeconds = (seconds: number): number => seconds * 1000;
