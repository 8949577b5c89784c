import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/schemas/trial';
import { trialBody } from '../helpers/trial-fixtures';
import { type ImportTestApp, importApp, importOk, importRefused, rowCounts } from './support';

// Made-up trials and results (test data), written out as the text a reviewer would type.
let t: ImportTestApp;
let stored: Trial;
beforeEach(async () => {
  t = await importApp();
  const bundle = {
    trials: [
      trialBody({
        id: 'tr_minimal',
        registryIds: ['NCT90000400'],
        title: 'Minimal CSV trial',
        arms: [
          {
            label: 'Cells',
            type: 'EXPERIMENTAL',
            participants: 30,
            cellSource: 'BONE_MARROW',
            cellType: 'MSC',
            donor: 'AUTOLOGOUS',
            route: 'INTRAVENOUS',
          },
          { label: 'Placebo', type: 'PLACEBO_COMPARATOR', participants: 30, comparator: 'PLACEBO' },
        ],
      }),
    ],
  };
  await importOk(t, { format: 'bundle', body: bundle });
  stored = (await t.app.inject({ url: '/trials/tr_minimal' })).json() as Trial;
});
afterEach(() => t.close());

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
const trial = async () => (await t.app.inject({ url: '/trials/tr_minimal' })).json() as Trial;

describe('POST /imports?format=csv with only the result columns', () => {
  it('adds results to a stored trial found by trialId, with method NOT_REPORTED and statistic MEAN', async () => {
    const body = csv(
      'trialId,armLabel,site,metric,timepointMonths,n,mean,sd',
      'tr_minimal,Cells,LUMBAR_SPINE,PERCENT_CHANGE,12,28,3.4,1.9',
      'tr_minimal,Placebo,LUMBAR_SPINE,PERCENT_CHANGE,12,29,0.6,1.7',
    );
    const report = await importOk(t, { format: 'csv', body });
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 0, rows: { added: 2, unchanged: 0 } });
    expect(report.records).toEqual([
      { index: 0, id: 'tr_minimal', title: 'Minimal CSV trial', outcome: 'UPDATED' },
    ]);
    const after = await trial();
    const armOf = (id: string) => after.arms.find((a) => a.id === id)?.label;
    expect(
      after.bmdResults.map((r) => [
        armOf(r.armId),
        r.site,
        r.metric,
        r.method,
        r.statistic,
        r.n,
        r.mean,
        r.sd,
      ]),
    ).toEqual([
      ['Cells', 'LUMBAR_SPINE', 'PERCENT_CHANGE', 'NOT_REPORTED', 'MEAN', 28, 3.4, 1.9],
      ['Placebo', 'LUMBAR_SPINE', 'PERCENT_CHANGE', 'NOT_REPORTED', 'MEAN', 29, 0.6, 1.7],
    ]);
    // The trial and its arms are as they were: the rows only added results.
    expect(after.arms).toEqual(stored.arms);
    expect(after.title).toBe(stored.title);
    // Loading the same file again changes nothing.
    expect(await importOk(t, { format: 'csv', body })).toMatchObject({ updated: 0, unchanged: 1 });
  });

  it('finds the trial by a registryId column and takes an SE, or both CI bounds, as the spread', async () => {
    const withSe = csv(
      'registryId,armLabel,site,metric,timepointMonths,n,mean,se',
      'NCT90000400,Cells,FEMORAL_NECK,PERCENT_CHANGE,6,25,1.5,0.4',
    );
    expect(await importOk(t, { format: 'csv', body: withSe })).toMatchObject({ updated: 1 });
    const withCi = csv(
      'registryIds,armLabel,site,metric,timepointMonths,n,mean,ciLower,ciUpper',
      'NCT90000400,Cells,TOTAL_HIP,PERCENT_CHANGE,6,25,1.1,0.3,1.9',
    );
    expect(await importOk(t, { format: 'csv', body: withCi })).toMatchObject({ updated: 1 });
    const results = (await trial()).bmdResults.map((r) => [r.site, r.se, r.ciLower, r.ciUpper, r.sdSource]);
    expect(results).toEqual([
      ['FEMORAL_NECK', 0.4, null, null, 'FROM_SE'],
      ['TOTAL_HIP', null, 0.3, 1.9, 'FROM_CI'],
    ]);
  });

  it('refuses a header without a spread column, or with one CI bound, naming what is needed', async () => {
    const none = await importRefused(t, {
      format: 'csv',
      body: csv(
        'trialId,armLabel,site,metric,timepointMonths,n,mean',
        'tr_minimal,Cells,LUMBAR_SPINE,PERCENT_CHANGE,12,28,3.4',
      ),
    });
    expect(none.rejected).toEqual([
      expect.objectContaining({
        line: 1,
        column: 'sd',
        message: 'header: a spread column is needed: sd, se, or both ciLower and ciUpper',
      }),
    ]);
    const oneBound = await importRefused(t, {
      format: 'csv',
      body: csv(
        'trialId,armLabel,site,metric,timepointMonths,n,mean,ciLower',
        'tr_minimal,Cells,LUMBAR_SPINE,PERCENT_CHANGE,12,28,3.4,1.0',
      ),
    });
    expect(oneBound.rejected.map((r) => r.column)).toEqual(['ciUpper']);
  });

  it('refuses a header that cannot find the rows’ trial', async () => {
    const problem = await importRefused(t, {
      format: 'csv',
      body: csv(
        'armLabel,site,metric,timepointMonths,n,mean,sd',
        'Cells,LUMBAR_SPINE,PERCENT_CHANGE,12,28,3.4,1.9',
      ),
    });
    expect(problem.rejected).toEqual([
      expect.objectContaining({
        column: 'trialId',
        message: expect.stringMatching(/trialId or registryIds/),
      }),
    ]);
  });

  it('creating a trial still needs its trial columns: the rejection names the missing ones', async () => {
    const before = rowCounts(t.db);
    const problem = await importRefused(t, {
      format: 'csv',
      body: csv(
        'registryIds,trialTitle,armLabel,armType,site,metric,timepointMonths,n,mean,sd',
        'NCT90000401,A new trial,Cells,EXPERIMENTAL,LUMBAR_SPINE,PERCENT_CHANGE,12,28,3.4,1.9',
      ),
    });
    expect(problem.rejected.map((r) => r.column)).toEqual(['studyType', 'overallStatus', 'provenanceKind']);
    for (const rejection of problem.rejected)
      expect(rejection.message).toBe(
        'line 2, column ' +
          `${rejection.column}: the trial NCT90000401 is not in the catalogue; creating it needs the columns ` +
          'trialTitle, studyType, overallStatus, provenanceKind, and studyType, overallStatus, provenanceKind are missing',
      );
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('a row naming an arm the stored trial lacks says so and what creating it needs', async () => {
    const problem = await importRefused(t, {
      format: 'csv',
      body: csv(
        'trialId,armLabel,site,metric,timepointMonths,n,mean,sd',
        'tr_minimal,Cell arm,LUMBAR_SPINE,PERCENT_CHANGE,12,28,3.4,1.9',
      ),
    });
    expect(problem.rejected).toEqual([
      expect.objectContaining({
        column: 'armType',
        message:
          'line 2, column armType: trial tr_minimal has no arm labelled "Cell arm" (its arms: "Cells", "Placebo"); ' +
          'creating the arm needs armType',
      }),
    ]);
  });
});
