import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';
import { expectProblem, keyHeader } from '../writes/support';

let t: TestApp;
let editor: Record<string, string>;
beforeAll(async () => {
  t = await buildTestApp();
  editor = keyHeader(t.db, 'messages', 'editor');
});
afterAll(() => t.close());

const post = (payload: object) =>
  t.app.inject({
    method: 'POST',
    url: '/trials',
    headers: editor,
    payload: payload as Record<string, unknown>,
  });
/** zod's own wording, which no answer should carry. */
const ZOD_WORDING = /Invalid input|Invalid option|expected \w+, received|Too small|Too big|Unrecognized key/;

describe('validation errors read as English', () => {
  it('a body without its required fields: "The request body is not valid", and "title is required"', async () => {
    const body = expectProblem(await post({}), 400);
    expect(body.detail).toBe('The request body is not valid; see errors.');
    expect(body.errors).toEqual([
      { path: '/title', message: 'title is required' },
      { path: '/studyType', message: 'must be one of INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS' },
      {
        path: '/overallStatus',
        message: expect.stringMatching(/^must be one of NOT_YET_RECRUITING, RECRUITING, /),
      },
      { path: '/arms', message: 'arms is required' },
      { path: '/provenance', message: 'provenance is required' },
    ]);
  });

  it('wrong types, empty values and sizes are named plainly', async () => {
    const cases: [object, string, string][] = [
      [trialBody({ title: 5 as never }), '/title', 'must be a string'],
      [trialBody({ title: '' }), '/title', 'must not be empty'],
      [trialBody({ arms: [] }), '/arms', 'must have at least one item'],
      [
        trialBody({ enrollment: { count: 1.5, type: 'ACTUAL' } }),
        '/enrollment/count',
        'must be a whole number',
      ],
      [trialBody({ enrollment: { count: -1, type: 'ACTUAL' } }), '/enrollment/count', 'must be at least 0'],
      [trialBody({ phases: 'PHASE1' as never }), '/phases', 'must be a list (JSON array)'],
      [trialBody({ title: 'x'.repeat(1001) }), '/title', 'must have at most 1000 characters'],
      [
        trialBody({ references: [{ citation: 'A', url: 'not a url' }] }),
        '/references/0/url',
        'must be a URL',
      ],
    ];
    for (const [payload, path, message] of cases) {
      const body = expectProblem(await post(payload), 400);
      expect(body.detail).toBe('The request body is not valid; see errors.');
      expect(body.errors).toContainEqual({ path, message });
      expect(JSON.stringify(body)).not.toMatch(ZOD_WORDING);
    }
  });

  it('a nested missing field names itself', async () => {
    const body = expectProblem(await post(trialBody({ arms: [{ type: 'EXPERIMENTAL' } as never] })), 400);
    expect(body.errors).toContainEqual({ path: '/arms/0/label', message: 'label is required' });
  });

  it('a refused import record carries the same wording', async () => {
    const { title: _title, ...untitled } = trialBody();
    const res = await t.app.inject({
      method: 'POST',
      url: '/imports?format=bundle',
      headers: { ...editor, 'content-type': 'application/json' },
      payload: { trials: [untitled] },
    });
    const body = expectProblem(res, 400) as { rejected?: { path: string; message: string }[] };
    expect(body.rejected).toEqual([
      expect.objectContaining({ path: '/title', message: 'title is required' }),
    ]);
  });
});

describe('yes/no parameters take exactly what their message says: true or false', () => {
  it.each(['hasBmdResults', 'countTotal'])('%s=true and %s=false are accepted', async (name) => {
    for (const value of ['true', 'false'])
      expect((await t.app.inject({ url: `/trials?${name}=${value}` })).statusCode).toBe(200);
  });

  it.each([
    ['hasBmdResults', 'yes'],
    ['hasBmdResults', '1'],
    ['hasBmdResults', 'TRUE'],
    ['hasBmdResults', 'off'],
    ['countTotal', '1'],
  ])('%s=%s is a 400 that says "must be true or false"', async (name, value) => {
    const body = expectProblem(await t.app.inject({ url: `/trials?${name}=${value}` }), 400);
    expect(body.errors).toEqual([{ path: `/query/${name}`, message: 'must be true or false' }]);
  });
});
