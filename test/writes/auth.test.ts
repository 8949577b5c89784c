import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../src/store/api-keys';
import { trialBody } from '../helpers/trial-fixtures';
import {
  allStoredText,
  bearer,
  buildLoggedApp,
  expectProblem,
  rowCounts,
  type WriteTestApp,
} from './support';

let t: WriteTestApp;
afterEach(() => t?.close());

const WRITES = [
  { method: 'POST', url: '/trials', role: 'editor' },
  { method: 'PUT', url: '/trials/tr_someone', role: 'editor' },
  { method: 'DELETE', url: '/trials/tr_someone', role: 'admin' },
] as const;

describe('authentication on writes', () => {
  it.each(WRITES)('$method $url without a key is a 401 with WWW-Authenticate: Bearer', async (w) => {
    t = await buildLoggedApp();
    const res = await t.app.inject({ method: w.method, url: w.url, payload: trialBody() });
    const body = expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    expect(body.detail).toContain('Authorization: Bearer');
  });

  it.each([
    ['an unknown key', `sck_${'A'.repeat(43)}`],
    ['a malformed key', 'not-a-key'],
    ['a very long key', `sck_${'x'.repeat(5000)}`],
  ])('refuses %s with 401 and error="invalid_token"', async (_label, token) => {
    t = await buildLoggedApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: bearer(token),
      payload: trialBody(),
    });
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it.each([
    ['another scheme', (s: string) => `Basic ${s}`],
    ['no credential', () => 'Bearer'],
    ['two credentials', (s: string) => `Bearer ${s} ${s}`],
  ])('refuses an Authorization header with %s', async (_label, header) => {
    t = await buildLoggedApp();
    const { secret } = createApiKey(t.db, 'ed', 'editor');
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: { authorization: header(secret) },
      payload: trialBody(),
    });
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });

  it('refuses a revoked key with 401, and writes nothing', async () => {
    t = await buildLoggedApp();
    const { secret } = createApiKey(t.db, 'ed', 'editor');
    revokeApiKey(t.db, 'ed');
    const before = rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: bearer(secret),
      payload: trialBody(),
    });
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('checks the key before the body: an unauthenticated bad body is a 401, not a 400 or 415', async () => {
    t = await buildLoggedApp();
    const invalid = await t.app.inject({ method: 'POST', url: '/trials', payload: { nonsense: true } });
    expectProblem(invalid, 401);
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expectProblem(wrongType, 401);
  });

  it('lets an editor create and replace but not delete (403); an admin may do all', async () => {
    t = await buildLoggedApp();
    const editor = bearer(createApiKey(t.db, 'ed', 'editor').secret);
    const admin = bearer(createApiKey(t.db, 'ad', 'admin').secret);
    const created = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: editor,
      payload: trialBody(),
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: string };
    const denied = await t.app.inject({ method: 'DELETE', url: `/trials/${id}`, headers: editor });
    const body = expectProblem(denied, 403);
    expect(body.detail).toContain('admin');
    const byAdmin = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: admin,
      payload: trialBody(),
    });
    expect(byAdmin.statusCode).toBe(201);
    const deleted = await t.app.inject({ method: 'DELETE', url: `/trials/${id}`, headers: admin });
    expect(deleted.statusCode).toBe(204);
  });

  it('keeps reads public: no key needed, and a bad key on a read is ignored', async () => {
    t = await buildLoggedApp();
    for (const url of ['/trials', '/vocabularies', '/health', '/openapi.json']) {
      expect((await t.app.inject({ url })).statusCode).toBe(200);
      expect((await t.app.inject({ url, headers: bearer('junk') })).statusCode).toBe(200);
    }
  });
});

describe('a key’s secret', () => {
  it('never appears in logs, responses or the database', async () => {
    t = await buildLoggedApp();
    const { secret } = createApiKey(t.db, 'curator', 'admin');
    const responses: string[] = [];
    const send = async (opts: InjectOptions) => {
      const res = await t.app.inject(opts);
      responses.push(JSON.stringify(res.headers), res.body);
      return res;
    };
    const created = await send({
      method: 'POST',
      url: '/trials',
      headers: bearer(secret),
      payload: trialBody(),
    });
    const { id } = created.json() as { id: string };
    await send({
      method: 'PUT',
      url: `/trials/${id}`,
      headers: { ...bearer(secret), 'if-match': '"v1"' },
      payload: trialBody({ title: 'Renamed' }),
    });
    await send({ method: 'PUT', url: `/trials/${id}`, headers: bearer(secret), payload: trialBody() });
    await send({ method: 'POST', url: '/trials', headers: bearer(secret), payload: { bad: secret } });
    await send({ method: 'GET', url: `/trials/${id}/revisions`, headers: bearer(secret) });
    await send({ method: 'DELETE', url: `/trials/${id}`, headers: bearer(secret) });
    await send({ method: 'GET', url: `/trials?q=${encodeURIComponent('x')}`, headers: bearer(secret) });
    revokeApiKey(t.db, 'curator');
    await send({ method: 'POST', url: '/trials', headers: bearer(secret), payload: trialBody() });

    expect(t.logs().length).toBeGreaterThan(0);
    expect(t.logs()).toContain('"statusCode":401');
    for (const haystack of [t.logs(), responses.join('\n'), allStoredText(t.db)]) {
      expect(haystack).not.toContain(secret);
      expect(haystack).not.toContain(secret.slice(4));
    }
  });
});
