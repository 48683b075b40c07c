/** Source of time, injected so that tests can skip time instead of waiting. */
export interface Clock {
  /** Current time in Unix milliseconds. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The subset of a pino logger that the client uses; a pino instance satisfies it. */
export interface TikTokLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The `fetch` signature the client calls; defaults to the global fetch. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** HTTP methods used by the TikTok Shop Open API. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The system clock: `Date.now()` and a `setTimeout` sleep. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A logger that discards everything, used when the caller passes none. */
export const SILENT_LOGGER: TikTokLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/**
 * Supplies the access token of one authorization for shop calls.
 *
 * The client calls `refreshAccessToken` once when TikTok reports the token as expired (105002),
 * then retries the call once. Coalescing concurrent refreshes and persisting the new tokens are
 * the provider's job.
 */
export interface TokenProvider {
  getAccessToken(): Promise<string>;
  /** Returns a fresh access token; `expiredToken` lets the provider skip a refresh already done. */
  refreshAccessToken(expiredToken: string): Promise<string>;
}
