import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/store/api-keys';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import type { components, paths } from './generated/api';

/**
 * A client generated from the committed document (`npm run openapi:client`) talks to a listening
 * server. `npm test` regenerates the types before type-checking, so a change to the document that
 * breaks this code breaks the build.
 */
type Trial = components['schemas']['Trial'];

/** A list's 200 is JSON or, when asked for, CSV text: this client asked for JSON. */
function json<T>(data: T | string | undefined): T {
  if (data === undefined || typeof data === 'string') throw new Error('expected a JSON answer');
  return data;
}
type TrialBody = components['schemas']['TrialBodyInput'];

let t: TestApp;
let client: ReturnType<typeof createClient<paths>>;
let authorization: string;

beforeAll(async () => {
  t = await buildTestApp();
  authorization = `Bearer ${createApiKey(t.db, 'typed-client', 'editor').secret}`;
  const baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  client = createClient<paths>({ baseUrl });
});
afterAll(() => t.close());

const body: TrialBody = {
  registryIds: ['NCT07770001'],
  title: 'Typed client trial',
  studyType: 'INTERVENTIONAL',
  overallStatus: 'RECRUITING',
  phases: ['PHASE1'],
  population: 'POSTMENOPAUSAL',
  arms: [
    {
      label: 'Cells',
      type: 'EXPERIMENTAL',
      participants: 12,
      cellSource: 'ADIPOSE',
      cellType: 'MSC',
      donor: 'AUTOLOGOUS',
      route: 'INTRAVENOUS',
    },
  ],
  provenance: { kind: 'USER', sources: ['typed client test'] },
};

describe('a client generated from openapi/openapi.json', () => {
  it('creates, reads, replaces and finds a trial, and reads problems as typed errors', async () => {
    const created = await client.POST('/trials', { body, headers: { authorization } });
    expect(created.response.status).toBe(201);
    const trial: Trial | undefined = created.data;
    if (!trial) throw new Error(`create failed: ${JSON.stringify(created.error)}`);
    expect(trial.arms[0]?.cellSource).toBe('ADIPOSE');
    expect(created.response.headers.get('location')).toBe(`/trials/${trial.id}`);

    const read = await client.GET('/trials/{id}', { params: { path: { id: trial.id } } });
    expect(read.data).toEqual(trial);
    const etag = read.response.headers.get('etag') ?? '';
    expect(etag).toBe('"v1"');

    // A GET body can be sent back as it is: the read type is assignable to the write type.
    const replacement: TrialBody = { ...(read.data as Trial), title: 'Typed client trial, replaced' };
    const replaced = await client.PUT('/trials/{id}', {
      params: { path: { id: trial.id }, header: { 'if-match': etag } },
      body: replacement,
      headers: { authorization },
    });
    expect(replaced.data?.version).toBe(2);
    expect(replaced.data?.title).toBe('Typed client trial, replaced');

    const stale = await client.PUT('/trials/{id}', {
      params: { path: { id: trial.id }, header: { 'if-match': etag } },
      body: replacement,
      headers: { authorization },
    });
    expect(stale.response.status).toBe(412);
    const problem: components['schemas']['ProblemDetails'] | undefined = stale.error;
    expect(problem?.status).toBe(412);

    const found = await client.GET('/trials', {
      params: {
        query: { registryId: ['NCT07770001'], cellSource: ['ADIPOSE'], limit: 5, countTotal: 'true' },
      },
    });
    const page = json(found.data);
    expect(page.data.map((d) => d.id)).toEqual([trial.id]);
    expect(page.page.total).toBe(1);

    const history = await client.GET('/trials/{id}/revisions', { params: { path: { id: trial.id } } });
    expect(history.data?.data.map((r) => [r.version, r.action])).toEqual([
      [2, 'UPDATE'],
      [1, 'CREATE'],
    ]);
  });
});
