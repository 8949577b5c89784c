import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/schemas/trial';
import { trialBody } from '../helpers/trial-fixtures';
import { keyHeader } from '../writes/support';
import {
  type ImportTestApp,
  importApp,
  importOk,
  importRefused,
  readText,
  rowCounts,
  SYNTHETIC_CTGOV,
} from './support';

// Made-up trials (test data): registry ids in the unassigned NCT9… range.
let t: ImportTestApp;
beforeEach(async () => {
  t = await importApp();
});
afterEach(() => t.close());

type Body = ReturnType<typeof trialBody>;
const registryBody = (over: Partial<Body> = {}) =>
  trialBody({
    registryIds: ['NCT90002001'],
    provenance: { kind: 'REGISTRY', sources: ['test record, not a real registry page'] },
    ...over,
  });

async function create(body: Body, headers = t.editor): Promise<Trial> {
  const res = await t.app.inject({ method: 'POST', url: '/trials', headers, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Trial;
}
const read = async (id: string) => (await t.app.inject({ url: `/trials/${id}` })).json() as Trial;
async function revisions(id: string) {
  const res = await t.app.inject({ url: `/trials/${id}/revisions` });
  return (res.json() as { data: { version: number; channel: string; note: string | null }[] }).data;
}

describe('an import never changes a stored trial’s provenance kind', () => {
  it('a bundle keeps the stored kind, writes the rest, and warns PROVENANCE_KIND_KEPT naming both kinds', async () => {
    const stored = await create(registryBody());
    const report = await importOk(t, {
      format: 'bundle',
      body: {
        trials: [registryBody({ title: 'Retitled', provenance: { kind: 'USER', sources: ['mine'] } })],
      },
    });
    expect(report).toMatchObject({ updated: 1, created: 0 });
    expect(report.warnings).toEqual([
      {
        index: 0,
        code: 'PROVENANCE_KIND_KEPT',
        message: expect.stringMatching(
          new RegExp(`^trial ${stored.id} stays provenance kind REGISTRY; the record says USER`),
        ),
      },
    ]);
    expect(await read(stored.id)).toMatchObject({
      title: 'Retitled',
      version: 2,
      provenance: { kind: 'REGISTRY', sources: ['mine'] },
    });
  });

  it('a record that differs only in its kind is unchanged', async () => {
    const stored = await create(registryBody());
    const report = await importOk(t, {
      format: 'bundle',
      body: { trials: [{ ...stored, provenance: { ...stored.provenance, kind: 'USER' } }] },
    });
    expect(report).toMatchObject({ updated: 0, unchanged: 1 });
    expect(report.warnings.map((w) => w.code)).toEqual(['PROVENANCE_KIND_KEPT']);
    expect((await read(stored.id)).version).toBe(1);
  });

  it('rejects a record that cannot carry the kind it keeps, saying why', async () => {
    const stored = await create(registryBody());
    const before = rowCounts(t.db);
    const userRecord = trialBody({ id: stored.id, provenance: { kind: 'USER', sources: ['mine'] } });
    const problem = await importRefused(t, { format: 'bundle', body: { trials: [userRecord] } });
    expect(problem.rejected).toEqual([
      expect.objectContaining({
        code: 'INVALID_FIELD',
        path: '/registryIds',
        message: expect.stringMatching(
          /^the stored kind REGISTRY is kept, and provenance kind REGISTRY needs/,
        ),
      }),
    ]);
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('a ClinicalTrials.gov re-import keeps an admin’s demotion of a registry record to USER', async () => {
    const ctgov = readText(SYNTHETIC_CTGOV, 'NCT99999901.json');
    await importOk(t, { format: 'ctgov', body: ctgov });
    const listed = await t.app.inject({ url: '/trials?registryId=NCT99999901' });
    const imported = (listed.json() as { data: Trial[] }).data[0] as Trial;
    expect(imported.provenance.kind).toBe('REGISTRY');
    const admin = keyHeader(t.db, 'admin-1', 'admin');
    const demoted = await t.app.inject({
      method: 'PUT',
      url: `/trials/${imported.id}`,
      headers: { ...admin, 'if-match': `"v${imported.version}"`, 'x-revision-note': 'outcome data disputed' },
      payload: { ...imported, provenance: { ...imported.provenance, kind: 'USER' } },
    });
    expect(demoted.statusCode, demoted.body).toBe(200);
    const report = await importOk(t, { format: 'ctgov', body: ctgov });
    expect(report.warnings.filter((w) => w.code === 'PROVENANCE_KIND_KEPT')).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/stays provenance kind USER; the record says REGISTRY/),
      }),
    ]);
    expect((await read(imported.id)).provenance.kind).toBe('USER');
  });

  it('a CSV row keeps the stored kind and warns PROVENANCE_KIND_KEPT with its line', async () => {
    const stored = await create(trialBody({ registryIds: ['NCT90002002'] }));
    const body =
      'registryIds,provenanceKind,armLabel,site,metric,timepointMonths,n,mean,sd\r\n' +
      'NCT90002002,REGISTRY,Cells,LUMBAR_SPINE,PERCENT_CHANGE,12,18,2.5,1.1\r\n';
    const report = await importOk(t, { format: 'csv', body });
    expect(report).toMatchObject({ updated: 1, rows: { added: 1, unchanged: 0 } });
    expect(report.warnings).toEqual([
      {
        index: 0,
        code: 'PROVENANCE_KIND_KEPT',
        message: expect.stringMatching(
          new RegExp(`^line 2: trial ${stored.id} stays provenance kind USER; the row says REGISTRY`),
        ),
      },
    ]);
    expect(await read(stored.id)).toMatchObject({ provenance: { kind: 'USER' }, version: 2 });
  });
});

describe('revisions record the channel a write came through', () => {
  it('IMPORT for POST /imports (with its X-Revision-Note), API for PUT /trials/{id}', async () => {
    const report = await importOk(t, {
      format: 'bundle',
      body: { trials: [trialBody({ id: 'tr_channel', title: 'By import' })] },
      headers: { ...t.editor, 'x-revision-note': 'loaded from the curation sheet' },
    });
    expect(report.created).toBe(1);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/trials/tr_channel',
      headers: { ...t.editor, 'if-match': '"v1"' },
      payload: trialBody({ title: 'By hand' }),
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await revisions('tr_channel')).map((r) => [r.version, r.channel, r.note])).toEqual([
      [2, 'API', null],
      [1, 'IMPORT', 'loaded from the curation sheet'],
    ]);
  });
});
