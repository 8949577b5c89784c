import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/schemas/trial';
import { createApiKey } from '../../src/store/api-keys';
import { buildTestApp } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';
import {
  headerSafeString,
  hostileBody,
  hostileQuery,
  hostileString,
  hostileTextTrial,
} from './hostile-arbitraries';
import { rowCounts } from './support';

/**
 * Every documented operation gets generated requests, hostile ones included. Whatever arrives:
 * never a 5xx, every 4xx is problem+json, and a refused request leaves every table as it was.
 */
const NUM_RUNS = 120;

const t = await buildTestApp();
const admin = `Bearer ${createApiKey(t.db, 'property-admin', 'admin').secret}`;
const editor = `Bearer ${createApiKey(t.db, 'property-editor', 'editor').secret}`;
const existing: string[] = [];
for (const title of ['Alpha', 'Beta', 'Gamma', 'Delta']) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/trials',
    headers: { authorization: admin },
    payload: trialBody({ title }),
  });
  existing.push((res.json() as Trial).id);
}
const deleted = existing.pop() as string;
await t.app.inject({ method: 'DELETE', url: `/trials/${deleted}`, headers: { authorization: admin } });

afterAll(() => t.close());

interface Operation {
  method: string;
  path: string;
  query: string[];
  hasBody: boolean;
}

const document = t.app.swagger() as unknown as {
  paths: Record<
    string,
    Record<string, { parameters?: { in: string; name: string }[]; requestBody?: unknown }>
  >;
};
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    hasBody: op.requestBody !== undefined,
  })),
);

const pathSegment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...existing, deleted) },
  { weight: 3, arbitrary: hostileString.map((s) => encodeURIComponent(s.replace(/\p{Cs}/gu, '\ufffd'))) },
  { weight: 1, arbitrary: fc.constantFrom('..', '%2e%2e', '%00', '%', '%zz', 'a%2Fb', 'x'.repeat(300)) },
);

const requestFor = (op: Operation) =>
  fc.record({
    segments: fc.array(pathSegment, { minLength: 2, maxLength: 2 }),
    query: hostileQuery(op.query),
    body: op.hasBody ? fc.option(hostileBody, { nil: undefined, freq: 8 }) : fc.constant(undefined),
    authorization: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(admin, editor) },
      { weight: 1, arbitrary: fc.option(headerSafeString, { nil: undefined }) },
    ),
    ifMatch: fc.option(fc.oneof(fc.constantFrom('"v1"', '"v2"', '*'), headerSafeString), { nil: undefined }),
    accept: fc.option(
      fc.constantFrom('application/json', 'text/csv', '*/*', 'image/svg+xml', 'text/html', 'x/y'),
      {
        nil: undefined,
      },
    ),
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constant('application/json') },
      { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', 'text/csv') },
      { weight: 1, arbitrary: headerSafeString },
    ),
  });

describe('hostile requests to every route', () => {
  it('covers the routes the service documents', () => {
    const listed = operations.map((o) => `${o.method} ${o.path}`);
    expect(listed).toEqual(
      expect.arrayContaining(['GET /trials', 'POST /trials', 'PUT /trials/{id}', 'DELETE /trials/{id}']),
    );
  });

  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s: never a 5xx, problem+json on every 4xx, nothing written when refused',
    async (_name, op) => {
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (req) => {
          let i = 0;
          const url = op.path.replace(/\{[^}]+\}/g, () => req.segments[i++] ?? 'x') + req.query;
          const headers: Record<string, string> = {};
          if (req.authorization !== undefined) headers.authorization = req.authorization;
          if (req.ifMatch !== undefined) headers['if-match'] = req.ifMatch;
          if (req.accept !== undefined) headers.accept = req.accept;
          if (req.body !== undefined) headers['content-type'] = req.contentType;
          const before = rowCounts(t.db);
          const res = await t.app.inject({ method: op.method as 'GET', url, headers, payload: req.body });
          expect(res.statusCode, `${op.method} ${url.slice(0, 200)}\n${res.body.slice(0, 500)}`).toBeLessThan(
            500,
          );
          if (res.statusCode >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect((res.json() as { status: number }).status).toBe(res.statusCode);
            expect(rowCounts(t.db)).toEqual(before);
          }
        }),
        { numRuns: NUM_RUNS },
      );
    },
    120_000,
  );
});

describe('hostile free text in a valid record', () => {
  it('is stored exactly as sent (after trimming), read back, searched and revised without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostileTextTrial, async (body) => {
        const headers = { authorization: editor, 'content-type': 'application/json' };
        const created = await t.app.inject({ method: 'POST', url: '/trials', headers, payload: body });
        expect(created.statusCode, created.body.slice(0, 500)).toBeLessThan(500);
        if (created.statusCode !== 201) {
          expect(created.headers['content-type']).toMatch(/^application\/problem\+json/);
          return;
        }
        const sent = JSON.parse(body) as { title: string; sponsor: string; arms: { label: string }[] };
        const stored = created.json() as Trial;
        expect(stored.title).toBe(sent.title.trim());
        expect(stored.sponsor).toBe(sent.sponsor.trim());
        expect(stored.arms[0]?.label).toBe(sent.arms[0]?.label.trim());
        const read = await t.app.inject({ url: `/trials/${stored.id}` });
        expect(read.json()).toEqual(stored);
        const q = new URLSearchParams({ q: stored.title.slice(0, 200) });
        const search = await t.app.inject({ url: `/trials?${q}` });
        expect(search.statusCode).toBeLessThan(500);
        const replaced = await t.app.inject({
          method: 'PUT',
          url: `/trials/${stored.id}`,
          headers: { ...headers, 'if-match': created.headers.etag as string },
          payload: body,
        });
        expect(replaced.statusCode).toBe(200);
      }),
      { numRuns: NUM_RUNS },
    );
  }, 120_000);
});
