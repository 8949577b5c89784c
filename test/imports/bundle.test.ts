import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/schemas/trial';
import { trialBody } from '../helpers/trial-fixtures';
import { expectProblem } from '../writes/support';
import { type ImportTestApp, importApp, importOk, importRefused, postImport, rowCounts } from './support';

let t: ImportTestApp;
beforeEach(async () => {
  t = await importApp();
});
afterEach(() => t.close());

/** Three made-up trials: two registered, one with its own id. Not real data. */
function bundle() {
  return {
    trials: [
      trialBody({
        registryIds: ['NCT90000001'],
        title: 'Bundle trial one',
        bmdResults: [
          {
            armLabel: 'Cells',
            site: 'LUMBAR_SPINE',
            metric: 'PERCENT_CHANGE',
            method: 'DXA',
            timepointMonths: 12,
            n: 18,
            mean: 2.5,
            se: 0.4,
          },
        ],
      }),
      trialBody({ registryIds: ['ChiCTR2000000001'], title: 'Bundle trial two' }),
      { ...trialBody({ title: 'Bundle trial three' }), id: 'tr_bundle_three' },
    ],
  };
}

const trial = async (id: string) => (await t.app.inject({ url: `/trials/${id}` })).json() as Trial;

describe('POST /imports?format=bundle', () => {
  it('creates every record, keeps a record’s own id, and writes as the key', async () => {
    const report = await importOk(t, { format: 'bundle', body: bundle() });
    expect(report).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      records: [
        { index: 0, id: expect.any(String), title: 'Bundle trial one', outcome: 'CREATED' },
        { index: 1, id: expect.any(String), title: 'Bundle trial two', outcome: 'CREATED' },
        { index: 2, id: 'tr_bundle_three', title: 'Bundle trial three', outcome: 'CREATED' },
      ],
      rejected: [],
      rejectedTotal: 0,
      rejectedByCode: {},
      complete: true,
      warnings: [],
      warningsTotal: 0,
      warningsByCode: {},
      dryRun: false,
    });
    // Each record names the trial it created.
    for (const record of report.records) expect((await trial(record.id as string)).title).toBe(record.title);
    const kept = await trial('tr_bundle_three');
    expect(kept.title).toBe('Bundle trial three');
    const revisions = await t.app.inject({ url: '/trials/tr_bundle_three/revisions' });
    expect(revisions.json().data[0]).toMatchObject({ action: 'CREATE', changedBy: 'importer' });
    expect(rowCounts(t.db)).toMatchObject({ trials: 3, arms: 3, bmd_results: 1, registry_ids: 2 });
  });

  it('re-importing the same file changes nothing', async () => {
    await importOk(t, { format: 'bundle', body: bundle() });
    const before = rowCounts(t.db);
    const report = await importOk(t, { format: 'bundle', body: bundle() });
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(report.records.map((r) => r.outcome)).toEqual(['UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('re-importing trials as GET serves them (a page, or one trial) changes nothing', async () => {
    await importOk(t, { format: 'bundle', body: bundle() });
    const before = rowCounts(t.db);
    const page = (await t.app.inject({ url: '/trials?limit=10' })).json();
    expect(await importOk(t, { format: 'bundle', body: page })).toMatchObject({ unchanged: 3, created: 0 });
    const one = await trial('tr_bundle_three');
    expect(await importOk(t, { format: 'bundle', body: one })).toMatchObject({ unchanged: 1 });
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('matches on a registry id, else on id, and updates what changed as a new revision', async () => {
    await importOk(t, { format: 'bundle', body: bundle() });
    const changed = bundle();
    changed.trials[0] = { ...changed.trials[0], overallStatus: 'TERMINATED' } as (typeof changed.trials)[0];
    changed.trials[2] = {
      ...changed.trials[2],
      title: 'Bundle trial three, renamed',
    } as (typeof changed.trials)[2];
    const report = await importOk(t, { format: 'bundle', body: changed });
    expect(report).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
    expect((await trial('tr_bundle_three')).version).toBe(2);
    const list = (await t.app.inject({ url: '/trials?registryId=NCT90000001' })).json().data as Trial[];
    expect(list[0]).toMatchObject({ overallStatus: 'TERMINATED', version: 2 });
  });

  it('keeps arm ids across an update (arms matched by label)', async () => {
    await importOk(t, { format: 'bundle', body: bundle() });
    const before = await trial('tr_bundle_three');
    const changed = { ...bundle().trials[2], sponsor: 'Someone' };
    expect(await importOk(t, { format: 'bundle', body: { trials: [changed] } })).toMatchObject({
      updated: 1,
    });
    expect((await trial('tr_bundle_three')).arms.map((a) => a.id)).toEqual(before.arms.map((a) => a.id));
  });

  it('records without registry id or id: re-imported unchanged when identical, one warning says why', async () => {
    const seedFile = readFileSync(new URL('../../seed/illustrative-trials.json', import.meta.url), 'utf8');
    const first = await importOk(t, { format: 'bundle', body: seedFile });
    const count = (JSON.parse(seedFile) as { trials: unknown[] }).trials.length;
    expect(first).toMatchObject({ created: count, unchanged: 0 });
    expect(first.warnings).toEqual([
      expect.objectContaining({
        index: null,
        code: 'RECORDS_WITHOUT_KEY',
        message: expect.stringMatching(/^\d+ records have/),
      }),
    ]);
    const before = rowCounts(t.db);
    expect(await importOk(t, { format: 'bundle', body: seedFile })).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: count,
      warnings: [],
    });
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('an unkeyed record that changed is a new trial (never a guessed update); twice in one file is refused', async () => {
    const record = trialBody({ title: 'No key' });
    await importOk(t, { format: 'bundle', body: { trials: [record] } });
    const changed = await importOk(t, {
      format: 'bundle',
      body: { trials: [{ ...record, sponsor: 'Changed' }] },
    });
    expect(changed).toMatchObject({ created: 1, updated: 0 });
    const twice = await importRefused(t, {
      format: 'bundle',
      body: { trials: [trialBody({ title: 'Twin' }), trialBody({ title: 'Twin' })] },
    });
    expect(twice.rejected).toEqual([
      expect.objectContaining({ index: 1, message: expect.stringMatching(/record 0 also writes trial/) }),
    ]);
  });

  it('dryRun reports what the import would do and writes nothing', async () => {
    const before = rowCounts(t.db);
    const dry = await importOk(t, { format: 'bundle', dryRun: true, body: bundle() });
    expect(dry).toMatchObject({ created: 3, updated: 0, unchanged: 0, dryRun: true });
    expect(rowCounts(t.db)).toEqual(before);
    const real = await importOk(t, { format: 'bundle', body: bundle() });
    // The same report, except that a dry run cannot name the ids it would assign (none is kept).
    const unkept = real.records.map((r) => ({ ...r, id: r.id === 'tr_bundle_three' ? r.id : null }));
    expect({ ...real, records: unkept, dryRun: true }).toEqual(dry);
  });

  it('without format, JSON that is not ClinicalTrials.gov data is read as a bundle', async () => {
    expect(await importOk(t, { body: bundle() })).toMatchObject({ created: 3 });
  });

  it('refuses the whole file when any record is bad: 400, every problem, nothing written', async () => {
    const body = bundle();
    const bad = {
      trials: [
        body.trials[0],
        { ...body.trials[1], studyType: 'CASE_REPORT', arms: [] },
        { ...body.trials[2], startDate: '2020-13', surprise: true },
      ],
    };
    const before = rowCounts(t.db);
    const problem = await importRefused(t, { format: 'bundle', body: bad });
    expect(problem.rejected).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 1, path: '/studyType' }),
        expect.objectContaining({ index: 1, path: '/arms' }),
        expect.objectContaining({ index: 2, path: '/startDate' }),
        expect.objectContaining({ index: 2, path: '/surprise', message: 'unknown field' }),
      ]),
    );
    expect(problem.rejected).toHaveLength(4);
    expect(problem.errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(['/trials/1/studyType', '/trials/2/startDate']),
    );
    expect(problem.created).toBe(1); // what the valid record would have done
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('a dry run with a rejection answers the same 400', async () => {
    const problem = await importRefused(t, {
      format: 'bundle',
      dryRun: true,
      body: { trials: [{ title: 'x' }] },
    });
    expect(problem.dryRun).toBe(true);
  });

  it('refuses a registry id listed twice in one file, and one owned by another stored trial', async () => {
    await importOk(t, {
      format: 'bundle',
      body: { trials: [trialBody({ registryIds: ['IRCT0001'], title: 'A' })] },
    });
    const before = rowCounts(t.db);
    const twice = {
      trials: [
        trialBody({ registryIds: ['NCT90000009'], title: 'First' }),
        trialBody({ registryIds: ['nct90000009'], title: 'Second' }),
        { ...trialBody({ registryIds: ['IRCT0001'], title: 'Third' }), id: 'tr_other' },
      ],
    };
    const problem = await importRefused(t, { format: 'bundle', body: twice });
    expect(problem.rejected).toEqual([
      expect.objectContaining({
        index: 1,
        path: '/registryIds/0',
        message: expect.stringMatching(/also in record 0/),
      }),
      expect.objectContaining({
        index: 2,
        path: '/id',
        message: expect.stringMatching(/belong to trial tr_/),
      }),
    ]);
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('reports malformed JSON as a rejection of the body', async () => {
    const problem = await importRefused(t, { format: 'bundle', body: '{"trials": [' });
    expect(problem.rejected).toEqual([
      expect.objectContaining({ index: null, path: '', message: expect.stringMatching(/not valid JSON/) }),
    ]);
  });

  it('reports an empty body and a body of the wrong shape', async () => {
    expect((await importRefused(t, { format: 'bundle', body: '' })).rejected[0]?.message).toMatch(/empty/);
    const noBody = await t.app.inject({ method: 'POST', url: '/imports', headers: t.editor });
    expect(expectProblem(noBody, 400).detail).toMatch(/the body is empty/);
    expect(
      (await importRefused(t, { format: 'bundle', body: { records: [] } })).rejected[0]?.message,
    ).toMatch(/not a bundle/);
  });

  it('an empty bundle imports nothing', async () => {
    expect(await importOk(t, { format: 'bundle', body: { trials: [] } })).toMatchObject({ created: 0 });
  });
});

describe('POST /imports: keys, media types and size', () => {
  it('401 without a key, before the body is read', async () => {
    const res = await postImport(t, { format: 'bundle', body: bundle(), headers: {} });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(rowCounts(t.db).trials).toBe(0);
  });

  it('415 for a media type that does not fit the format', async () => {
    for (const [format, contentType] of [
      ['bundle', 'text/csv'],
      ['csv', 'application/json'],
      ['ctgov', 'text/plain'],
      [undefined, 'application/xml'],
    ] as const) {
      const res = await postImport(t, { format, body: '{}', contentType });
      expect(res.statusCode, `${format} as ${contentType}`).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('413 over IMPORT_BODY_LIMIT_BYTES, which is the route’s own limit', async () => {
    const small = await importApp({ IMPORT_BODY_LIMIT_BYTES: 1_000, BODY_LIMIT_BYTES: 100_000 });
    try {
      const res = await postImport(small, { format: 'bundle', body: bundle() });
      expect(JSON.stringify(bundle()).length).toBeGreaterThan(1_000);
      expect(res.statusCode).toBe(413);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(rowCounts(small.db).trials).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('accepts a body larger than BODY_LIMIT_BYTES on /imports only', async () => {
    const big = await importApp({ BODY_LIMIT_BYTES: 1_000 });
    try {
      expect(await importOk(big, { format: 'bundle', body: bundle() })).toMatchObject({ created: 3 });
      const post = await big.app.inject({
        method: 'POST',
        url: '/trials',
        headers: { ...big.editor, 'content-type': 'application/json' },
        payload: JSON.stringify({ ...trialBody(), title: 'x'.repeat(1_000) }),
      });
      expect(post.statusCode).toBe(413);
    } finally {
      await big.close();
    }
  });

  it('400 for an unknown format', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/imports?format=xml',
      headers: { ...t.editor, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(400);
  });
});
