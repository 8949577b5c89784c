import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/imports/sync/pacer';
import { readStudiesPage } from '../../src/imports/sync/registry-client';
import { incrementalSince, studiesUrl } from '../../src/imports/sync/registry-query';
import { MAX_WAIT_MS, retryAfterMs, waitBeforeRetry } from '../../src/imports/sync/retry-policy';
import { fakeClock } from './support';

describe('Retry-After and backoff', () => {
  const now = Date.parse('2025-03-10T12:00:00Z');

  it('reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 10 Mar 2025 12:01:30 GMT', now)).toBe(90_000);
    expect(retryAfterMs('Mon, 10 Mar 2025 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });

  it('doubles the backoff per attempt, jitters half of it, and caps every wait', () => {
    // With no jitter drawn a wait is half the backoff (2 s, 4 s, 8 s …); with the most, all of it.
    expect([1, 2, 3].map((a) => waitBeforeRetry(a, null, () => 0))).toEqual([1_000, 2_000, 4_000]);
    expect([1, 2, 3].map((a) => waitBeforeRetry(a, null, () => 1))).toEqual([2_000, 4_000, 8_000]);
    expect(waitBeforeRetry(1, 30_000, () => 0)).toBe(30_000);
    expect(waitBeforeRetry(20, null, () => 1)).toBe(MAX_WAIT_MS);
    expect(waitBeforeRetry(1, 3_600_000, () => 0)).toBe(MAX_WAIT_MS);
  });
});

describe('pacing', () => {
  it('spaces requests 60 000 / perMinute ms apart and does not wait when they are already that far apart', async () => {
    const clock = fakeClock('2025-03-10T12:00:00Z');
    const pacer = new Pacer(30, clock);
    await pacer.next();
    await pacer.next();
    await pacer.next();
    expect(clock.sleeps).toEqual([2_000, 2_000]);
    await clock.sleep(5_000);
    await pacer.next();
    expect(clock.sleeps).toEqual([2_000, 2_000, 5_000]);
  });
});

describe('the /studies request and page', () => {
  it('asks for JSON, the query as query.term, the since date as a LastUpdatePostDate range', () => {
    const first = studiesUrl('https://registry.example/api/v2/', {
      query: 'osteoporosis',
      since: '2025-01-31',
      pageToken: null,
      pageSize: 100,
    });
    expect(first.origin + first.pathname).toBe('https://registry.example/api/v2/studies');
    expect(Object.fromEntries(first.searchParams)).toEqual({
      format: 'json',
      'query.term': 'osteoporosis',
      'filter.advanced': 'AREA[LastUpdatePostDate]RANGE[2025-01-31,MAX]',
      pageSize: '100',
      countTotal: 'true',
    });
    const next = studiesUrl('https://registry.example/api/v2', {
      query: 'x',
      since: null,
      pageToken: 'abc',
      pageSize: 5,
    });
    expect(next.searchParams.get('pageToken')).toBe('abc');
    expect(next.searchParams.has('countTotal')).toBe(false);
    expect(next.searchParams.has('filter.advanced')).toBe(false);
  });

  it('starts an incremental sync the day before the last completed one', () => {
    expect(incrementalSince('2025-03-01T00:30:00.000Z')).toBe('2025-02-28');
    expect(incrementalSince(null)).toBeNull();
  });

  it('tells a v2 page from a malformed one, keeping a next page token it can still read', () => {
    expect(readStudiesPage('{"totalCount":2,"studies":[{},{}],"nextPageToken":"t2"}')).toEqual({
      kind: 'page',
      studies: [{}, {}],
      nextPageToken: 't2',
      totalCount: 2,
    });
    expect(readStudiesPage('{"studies":[]}')).toMatchObject({
      kind: 'page',
      nextPageToken: null,
      totalCount: null,
    });
    expect(readStudiesPage('<html>')).toEqual({
      kind: 'malformed',
      message: 'the answer is not JSON',
      nextPageToken: null,
    });
    expect(readStudiesPage('{"studies":{},"nextPageToken":"t3"}')).toMatchObject({
      kind: 'malformed',
      nextPageToken: 't3',
    });
    expect(readStudiesPage('{"studies":[],"nextPageToken":7}')).toMatchObject({
      kind: 'malformed',
      nextPageToken: null,
    });
    expect(readStudiesPage('[]')).toMatchObject({ kind: 'malformed' });
  });
});
