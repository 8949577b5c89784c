/** How many times one page is asked for before the registry counts as unavailable. */
export const MAX_ATTEMPTS = 5;
/** The first backoff; each later one doubles. */
export const BASE_BACKOFF_MS = 2_000;
/** No single wait between attempts is longer than this; a longer `Retry-After` ends the run instead. */
export const MAX_WAIT_MS = 120_000;

/** 429 (too many requests) and any 5xx are worth asking again; other answers are final. */
export const isRetriableStatus = (status: number): boolean => status === 429 || status >= 500;

/**
 * A `Retry-After` header in milliseconds from `now`: delay-seconds or an HTTP date; null when
 * absent or unreadable (the backoff alone then decides).
 */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): exponential backoff with equal
 * jitter (half fixed, half random, so clients that failed together do not retry together), never
 * shorter than the registry's `Retry-After`, never longer than MAX_WAIT_MS.
 */
export function waitBeforeRetry(attempt: number, retryAfter: number | null, random: () => number): number {
  const backoff = Math.min(MAX_WAIT_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
  const jittered = backoff / 2 + (backoff / 2) * random();
  return Math.min(MAX_WAIT_MS, Math.max(jittered, retryAfter ?? 0));
}
