import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/store/api-keys';
import { type LoggedTestApp, openTestApp } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// At info, the service's default LOG_LEVEL, so the lines counted are the ones an operator sees.
let t: LoggedTestApp;
beforeEach(async () => {
  t = await openTestApp({ captureLogs: { level: 'info' } });
});
afterEach(() => t.close());

const lines = () => t.logs().split('\n').filter(Boolean);
type LogLine = Record<string, unknown> & { reqId?: string };
const parsed = (): LogLine[] => lines().map((l) => JSON.parse(l) as LogLine);
const linesOf = (reqId: string) => parsed().filter((l) => l.reqId === reqId);

describe('request logs', () => {
  it('write one JSON line per request with its id, route, status and duration, never the key or body', async () => {
    const secret = createApiKey(t.db, 'log-editor', 'editor').secret;
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: { authorization: `Bearer ${secret}`, 'x-request-id': 'client-trace-42' },
      payload: trialBody({ title: 'Body marker 7f3a9c', sponsor: 'Sponsor marker 7f3a9c' }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe('client-trace-42');

    const mine = linesOf('client-trace-42');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      method: 'POST',
      url: '/trials',
      route: '/trials',
      statusCode: 201,
      durationMs: expect.any(Number),
    });
    const all = lines().join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toMatch(/authorization/i);
    expect(all).not.toContain('7f3a9c');
  });

  it('log and echo an id on errors too, and one line for a request that matched no route', async () => {
    const res = await t.app.inject({ url: '/no-such-thing', headers: { 'x-request-id': 'lost-1' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('lost-1');
    expect(linesOf('lost-1')).toEqual([expect.objectContaining({ statusCode: 404, route: null })]);

    const refused = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: { 'x-request-id': 'no-key-1' },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['x-request-id']).toBe('no-key-1');
    expect(linesOf('no-key-1')).toHaveLength(1);
  });

  it('make a fresh UUID when none is sent, or when the one sent is not a plain token', async () => {
    const a = await t.app.inject({ url: '/health' });
    const b = await t.app.inject({ url: '/health' });
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);

    for (const forged of ['two words', 'x'.repeat(129), '{"level":60}', 'a\tb']) {
      const res = await t.app.inject({ url: '/health', headers: { 'x-request-id': forged } });
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
    expect(lines().join('\n')).not.toContain('"level":60');
  });
});
