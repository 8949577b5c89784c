import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HELMET_OPTIONS } from '../../src/plugins/security';
import { openTestApp, type TestApp } from '../helpers/build-test-app';

/** Node has it since 15.13; the installed typings do not declare it. */
const rawNames = (response: ServerResponse): string[] =>
  (response as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames();

/** The headers helmet itself sets on a real response, names as sent. */
function helmetHeaders(): [string, string][] {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  helmet(HELMET_OPTIONS)(request, response, (error?: unknown) => {
    if (error) throw error;
  });
  return rawNames(response).map((name) => [name, String(response.getHeader(name))]);
}

let t: TestApp;
beforeEach(async () => {
  t = await openTestApp();
});
afterEach(() => t.close());

describe('security headers', () => {
  it('are every header helmet sets, with its value, on answers and on errors alike', async () => {
    const expected = helmetHeaders();
    expect(expected.map(([name]) => name)).toContain('Content-Security-Policy');
    for (const url of ['/health', '/trials/tr_none', '/no-such-route']) {
      const res = await t.app.inject({ url });
      for (const [name, value] of expected)
        expect(res.headers[name.toLowerCase()], `${url} ${name}`).toBe(value);
    }
  });

  it('come first on the wire, in helmet’s order and spelling, before the headers of the answer', async () => {
    const res = await t.app.inject({ url: '/health' });
    const names = rawNames(res.raw.res);
    const expected = helmetHeaders().map(([name]) => name);
    expect(names.slice(0, expected.length)).toEqual(expected);
  });

  it('still go with the problem+json refusal of an OPTIONS that is no CORS preflight', async () => {
    const res = await t.app.inject({ method: 'OPTIONS', url: '/trials' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-request-id']).toBeTruthy();
  });
});
