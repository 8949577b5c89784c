import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { clientErrorHandler } from '../../src/plugins/client-errors';
import { trialBody } from '../helpers/trial-fixtures';
import { buildLoggedApp, expectProblem, keyHeader, type WriteTestApp } from './support';

let t: WriteTestApp;
afterEach(() => t?.close());

describe('rate limits', () => {
  it('limits every client address to RATE_LIMIT_MAX per window: 429 problem with Retry-After', async () => {
    t = await buildLoggedApp({ RATE_LIMIT_MAX: 3, RATE_LIMIT_WINDOW_MS: 60_000 });
    for (let i = 0; i < 3; i++) {
      const ok = await t.app.inject({ url: '/vocabularies', remoteAddress: '203.0.113.1' });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-ratelimit-limit']).toBe('3');
    }
    const limited = await t.app.inject({ url: '/trials', remoteAddress: '203.0.113.1' });
    const body = expectProblem(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(body.detail).toMatch(/retry in \d+ seconds?/);
    const otherClient = await t.app.inject({ url: '/trials', remoteAddress: '203.0.113.2' });
    expect(otherClient.statusCode).toBe(200);
  });

  it('counts refused credentials against the address, so keys cannot be guessed at leisure', async () => {
    t = await buildLoggedApp({ RATE_LIMIT_MAX: 2 });
    const guess = { authorization: `Bearer sck_${'G'.repeat(43)}` };
    for (let i = 0; i < 2; i++)
      expectProblem(await t.app.inject({ method: 'POST', url: '/trials', headers: guess, payload: {} }), 401);
    expectProblem(await t.app.inject({ method: 'POST', url: '/trials', headers: guess, payload: {} }), 429);
  });

  it('limits writes per key to RATE_LIMIT_WRITE_MAX, whatever the address; reads are not affected', async () => {
    t = await buildLoggedApp({ RATE_LIMIT_WRITE_MAX: 2 });
    const alice = keyHeader(t.db, 'alice', 'editor');
    const bob = keyHeader(t.db, 'bob', 'editor');
    const post = (headers: Record<string, string>, remoteAddress: string) =>
      t.app.inject({ method: 'POST', url: '/trials', headers, payload: trialBody(), remoteAddress });
    expect((await post(alice, '198.51.100.1')).statusCode).toBe(201);
    const second = await post(alice, '198.51.100.2');
    expect(second.statusCode).toBe(201);
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    const third = await post(alice, '198.51.100.3');
    expectProblem(third, 429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await post(bob, '198.51.100.1')).statusCode).toBe(201);
    expect((await t.app.inject({ url: '/trials', remoteAddress: '198.51.100.1' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/trials?countTotal=true' })).json().page.total).toBe(3);
  });
});

describe('security headers and CORS', () => {
  it('sends helmet headers with a CSP that still lets the Swagger UI load', async () => {
    t = await buildLoggedApp();
    const docs = await t.app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    const csp = docs.headers['content-security-policy'] as string;
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toContain("'self'");
    expect(directives['img-src']).toContain('data:');
    expect(directives).not.toHaveProperty('upgrade-insecure-requests');
    // The page loads only same-origin scripts and styles, which the policy allows.
    expect(docs.body).not.toMatch(/<script>(?!\s*<\/script>)/);
    for (const src of docs.body.matchAll(/(?:src|href)="([^"]+)"/g)) {
      expect(src[1]).toMatch(/^\.{0,2}\//);
    }
    const api = await t.app.inject({ url: '/trials' });
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(api.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });

  it('answers CORS preflights for writes from CORS_ORIGIN and exposes ETag and Location', async () => {
    t = await buildLoggedApp({ CORS_ORIGIN: 'https://app.example, https://other.example' });
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/trials/tr_1',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, if-match, content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(preflight.headers['access-control-allow-methods']).toContain('PUT');
    expect(preflight.headers['access-control-allow-methods']).toContain('DELETE');
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('if-match');
    const read = await t.app.inject({ url: '/trials', headers: { origin: 'https://other.example' } });
    expect(read.headers['access-control-allow-origin']).toBe('https://other.example');
    expect(String(read.headers['access-control-expose-headers'])).toMatch(/etag.*location/);
    const stranger = await t.app.inject({ url: '/trials', headers: { origin: 'https://evil.example' } });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows any origin by default', async () => {
    t = await buildLoggedApp();
    const read = await t.app.inject({ url: '/trials', headers: { origin: 'https://anywhere.example' } });
    expect(read.headers['access-control-allow-origin']).toBe('*');
  });
});

/** Sends raw bytes to a listening app and returns the raw response. */
async function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
    });
    socket.on('error', (error) => (data ? resolve(data) : reject(error)));
    socket.on('close', () => resolve(data));
    socket.write(request);
  });
}

function parseRaw(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: JSON.parse(body) as Record<string, unknown>,
  };
}

describe('errors raised before routing', () => {
  async function listening() {
    t = await buildLoggedApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('not listening on a port');
    return address.port;
  }

  it('answers malformed HTTP with a raw 400 problem+json', async () => {
    const port = await listening();
    const res = parseRaw(await rawExchange(port, 'GET /trials HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ status: 400, title: 'Bad request', instance: '/trials' });
  });

  it('answers oversized headers with a raw 431 problem+json', async () => {
    const port = await listening();
    const res = parseRaw(
      await rawExchange(port, `GET /trials HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`),
    );
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 431, type: expect.stringContaining('headers-too-large') });
  });

  it('answers an undecodable URL and an overlong path parameter with problems', async () => {
    t = await buildLoggedApp();
    const bad = expectProblem(await t.app.inject({ url: '/trials/%E0%A4%A' }), 400);
    expect(bad.detail).toContain('URL');
    expectProblem(await t.app.inject({ url: `/trials/${'a'.repeat(500)}` }), 414);
  });

  it('answers a request that arrives too slowly with 408, and stays silent on a reset connection', () => {
    const written: string[] = [];
    const socket = (destroyed = false) =>
      ({
        destroyed,
        writable: true,
        write: (chunk: string) => written.push(chunk),
        destroy: () => undefined,
      }) as unknown as Socket;
    const app = { log: { debug: () => undefined } } as unknown as FastifyInstance;
    const timeout = Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
    clientErrorHandler.call(app, timeout, socket());
    expect(written[0]).toMatch(
      /^HTTP\/1\.1 408 Request Timeout\r\nContent-Type: application\/problem\+json\r\n/,
    );
    expect(JSON.parse(written[0]?.split('\r\n\r\n')[1] ?? '')).toMatchObject({ status: 408 });
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    clientErrorHandler.call(app, reset, socket());
    clientErrorHandler.call(app, timeout, socket(true));
    expect(written).toHaveLength(1);
  });
});
