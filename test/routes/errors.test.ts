import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/** Every error answers RFC 9457 problem+json with the same members. */
function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({
    status,
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
  });
  expect(typeof body.detail).toBe('string');
  expect(typeof body.instance).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|node_modules/);
  return body as { errors?: { path: string; message: string }[] };
}

describe('400 for bad query parameters, listing what is allowed', () => {
  it('an unknown parameter names itself and the allowed ones', async () => {
    const body = expectProblem(await t.app.inject({ url: '/trials?colour=red' }), 400);
    expect(body.errors?.[0]?.path).toBe('/query/colour');
    expect(body.errors?.[0]?.message).toBe('unknown field');
    // The allowed parameters are stated once, beside the errors.
    expect((body as { allowedParameters?: string[] }).allowedParameters).toContain('cellSource');
  });

  it('an unknown enum value lists the vocabulary', async () => {
    const body = expectProblem(await t.app.inject({ url: '/trials?route=ORAL' }), 400);
    expect(body.errors?.[0]?.path).toBe('/query/route/0');
    expect(body.errors?.[0]?.message).toContain('INTRAVENOUS');
  });

  it.each([
    ['enrollmentMin=50&enrollmentMax=10', '/query/enrollmentMin'],
    ['startYearFrom=2020&startYearTo=2010', '/query/startYearFrom'],
    ['timepointMin=24&timepointMax=6', '/query/timepointMin'],
    ['limit=0', '/query/limit'],
    ['limit=501', '/query/limit'],
    ['limit=ten', '/query/limit'],
    ['sort=colour', '/query/sort'],
    ['hasBmdResults=maybe', '/query/hasBmdResults'],
    ['updatedSince=yesterday', '/query/updatedSince'],
    ['phase=', '/query/phase/0'],
    ['q=', '/query/q'],
    ['country=XX', '/query/country/0'],
    ['registryId=NCT123', '/query/registryId/0'],
    ['bmdChangeMin=1', '/query/metric'],
    ['bmdChangeMin=1&metric=PERCENT_CHANGE,ABSOLUTE_CHANGE', '/query/metric'],
    ['bmdChangeMin=1&metric=FINAL_VALUE', '/query/metric'],
  ])('%s', async (query, path) => {
    const body = expectProblem(await t.app.inject({ url: `/trials?${query}` }), 400);
    expect(body.errors?.map((e) => e.path)).toContain(path);
  });

  it('full-text search syntax is taken literally, never a 500', async () => {
    for (const q of [
      '"',
      'NEAR(a b)',
      'a AND OR NOT',
      '*',
      'title:x',
      "'; DROP TABLE trials; --",
      '\u00000',
      'a\u0007b\u001fc',
      '(((',
      '^x',
    ]) {
      const res = await t.app.inject({ url: `/trials?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, q).toBe(200);
    }
  });
});

describe('404 and routing errors', () => {
  it('an unknown route is problem+json', async () => {
    expectProblem(await t.app.inject({ url: '/nowhere' }), 404);
  });

  it('a method the route does not have is problem+json', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/vocabularies' });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
