import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisHooks } from '../../src/analysis/runner';
import type { Config } from '../../src/config';
import { createApiKey } from '../../src/store/api-keys';
import { openTestApp, type TestApp } from '../helpers/build-test-app';
import { loadFixture } from '../helpers/catalogue-fixture';
import { untilUnderPressure } from '../ops/pressure';
import {
  ANALYSIS_OPERATIONS,
  CASES,
  type CaseContext,
  CONTRACT_IMPORT_LIMIT,
  PLAIN_REQUESTS,
  UNREACHABLE,
} from './cases';
import { Contract, type ContractDocument } from './openapi-validator';

const contract = new Contract();
const covered = new Set<string>();

function expectConforms(operation: string, status: number, res: LightMyRequestResponse) {
  expect(res.statusCode, `${operation}: ${res.body.slice(0, 500)}`).toBe(status);
  expect(contract.check(operation, res), `${operation} ${status}`).toEqual([]);
  covered.add(`${operation} ${status}`);
}

/** An app over a fresh database with the test catalogue and one key of each role. */
async function catalogueApp(overrides: Partial<Config> = {}, analysisHooks?: AnalysisHooks) {
  const t = await openTestApp({
    config: { IMPORT_BODY_LIMIT_BYTES: CONTRACT_IMPORT_LIMIT, ...overrides },
    analysisHooks,
  });
  const [liveId] = loadFixture(t.db);
  const ctx: CaseContext = {
    app: t.app,
    editor: { authorization: `Bearer ${createApiKey(t.db, 'contract-editor', 'editor').secret}` },
    admin: { authorization: `Bearer ${createApiKey(t.db, 'contract-admin', 'admin').secret}` },
    liveId: liveId as string,
  };
  return { t, ctx };
}

const apps: TestApp[] = [];
let main: CaseContext;
beforeAll(async () => {
  const built = await catalogueApp();
  apps.push(built.t);
  main = built.ctx;
});
afterAll(async () => {
  for (const t of apps) await t.close().catch(() => {});
});

describe('every documented answer conforms to openapi/openapi.json', () => {
  for (const k of CASES) {
    it(`${k.operation} → ${k.status} (${k.name})`, async () => {
      expectConforms(k.operation, k.status, await k.run(main));
    });
  }

  it('429 on every operation once the client address is over its limit', async () => {
    const { t, ctx } = await catalogueApp({ RATE_LIMIT_MAX: 1 });
    apps.push(t);
    await t.app.inject({ url: '/health' });
    for (const [operation, request] of Object.entries(PLAIN_REQUESTS))
      expectConforms(operation, 429, await t.app.inject(request(ctx)));
  });

  it('500 problem+json on every operation that reads the database when the database fails', async () => {
    const { t, ctx } = await catalogueApp();
    apps.push(t);
    t.db.$client.close();
    for (const [operation, request] of Object.entries(PLAIN_REQUESTS)) {
      if (operation === 'get /vocabularies') continue;
      const status = operation === 'get /health' ? 503 : 500;
      expectConforms(operation, status, await t.app.inject(request(ctx)));
    }
  });

  it('503 problem+json with Retry-After on every operation while the event loop is saturated', async () => {
    const { t, ctx } = await catalogueApp({ MAX_EVENT_LOOP_DELAY_MS: 1 });
    apps.push(t);
    for (const [operation, request] of Object.entries(PLAIN_REQUESTS)) {
      await untilUnderPressure(t.app as FastifyInstance);
      const res = await t.app.inject(request(ctx));
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expectConforms(operation, 503, res);
    }
  });

  it('503 problem+json with Retry-After on every analysis operation whose analysis runs past its time', async () => {
    // Every analysis hangs until the runner aborts it at ANALYSIS_TIMEOUT_MS, as a runaway one would.
    const hang: AnalysisHooks = {
      beforeTask: (_task, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    };
    const { t, ctx } = await catalogueApp({ ANALYSIS_TIMEOUT_MS: 1 }, hang);
    apps.push(t);
    expect(ANALYSIS_OPERATIONS).toHaveLength(11);
    for (const operation of ANALYSIS_OPERATIONS) {
      const request = PLAIN_REQUESTS[operation] as (ctx: CaseContext) => InjectOptions;
      const res = await t.app.inject(request(ctx));
      expect(res.json().type, operation).toMatch(/\/analysis-timeout$/);
      expectConforms(operation, 503, res);
    }
  });

  it('leaves no documented answer untested (new operations need cases in test/contract/cases.ts)', () => {
    const missing = contract
      .operations()
      .flatMap(({ operation, statuses }) => statuses.map((s) => `${operation} ${s}`))
      .filter((key) => !covered.has(key) && !(key in UNREACHABLE));
    expect(missing).toEqual([]);
  });
});

describe('the validator', () => {
  it('fails an undocumented status, field, media type or missing header', () => {
    const ok = { 'content-type': 'application/json', 'x-request-id': 'abc' };
    const health = {
      status: 'ok',
      database: { reachable: true },
      migrations: { applied: 1, known: 1, latest: '0000_init' },
      dataVersion: 1,
    };
    expect(contract.check('get /health', { statusCode: 418, headers: ok, body: '{}' })).toEqual([
      'status 418 is not documented for get /health',
    ]);
    expect(
      contract.check('get /health', {
        statusCode: 200,
        headers: ok,
        body: JSON.stringify({ ...health, extra: 1 }),
      }),
    ).toEqual(['body: must NOT have additional properties (extra)']);
    expect(
      contract.check('get /health', {
        statusCode: 200,
        headers: { ...ok, 'content-type': 'text/plain' },
        body: JSON.stringify(health),
      })[0],
    ).toMatch(/media type "text\/plain" is not documented/);
    expect(
      contract.check('get /health', {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(health),
      }),
    ).toEqual(['required header X-Request-Id is missing']);
  });

  it('checks a document whose response objects all say what other fields they allow (none, or typed)', () => {
    const doc: ContractDocument = contract.doc;
    const open: string[] = [];
    const visit = (schema: unknown, where: string) => {
      if (!schema || typeof schema !== 'object') return;
      const s = schema as Record<string, unknown>;
      const closed = s.additionalProperties === false || typeof s.additionalProperties === 'object';
      if (s.type === 'object' && s.properties && !closed) open.push(where);
      for (const [key, value] of Object.entries(s)) visit(value, `${where}/${key}`);
    };
    for (const [name, schema] of Object.entries(doc.components.schemas))
      if (!name.endsWith('Input')) visit(schema, name);
    expect(open).toEqual([]);
  });
});
