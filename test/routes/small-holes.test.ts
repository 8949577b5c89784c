import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import { TrialInput } from '../../src/schemas/trial-input';
import { createApiKey } from '../../src/store/api-keys';
import { insertTrial, inTransaction } from '../../src/store/trial-store';
import { buildTestApp, type LoggedTestApp, openTestApp, type TestApp } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';

/** The members every error answer has (RFC 9457), whatever raised it. */
function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.any(String),
  });
  return body as { detail: string; errors?: { path: string; message: string }[] };
}

/** The app listening on 127.0.0.1, on a port of its own. */
async function listening(t: TestApp): Promise<number> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return (t.app.server.address() as AddressInfo).port;
}

interface RawAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends raw bytes over one connection and reads the answer until the server closes it, or for
 * 5 seconds at most: what `inject` cannot send (broken framing, an Expect Node itself answers).
 */
function exchange(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      resolve({ statusCode: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(request);
  });
}

const SECRET_URL_KEY = `sck_${'A1b2'.repeat(10)}xyz`;

describe('a credential in the URL', () => {
  let t: LoggedTestApp;
  beforeAll(async () => {
    t = await openTestApp({ captureLogs: { level: 'info' } });
  });
  afterAll(() => t.close());

  it.each(['access_token', 'api_key', 'apikey', 'key', 'token', 'Access-Token', 'API_KEY'])(
    'sent as ?%s=… is redacted in the logged URL; the other parameters stay',
    async (name) => {
      const res = await t.app.inject({
        url: `/trials?limit=3&${name}=${SECRET_URL_KEY}&sort=title`,
        headers: { 'x-request-id': `redact-${name}` },
      });
      expect(res.statusCode).toBe(400); // an unknown parameter: refused, and still logged
      const line = t
        .logs()
        .split('\n')
        .find((l) => l.includes(`"reqId":"redact-${name}"`));
      expect(JSON.parse(line ?? '{}').url).toBe(`/trials?limit=3&${name}=[REDACTED]&sort=title`);
      expect(t.logs()).not.toContain(SECRET_URL_KEY);
    },
  );

  it('is redacted wherever an API key stands in the URL, and when a request is logged whole', async () => {
    await t.app.inject({ url: `/trials/${SECRET_URL_KEY}`, headers: { 'x-request-id': 'redact-path' } });
    t.app.log.info(
      { req: { method: 'GET', url: `/health?token=${SECRET_URL_KEY}`, headers: {} } },
      'logged whole',
    );
    const lines = t.logs().split('\n');
    expect(JSON.parse(lines.find((l) => l.includes('"reqId":"redact-path"')) ?? '{}').url).toBe(
      '/trials/[REDACTED]',
    );
    expect(JSON.parse(lines.find((l) => l.includes('logged whole')) ?? '{}').req.url).toBe(
      '/health?token=[REDACTED]',
    );
    expect(t.logs()).not.toContain(SECRET_URL_KEY);
  });
});

describe('a malformed chunked body', () => {
  it('is answered 400 problem+json, and the rate limiter logs no error for it', async () => {
    const t = await openTestApp({ captureLogs: { level: 'info' } });
    const port = await listening(t);
    const res = await exchange(
      port,
      'POST /trials HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    );
    expectProblem(res, 400);
    // The broken connection's request still runs its hooks, in the ticks after the connection
    // closed; a later request's answer comes after them.
    expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
    const levels = t
      .logs()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).level as number);
    expect(levels.filter((level) => level >= 50)).toEqual([]);
  });
});

describe('OPTIONS and Expect', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await buildTestApp();
    port = await listening(t);
  });
  afterAll(() => t.close());

  it.each([
    ['without Access-Control-Request-Method', { origin: 'https://app.example' }],
    ['without Origin', { 'access-control-request-method': 'GET' }],
    ['with neither', {}],
  ])('OPTIONS %s answers 400 problem+json', async (_case, headers) => {
    const body = expectProblem(await t.app.inject({ method: 'OPTIONS', url: '/trials', headers }), 400);
    expect(body.detail).toContain('Access-Control-Request-Method');
  });

  it('a whole preflight is still answered 204 with the CORS headers', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/trials',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
  });

  it('Expect: 200-ok answers 417 problem+json, not an empty 417', async () => {
    const res = await exchange(
      port,
      'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 200-ok\r\nConnection: close\r\n\r\n',
    );
    const body = expectProblem(res, 417);
    expect(body.detail).toContain('100-continue');
  });

  it('Expect: 100-continue is still met', async () => {
    const res = await exchange(
      port,
      'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n',
    );
    // Node sends "100 Continue" first; the final answer follows it.
    expect(res.statusCode).toBe(100);
    expect(res.body).toMatch(/^HTTP\/1\.1 200 OK/);
  });
});

describe('/docs/static/index.html', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it.each(['/docs/static/index.html?x=1', '/docs/static/index.html', '/docs/static/index.html?a=1&b=/'])(
    '%s redirects once, to the Swagger UI page',
    async (start) => {
      const first = await t.app.inject({ url: start });
      expect(first.statusCode).toBe(302);
      expect(first.headers.location).toBe('/docs/');
      const page = await t.app.inject({ url: String(first.headers.location) });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
    },
  );
});

describe('integer and number query parameters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it.each(['0x10', '+5', '5.', '1e1', '', ' 5', '5 ', '5.0', '0b1', 'Infinity'])(
    'limit=%j is a 400 at /query/limit',
    async (value) => {
      const body = expectProblem(
        await t.app.inject({ url: `/trials?limit=${encodeURIComponent(value)}` }),
        400,
      );
      expect(body.errors?.map((e) => e.path)).toEqual(['/query/limit']);
    },
  );

  it.each([
    ['enrollmentMin', ''],
    ['enrollmentMax', '1e3'],
    ['startYearFrom', '0x7e0'],
    ['timepointMin', ''],
    ['timepointMax', '1e1'],
    ['bmdChangeMin', '.5'],
  ])('%s=%j is a 400 naming it', async (name, value) => {
    const body = expectProblem(
      await t.app.inject({ url: `/trials?${name}=${encodeURIComponent(value)}` }),
      400,
    );
    expect(body.errors?.map((e) => e.path)).toContain(`/query/${name}`);
  });

  it('a plain decimal is read as its number', async () => {
    const res = await t.app.inject({
      url: '/trials?limit=007&enrollmentMin=10&timepointMin=1.5&timepointMax=-0',
    });
    expect(res.statusCode).toBe(400); // the range 1.5..0 is empty: both were read as numbers
    expect(res.json().errors[0].message).toBe(
      'timepointMin (1.5) is greater than timepointMax (0): the range is empty',
    );
    const page = await t.app.inject({ url: '/trials?limit=007&enrollmentMin=10&timepointMin=1.5' });
    expect(page.statusCode).toBe(200);
    expect(page.json().page.limit).toBe(7);
  });

  it('a revision version in hex is a 400 too', async () => {
    const body = expectProblem(await t.app.inject({ url: '/trials/tr_x/revisions/0x1' }), 400);
    expect(body.errors?.map((e) => e.path)).toEqual(['/path/version']);
  });
});

describe('Accept q-values', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['text/csv;q=0, */*', 'application/json'],
    ['text/csv; q=0, application/json', 'application/json'],
    ['text/csv;q=0.2, application/json;q=0.8', 'application/json'],
    ['application/json;q=0.1, text/csv', 'text/csv'],
    ['application/json;q=0, */*', 'text/csv'],
    ['text/csv', 'text/csv'],
    ['*/*', 'application/json'],
    ['text/csv;q=0', 'application/json'],
  ])('Accept: %s answers %s', async (accept, type) => {
    for (const url of ['/trials', '/bmd-results']) {
      const res = await t.app.inject({ url, headers: { accept } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain(type);
    }
  });
});

describe('request bodies the server would misread', () => {
  let t: TestApp;
  let editor: Record<string, string>;
  beforeAll(async () => {
    t = await buildTestApp();
    editor = { authorization: `Bearer ${createApiKey(t.db, 'body-editor', 'editor').secret}` };
  });
  afterAll(() => t.close());

  const post = (url: string, headers: Record<string, string>, payload: string) =>
    t.app.inject({ method: 'POST', url, headers: { ...editor, ...headers }, payload });
  const trialCount = async () => (await t.app.inject({ url: '/trials?countTotal=true' })).json().page.total;

  it.each([
    ['application/json; charset=latin1', 'charset "latin1"'],
    ['application/json; charset="ISO-8859-1"', 'charset "iso-8859-1"'],
    ['application/json;charset=utf-16', 'charset "utf-16"'],
  ])('Content-Type %s is a 415 saying bodies are read as UTF-8', async (contentType, named) => {
    const body = expectProblem(
      await post('/trials', { 'content-type': contentType }, JSON.stringify(trialBody())),
      415,
    );
    expect(body.detail).toContain('UTF-8');
    expect(body.detail).toContain(named);
    expect(await trialCount()).toBe(0);
  });

  it.each(['gzip', 'deflate', 'br', 'x-unknown'])(
    'Content-Encoding: %s is a 415 saying bodies are read uncompressed',
    async (encoding) => {
      const body = expectProblem(
        await post(
          '/trials',
          { 'content-type': 'application/json', 'content-encoding': encoding },
          JSON.stringify(trialBody()),
        ),
        415,
      );
      expect(body.detail).toContain(`Content-Encoding "${encoding}"`);
      expect(await trialCount()).toBe(0);
    },
  );

  it('a CSV import in another charset is a 415 too', async () => {
    const body = expectProblem(
      await post('/imports?format=csv', { 'content-type': 'text/csv; charset=windows-1252' }, 'trialId\n'),
      415,
    );
    expect(body.detail).toContain('UTF-8');
  });

  it('UTF-8, named or not, and Content-Encoding: identity are read', async () => {
    const accepted: Record<string, string>[] = [
      { 'content-type': 'application/json; charset=utf-8' },
      { 'content-type': 'application/json; charset=UTF8' },
      { 'content-type': 'application/json', 'content-encoding': 'identity' },
    ];
    for (const headers of accepted)
      expect((await post('/trials', headers, JSON.stringify(trialBody()))).statusCode).toBe(201);
  });
});

describe('304 Not Modified', () => {
  it('sends no body, no Content-Length and no Content-Type', async () => {
    const t = await buildTestApp();
    const editor = { authorization: `Bearer ${createApiKey(t.db, 'etag-editor', 'editor').secret}` };
    const created = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: editor,
      payload: trialBody(),
    });
    const res = await t.app.inject({
      url: `/trials/${created.json().id}`,
      headers: { 'if-none-match': String(created.headers.etag) },
    });
    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers.etag).toBe(created.headers.etag);
  });
});

describe('pagination cursors are signed with the server key', () => {
  const KEY_A = 'a'.repeat(32);
  const KEY_B = 'b'.repeat(32);

  async function withTrials(secret: string, count: number, db?: Db): Promise<TestApp> {
    const t = await buildTestApp({ CURSOR_SECRET: secret }, db);
    inTransaction(t.db, () => {
      for (let i = 0; i < count; i++)
        insertTrial(t.db, TrialInput.parse(trialBody({ title: `Trial ${i}` })), {
          changedBy: 'test',
          channel: 'API',
        });
    });
    return t;
  }

  it('a cursor pages on at the server that issued it, and after a restart with the same CURSOR_SECRET', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cursor-restart-'));
    const file = join(dir, 'catalogue.db');
    try {
      const fileDb = () => {
        const db = openDatabase(file);
        runMigrations(db);
        return db;
      };
      const issuer = await withTrials(KEY_A, 3, fileDb());
      const first = (await issuer.app.inject({ url: '/trials?sort=title&limit=2' })).json();
      const cursor = first.page.nextCursor as string;
      const next = await issuer.app.inject({ url: `/trials?sort=title&limit=2&cursor=${cursor}` });
      expect(next.statusCode).toBe(200);
      expect(next.json().data.map((row: { title: string }) => row.title)).toEqual(['Trial 2']);
      await issuer.close();

      const restarted = await buildTestApp({ CURSOR_SECRET: KEY_A }, fileDb());
      const again = await restarted.app.inject({ url: `/trials?sort=title&limit=2&cursor=${cursor}` });
      expect(again.statusCode).toBe(200);
      expect(again.json().data.map((row: { title: string }) => row.title)).toEqual(['Trial 2']);
      await restarted.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cursor from a server with another CURSOR_SECRET is a 400 naming the cursor', async () => {
    const issuer = await withTrials(KEY_A, 3);
    const other = await withTrials(KEY_B, 3);
    const cursor = (await issuer.app.inject({ url: '/trials?sort=title&limit=2' })).json().page.nextCursor;
    const body = expectProblem(
      await other.app.inject({ url: `/trials?sort=title&limit=2&cursor=${cursor}` }),
      400,
    );
    expect(body.errors).toEqual([{ path: '/query/cursor', message: 'not a cursor this service issued' }]);
  });

  it('a cursor moved to another position and re-signed without the key is a 400', async () => {
    const t = await withTrials(KEY_A, 3);
    const cursor = (await t.app.inject({ url: '/trials?sort=title&limit=1' })).json().page
      .nextCursor as string;
    const [payload = ''] = cursor.split('.');
    const position = JSON.parse(Buffer.from(payload, 'base64url').toString());
    position[1] = 'Trial 1';
    const moved = Buffer.from(JSON.stringify(position)).toString('base64url');
    // What anyone could sign with an unkeyed hash, and the original signature on the new position.
    const unkeyed = createHash('sha256').update(`cursor:${moved}`).digest('base64url');
    for (const forged of [
      `${moved}.${unkeyed.slice(0, 12)}`,
      `${moved}.${unkeyed}`,
      `${moved}.${cursor.split('.')[1]}`,
    ]) {
      const body = expectProblem(
        await t.app.inject({ url: `/trials?sort=title&limit=1&cursor=${forged}` }),
        400,
      );
      expect(body.errors?.[0]?.path).toBe('/query/cursor');
    }
  });

  it('a revisions cursor from a server with another key is refused too', async () => {
    const issuer = await withTrials(KEY_A, 1);
    const other = await buildTestApp({ CURSOR_SECRET: KEY_B });
    const editor = { authorization: `Bearer ${createApiKey(issuer.db, 'rev-editor', 'editor').secret}` };
    const id = (await issuer.app.inject({ url: '/trials' })).json().data[0].id as string;
    const current = await issuer.app.inject({ url: `/trials/${id}` });
    const renamed = await issuer.app.inject({
      method: 'PUT',
      url: `/trials/${id}`,
      headers: { ...editor, 'if-match': String(current.headers.etag) },
      payload: { ...(current.json() as Record<string, unknown>), title: 'Trial renamed' },
    });
    expect(renamed.statusCode).toBe(200);
    const cursor = (await issuer.app.inject({ url: `/trials/${id}/revisions?limit=1` })).json().page
      .nextCursor;
    expect(
      (await issuer.app.inject({ url: `/trials/${id}/revisions?limit=1&cursor=${cursor}` })).statusCode,
    ).toBe(200);
    const refused = await other.app.inject({ url: `/trials/${id}/revisions?limit=1&cursor=${cursor}` });
    expect(expectProblem(refused, 400).errors?.[0]?.path).toBe('/query/cursor');
  });
});
