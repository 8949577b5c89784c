import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BMD_RESULT_CSV_COLUMNS } from '../../src/csv/bmd-result-csv';
import type { Trial } from '../../src/schemas/trial';
import { exportCsv, type ImportTestApp, importApp, importOk, rowCounts } from './support';

// Made-up rows (test data), written out as text so the cells are exactly what R or a person writes.
let t: ImportTestApp;
beforeEach(async () => {
  t = await importApp();
});
afterEach(() => t.close());

const header = BMD_RESULT_CSV_COLUMNS.join(',');
/** One row of the export's columns, from the named cells; every other cell is `NA`. */
function line(cells: Record<string, string>): string {
  return BMD_RESULT_CSV_COLUMNS.map((c) => cells[c] ?? 'NA').join(',');
}
const trialCells = {
  registryIds: 'NCT90000300',
  trialTitle: 'Missing values trial',
  studyType: 'INTERVENTIONAL',
  overallStatus: 'COMPLETED',
  population: 'POSTMENOPAUSAL',
  provenanceKind: 'USER',
  provenanceSources: 'https://doi.org/10.0000/na-test',
};
const cellArmCells = {
  armLabel: 'Cells',
  armType: 'EXPERIMENTAL',
  cellSource: 'BONE_MARROW',
  cellType: 'MSC',
  donor: 'AUTOLOGOUS',
  route: 'INTRAVENOUS',
};
const resultCells = {
  site: 'LUMBAR_SPINE',
  metric: 'PERCENT_CHANGE',
  method: 'DXA',
  statistic: 'MEAN',
  timepointMonths: '12',
  n: '18',
  mean: '2.4',
};

const byRegistryId = async (registryId: string) =>
  ((await t.app.inject({ url: `/trials?registryId=${registryId}` })).json().data as Trial[])[0] as Trial;

describe('CSV import of NA and NOT_APPLICABLE', () => {
  it('reads NOT_APPLICABLE as the phase NA, and NA or an empty cell as missing', async () => {
    const body = [
      header,
      line({ ...trialCells, ...cellArmCells, ...resultCells, phases: 'NOT_APPLICABLE', sd: 'NA', se: '0.2' }),
      line({
        ...trialCells,
        ...resultCells,
        phases: 'NOT_APPLICABLE',
        armLabel: 'Placebo',
        armType: 'PLACEBO_COMPARATOR',
        participants: '',
        comparator: 'PLACEBO',
        sd: '1.1',
        note: 'NA',
      }),
    ].join('\r\n');
    await importOk(t, { format: 'csv', body });
    const trial = await byRegistryId('NCT90000300');
    expect(trial.phases).toEqual(['NA']);
    expect(trial.arms.map((a) => [a.label, a.participants, a.cellSource, a.comparator])).toEqual([
      ['Cells', null, 'BONE_MARROW', null],
      ['Placebo', null, null, 'PLACEBO'],
    ]);
    expect(trial.bmdResults.map((r) => [r.sd, r.se, r.note])).toEqual([
      [null, 0.2, null],
      [1.1, null, null],
    ]);
  });

  it('reads a phases cell of NA as no phases', async () => {
    const body = [
      header,
      line({ ...trialCells, ...cellArmCells, ...resultCells, phases: 'NA', sd: '1' }),
    ].join('\r\n');
    await importOk(t, { format: 'csv', body });
    expect((await byRegistryId('NCT90000300')).phases).toEqual([]);
  });

  it('an export with NOT_APPLICABLE and NA cells loads into a fresh catalogue as it was, and re-imports unchanged', async () => {
    const body = [
      header,
      line({
        ...trialCells,
        ...cellArmCells,
        ...resultCells,
        phases: 'PHASE2;NOT_APPLICABLE',
        se: '0.05',
        n: '49',
      }),
    ].join('\r\n');
    await importOk(t, { format: 'csv', body });
    const exported = await exportCsv(t.app);
    expect(exported).toContain(',PHASE2;NOT_APPLICABLE,');
    const fresh = await importApp();
    try {
      expect(await importOk(fresh, { format: 'csv', body: exported })).toMatchObject({
        created: 1,
        warnings: [],
      });
      const copy = (
        (await fresh.app.inject({ url: '/trials?registryId=NCT90000300' })).json().data as Trial[]
      )[0];
      expect(copy?.phases).toEqual(['PHASE2', 'NA']);
      expect(copy?.bmdResults[0]).toMatchObject({ sd: null, se: 0.05, ciLower: null, sdSource: 'FROM_SE' });
    } finally {
      await fresh.close();
    }
    const before = rowCounts(t.db);
    expect(await importOk(t, { format: 'csv', body: exported })).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 1,
      warnings: [],
    });
    expect(rowCounts(t.db)).toEqual(before);
  });
});
