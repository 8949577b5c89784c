import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/schemas/trial';
import { trialBody } from '../helpers/trial-fixtures';
import { expectProblem, rowCounts } from '../writes/support';
import { type ImportTestApp, importApp, importOk, importRefused, readText, SYNTHETIC_CTGOV } from './support';

// Issue 11 item 16: a result whose 95% CI does not contain its mean is refused on every write path
// (400 naming the field), while a ClinicalTrials.gov import keeps the record without that CI.
let t: ImportTestApp;
beforeEach(async () => {
  t = await importApp();
});
afterEach(() => t.close());

/** Made-up test data: mean 3.4 with the 95% CI given. */
const bmd = (ciLower: number, ciUpper: number) =>
  ({
    armLabel: 'Cells',
    site: 'LUMBAR_SPINE',
    metric: 'PERCENT_CHANGE',
    method: 'DXA',
    timepointMonths: 12,
    n: 20,
    mean: 3.4,
    ciLower,
    ciUpper,
  }) as const;
const bodyWith = (ciLower: number, ciUpper: number) => trialBody({ bmdResults: [bmd(ciLower, ciUpper)] });

describe('a 95% CI that does not contain the mean', () => {
  it.each([
    ['above the mean', 3.5, 5, '/bmdResults/0/ciLower'],
    ['below the mean', 1, 3.3, '/bmdResults/0/ciUpper'],
  ])('POST /trials refuses a CI %s with 400 naming the bound', async (_label, lo, hi, path) => {
    const before = rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: t.editor,
      payload: bodyWith(lo, hi),
    });
    const problem = expectProblem(res, 400);
    expect(problem.errors).toEqual([
      { path, message: expect.stringContaining('does not contain the mean (3.4)') },
    ]);
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('accepts a CI whose bound equals the mean, and PUT refuses an edit that moves the mean outside', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: t.editor,
      payload: bodyWith(3.4, 5),
    });
    expect(created.statusCode, created.body).toBe(201);
    const trial = created.json() as Trial;
    const edited = { ...trial, bmdResults: [{ ...trial.bmdResults[0], mean: 6 }] };
    const res = await t.app.inject({
      method: 'PUT',
      url: `/trials/${trial.id}`,
      headers: { ...t.editor, 'if-match': created.headers.etag as string },
      payload: edited,
    });
    expect(expectProblem(res, 400).errors?.map((e) => e.path)).toEqual(['/bmdResults/0/ciUpper']);
  });

  it('a bundle import refuses the record, naming the field', async () => {
    const problem = await importRefused(t, { format: 'bundle', body: { trials: [bodyWith(3.5, 5)] } });
    expect(problem.rejected).toEqual([
      expect.objectContaining({
        index: 0,
        path: '/bmdResults/0/ciLower',
        message: expect.stringContaining('3.4'),
      }),
    ]);
  });

  it('a CSV import refuses the row, naming the field', async () => {
    const csv = [
      'registryIds,trialTitle,studyType,overallStatus,provenanceKind,provenanceSources,armLabel,armType,cellSource,cellType,donor,route,site,metric,method,timepointMonths,n,mean,ciLower,ciUpper',
      'NCT90000555,Test data: CI outside,INTERVENTIONAL,COMPLETED,USER,test,Cells,EXPERIMENTAL,BONE_MARROW,MSC,AUTOLOGOUS,INTRAVENOUS,LUMBAR_SPINE,PERCENT_CHANGE,DXA,12,20,3.4,3.5,5',
    ].join('\r\n');
    const problem = await importRefused(t, { format: 'csv', body: `${csv}\r\n` });
    expect(problem.rejected.map((r) => r.message).join(' ')).toContain('does not contain the mean (3.4)');
    expect(problem.rejected.map((r) => r.path).join(' ')).toMatch(/ciLower/);
  });

  it('a ClinicalTrials.gov import keeps the record, drops that CI and warns', async () => {
    // SYNTHETIC record NCT99999903: the stem-cell arm's QCT LS-mean 4.8 (95% CI 1.2 to 8.4) is
    // edited to 9.0, outside its CI.
    const text = readText(SYNTHETIC_CTGOV, 'NCT99999903.json');
    const edited = text.replace(/"value": "4\.8"(,\s*"lowerLimit": "1\.2")/, '"value": "9.0"$1');
    expect(edited).not.toBe(text);
    const report = await importOk(t, { format: 'ctgov', body: edited });
    expect(report.created).toBe(1);
    const warning = report.warnings.find((w) => w.code === 'BMD_CI_EXCLUDES_MEAN');
    expect(warning?.message).toContain('95% CI 1.2 to 8.4 does not contain the value 9');
    const id = report.records[0]?.id as string;
    const trial = (await t.app.inject({ url: `/trials/${id}` })).json() as Trial;
    const qct = trial.bmdResults.find((r) => r.method === 'QCT' && r.mean === 9);
    expect(qct).toMatchObject({ ciLower: null, ciUpper: null, sd: null, se: null, sdEffective: null });
  });
});
