import type { Clock } from './clock';
import { Pacer } from './pacer';
import { type StudiesRequest, studiesUrl } from './registry-query';
import { isRetriableStatus, MAX_ATTEMPTS, MAX_WAIT_MS, retryAfterMs, waitBeforeRetry } from './retry-policy';

export interface RegistryClientOptions {
  apiUrl: string;
  maxRequestsPerMinute: number;
  timeoutMs: number;
  clock: Clock;
  /** Jitter source, in [0, 1). */
  random?: () => number;
}

/** One `/studies` page in API v2's shape. */
export interface StudiesPage {
  kind: 'page';
  studies: unknown[];
  nextPageToken: string | null;
  /** Sent on the first page only (`countTotal=true`). */
  totalCount: number | null;
}

/** An answer that is not a v2 page; its next page token, when one could still be read from it. */
export interface MalformedPage {
  kind: 'malformed';
  message: string;
  nextPageToken: string | null;
}

/** The registry could not be read: no answer, or only failures, after every attempt. */
export interface RegistryUnavailable {
  kind: 'unavailable';
  message: string;
}

export type PageAnswer = StudiesPage | MalformedPage | RegistryUnavailable;

type Attempt =
  | { retry: false; answer: PageAnswer }
  | { retry: true; reason: string; retryAfter: number | null };

const describeError = (error: unknown, timeoutMs: number): string => {
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
};

/** Reads a body as a v2 `/studies` page, or says what is wrong with it. */
export function readStudiesPage(text: string): StudiesPage | MalformedPage {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'malformed', message: 'the answer is not JSON', nextPageToken: null };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { kind: 'malformed', message: 'the answer is not a /studies page object', nextPageToken: null };
  const { studies, nextPageToken, totalCount } = body as Record<string, unknown>;
  const token = typeof nextPageToken === 'string' && nextPageToken !== '' ? nextPageToken : null;
  if (nextPageToken !== undefined && token === null)
    return { kind: 'malformed', message: 'nextPageToken is not a string', nextPageToken: null };
  if (!Array.isArray(studies))
    return { kind: 'malformed', message: 'the page has no "studies" list', nextPageToken: token };
  return {
    kind: 'page',
    studies,
    nextPageToken: token,
    totalCount: typeof totalCount === 'number' && Number.isInteger(totalCount) ? totalCount : null,
  };
}

/**
 * Asks ClinicalTrials.gov API v2 for `/studies` pages, politely: every request (retries too) is
 * paced to the per-minute limit, times out after `timeoutMs`, and a 429, a 5xx, a timeout or a
 * lost connection is asked again after a backoff that honours `Retry-After`, at most MAX_ATTEMPTS
 * times in all.
 */
export class RegistryClient {
  private readonly pacer: Pacer;
  private readonly random: () => number;
  /** Every request sent, retries included. */
  requests = 0;

  constructor(private readonly options: RegistryClientOptions) {
    this.pacer = new Pacer(options.maxRequestsPerMinute, options.clock);
    this.random = options.random ?? Math.random;
  }

  async page(request: StudiesRequest): Promise<PageAnswer> {
    const url = studiesUrl(this.options.apiUrl, request);
    let last = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const result = await this.attempt(url);
      if (!result.retry) return result.answer;
      last = result.reason;
      // Asked to wait longer than any retry here waits: stop now rather than ask again too early.
      if (result.retryAfter !== null && result.retryAfter > MAX_WAIT_MS)
        return {
          kind: 'unavailable',
          message: `${last}; the registry asks to wait ${Math.ceil(result.retryAfter / 1000)} s (Retry-After), longer than ${MAX_WAIT_MS / 1000} s: run the sync again later`,
        };
      if (attempt < MAX_ATTEMPTS)
        await this.options.clock.sleep(waitBeforeRetry(attempt, result.retryAfter, this.random));
    }
    return { kind: 'unavailable', message: `${last} (after ${MAX_ATTEMPTS} attempts)` };
  }

  private async attempt(url: URL): Promise<Attempt> {
    await this.pacer.next();
    this.requests += 1;
    const { timeoutMs, clock } = this.options;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (response.ok) return { retry: false, answer: readStudiesPage(text) };
      const reason = `the registry answered ${response.status}`;
      if (isRetriableStatus(response.status))
        return {
          retry: true,
          reason,
          retryAfter: retryAfterMs(response.headers.get('retry-after'), clock.now()),
        };
      return { retry: false, answer: { kind: 'unavailable', message: `${reason}: ${text.slice(0, 300)}` } };
    } catch (error) {
      return {
        retry: true,
        reason: `the registry did not answer: ${describeError(error, timeoutMs)}`,
        retryAfter: null,
      };
    }
  }
}
