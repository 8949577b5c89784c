import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSeed } from '../../seed/load-seed';
import { BMD_RESULT_CSV_COLUMNS } from '../../src/csv/bmd-result-csv';
import { type CsvValue, toCsv } from '../../src/csv/write-csv';
import type { Trial } from '../../src/schemas/trial';
import {
  allResultRows,
  exportCsv,
  type ImportTestApp,
  importApp,
  importOk,
  importRefused,
  rowCounts,
} from './support';

let t: ImportTestApp;
beforeEach(async () => {
  t = await importApp();
});
afterEach(() => t.close());

type Row = Record<string, CsvValue>;

/** One made-up result row of a new registered trial (not real data); tests change what they need. */
function row(overrides: Row = {}): Row {
  return {
    registryIds: 'NCT90000100',
    trialTitle: 'CSV trial',
    studyType: 'INTERVENTIONAL',
    overallStatus: 'COMPLETED',
    phases: 'PHASE1;PHASE2',
    population: 'POSTMENOPAUSAL',
    provenanceKind: 'USER',
    provenanceSources: 'https://doi.org/10.0000/csv-test',
    armLabel: 'Cells',
    armType: 'EXPERIMENTAL',
    participants: 20,
    cellSource: 'ADIPOSE',
    cellType: 'MSC',
    donor: 'AUTOLOGOUS',
    route: 'INTRAVENOUS',
    site: 'LUMBAR_SPINE',
    metric: 'PERCENT_CHANGE',
    method: 'DXA',
    statistic: 'MEAN',
    timepointMonths: 12,
    n: 18,
    mean: 2.4,
    sd: 1.1,
    note: 'made up',
    ...overrides,
  };
}

const controlArm: Row = {
  armLabel: 'Placebo',
  armType: 'PLACEBO_COMPARATOR',
  participants: 19,
  cellSource: null,
  cellType: null,
  donor: null,
  route: null,
  comparator: 'PLACEBO',
};

const csv = (rows: Row[], columns: readonly string[] = BMD_RESULT_CSV_COLUMNS) => toCsv(columns, rows);

const byRegistryId = async (registryId: string) =>
  ((await t.app.inject({ url: `/trials?registryId=${registryId}` })).json().data as Trial[])[0] as Trial;

describe('POST /imports?format=csv', () => {
  it('creates a trial, its arms and results from the rows’ columns', async () => {
    const body = csv([
      row(),
      row({ site: 'FEMORAL_NECK', mean: 1.2 }),
      row({ ...controlArm, mean: 0.3, n: 17 }),
    ]);
    const report = await importOk(t, { format: 'csv', body });
    const trialId = (await byRegistryId('NCT90000100')).id;
    expect(report).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      records: [{ index: 0, id: trialId, title: 'CSV trial', outcome: 'CREATED' }],
      rejected: [],
      rejectedTotal: 0,
      rejectedByCode: {},
      complete: true,
      warnings: [],
      warningsTotal: 0,
      warningsByCode: {},
      dryRun: false,
      rows: { added: 3, unchanged: 0 },
    });
    const trial = await byRegistryId('NCT90000100');
    expect(trial).toMatchObject({
      title: 'CSV trial',
      phases: ['PHASE1', 'PHASE2'],
      population: 'POSTMENOPAUSAL',
      provenance: { kind: 'USER', sources: ['https://doi.org/10.0000/csv-test'] },
    });
    expect(trial.arms.map((a) => [a.label, a.type, a.participants, a.cellSource, a.comparator])).toEqual([
      ['Cells', 'EXPERIMENTAL', 20, 'ADIPOSE', null],
      ['Placebo', 'PLACEBO_COMPARATOR', 19, null, 'PLACEBO'],
    ]);
    expect(trial.bmdResults).toHaveLength(3);
    expect(rowCounts(t.db)).toMatchObject({ trials: 1, arms: 2, bmd_results: 3 });
  });

  it('re-importing the same file changes nothing', async () => {
    const body = csv([row(), row({ ...controlArm, mean: 0.3, n: 17 })]);
    await importOk(t, { format: 'csv', body });
    const before = rowCounts(t.db);
    expect(await importOk(t, { format: 'csv', body })).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 1,
      rows: { added: 0, unchanged: 2 },
    });
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('adds new results and arms to a stored trial as one new revision; identical rows are unchanged', async () => {
    await importOk(t, { format: 'csv', body: csv([row()]) });
    const stored = await byRegistryId('NCT90000100');
    const more = csv([
      row(), // identical to the stored result
      row({ timepointMonths: 24, mean: 3.1, n: 16 }), // new result of the stored arm
      row({ trialId: stored.id, registryIds: '', ...controlArm, mean: 0.2, n: 19 }), // a new arm, by trialId
      row({ note: 'another note' }), // the note is not part of a result's identity
    ]);
    const report = await importOk(t, { format: 'csv', body: more });
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 0, rows: { added: 2, unchanged: 2 } });
    const after = await byRegistryId('NCT90000100');
    expect(after.version).toBe(2);
    expect(after.arms.map((a) => a.label)).toEqual(['Cells', 'Placebo']);
    expect(after.arms[0]?.id).toBe(stored.arms[0]?.id);
    expect(after.bmdResults).toHaveLength(3);
  });

  it('never edits a stored trial or arm from the rows, and warns when their columns differ', async () => {
    await importOk(t, { format: 'csv', body: csv([row()]) });
    const report = await importOk(t, {
      format: 'csv',
      body: csv([row({ overallStatus: 'TERMINATED', participants: 25 })]),
    });
    expect(report).toMatchObject({ unchanged: 1, rows: { added: 0, unchanged: 1 } });
    expect(report.warnings.map((w) => w.code)).toEqual(['CSV_TRIAL_FIELD_KEPT', 'CSV_ARM_FIELD_KEPT']);
    expect(report.warnings[0]).toMatchObject({
      index: 0,
      message: expect.stringMatching(/^line 2: overallStatus/),
    });
    expect(await byRegistryId('NCT90000100')).toMatchObject({ overallStatus: 'COMPLETED', version: 1 });
  });

  it('a trialId not in the catalogue is kept as the new trial’s id', async () => {
    await importOk(t, { format: 'csv', body: csv([row({ trialId: 'tr_from_csv', registryIds: '' })]) });
    const res = await t.app.inject({ url: '/trials/tr_from_csv' });
    expect(res.statusCode).toBe(200);
  });

  it('dryRun reports the same and writes nothing', async () => {
    const body = csv([row(), row({ ...controlArm, mean: 0.3, n: 17 })]);
    const before = rowCounts(t.db);
    const dry = await importOk(t, { format: 'csv', dryRun: true, body });
    expect(rowCounts(t.db)).toEqual(before);
    const real = await importOk(t, { format: 'csv', body });
    // The same report, except that a dry run cannot name the id it would assign.
    expect({ ...real, records: real.records.map((r) => ({ ...r, id: null })), dryRun: true }).toEqual(dry);
  });

  it('reads the columns in any order, ignores read-only ones, accepts a BOM and text/csv parameters', async () => {
    const columns = [...BMD_RESULT_CSV_COLUMNS].reverse();
    const body = `\ufeff${csv([row({ id: 'res_ignored', sdEffective: 99, sdSource: 'REPORTED' })], columns)}`;
    const report = await importOk(t, { body, contentType: 'text/csv; charset=utf-8; header=present' });
    expect(report).toMatchObject({ created: 1, rows: { added: 1, unchanged: 0 } });
    expect((await byRegistryId('NCT90000100')).bmdResults[0]).toMatchObject({ sdEffective: 1.1 });
  });
});

describe('CSV export → import', () => {
  it('an export loads into a fresh catalogue with the same results, and re-imports unchanged in both', async () => {
    loadSeed(t.db);
    const exported = await exportCsv(t.app);
    // A CSV row carries no references, and a PUBLICATION trial needs one: such trials cannot be
    // created from the export, so the fresh catalogue is given them first, without their results.
    const listed = await t.app.inject({ url: '/trials?provenance=PUBLICATION&hasBmdResults=true&limit=500' });
    const published = (listed.json() as { data: Trial[] }).data;
    expect(published.length).toBeGreaterThan(0);
    const fresh = await importApp();
    try {
      const refused = await importRefused(fresh, { format: 'csv', body: exported });
      expect(refused.rejected.map((r) => [r.column, r.code])).toEqual(
        published.map(() => ['provenanceKind', 'INVALID_FIELD']),
      );
      expect(refused.rejected[0]?.message).toMatch(
        /PUBLICATION needs a reference.*a CSV row carries no references/,
      );
      expect(rowCounts(fresh.db).trials).toBe(0);
      await importOk(fresh, {
        format: 'bundle',
        body: { trials: published.map((trial) => ({ ...trial, bmdResults: [] })) },
      });
      const report = await importOk(fresh, { format: 'csv', body: exported });
      const withResults = t.db.$client
        .prepare('SELECT count(*) FROM trials WHERE has_bmd_results = 1')
        .pluck()
        .get() as number;
      const results = rowCounts(t.db).bmd_results as number;
      expect(report).toMatchObject({
        created: withResults - published.length,
        updated: published.length,
        unchanged: 0,
        rows: { added: results, unchanged: 0 },
      });
      expect(report.warnings).toEqual([]);
      expect(await allResultRows(fresh.app)).toEqual(await allResultRows(t.app));

      const freshBefore = rowCounts(fresh.db);
      expect(await importOk(fresh, { format: 'csv', body: exported })).toMatchObject({
        created: 0,
        updated: 0,
        unchanged: withResults,
      });
      expect(rowCounts(fresh.db)).toEqual(freshBefore);
    } finally {
      await fresh.close();
    }
    const before = rowCounts(t.db);
    const again = await importOk(t, { format: 'csv', body: exported });
    expect(again).toMatchObject({ created: 0, updated: 0, warnings: [] });
    expect(again.rows?.added).toBe(0);
    expect(rowCounts(t.db)).toEqual(before);
  });
});

describe('CSV problems: every one listed by row and column, nothing written', () => {
  it('lists bad cells and values out of vocabulary by line and column', async () => {
    await importOk(t, { format: 'csv', body: csv([row({ registryIds: 'NCT90000200' })]) });
    const before = rowCounts(t.db);
    const body = csv([
      row(),
      row({ mean: 'about 3', site: 'SKULL' }),
      row({ cellSource: 'MOON_ROCK', timepointMonths: -1 }),
      row({ registryIds: '', trialId: '' }),
    ]);
    const problem = await importRefused(t, { format: 'csv', body });
    expect(problem.rejected.map((r) => [r.index, r.line, r.column])).toEqual([
      [1, 3, 'mean'],
      [1, 3, 'site'],
      [2, 4, 'cellSource'],
      [2, 4, 'timepointMonths'],
      [3, 5, 'trialId'],
    ]);
    expect(problem.rejected[0]).toMatchObject({
      path: '/mean',
      message: 'line 3, column mean: "about 3" is not a number',
    });
    expect(problem.errors?.[0]).toMatchObject({ path: '/1/mean' });
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('lists missing and unknown columns', async () => {
    const columns = BMD_RESULT_CSV_COLUMNS.filter((c) => c !== 'mean' && c !== 'site');
    const body = csv([row()], [...columns, 'colour']).replace('colour', 'colour');
    const problem = await importRefused(t, { format: 'csv', body });
    expect(problem.rejected.map((r) => r.column).sort()).toEqual(['colour', 'mean', 'site']);
    expect(problem.rejected.every((r) => r.line === 1 && r.index === null)).toBe(true);
  });

  it('lists malformed records with their lines', async () => {
    const good = csv([row()]);
    const body = `${good}"unterminated,1\r\n`;
    const short = `${good}a,b\r\n`;
    const p1 = await importRefused(t, { format: 'csv', body });
    expect(p1.rejected[0]?.message).toMatch(/malformed CSV: Quote Not Closed/);
    const p2 = await importRefused(t, { format: 'csv', body: short });
    expect(p2.rejected[0]).toMatchObject({
      index: null,
      line: 3,
      message: expect.stringMatching(/malformed CSV/),
    });
    expect(rowCounts(t.db).trials).toBe(0);
  });

  it('refuses an empty file', async () => {
    expect((await importRefused(t, { format: 'csv', body: '' })).rejected[0]?.message).toMatch(/empty/);
  });

  it('names the column whose value breaks a rule of the assembled trial', async () => {
    const body = csv([row({ n: 25 }), row({ armLabel: 'Other', armType: '', site: 'TOTAL_HIP' })]);
    const problem = await importRefused(t, { format: 'csv', body });
    expect(problem.rejected.map((r) => [r.line, r.column])).toEqual([[3, 'armType']]);
    const tooMany = await importRefused(t, { format: 'csv', body: csv([row({ n: 25 })]) });
    expect(tooMany.rejected).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'n',
        message: expect.stringMatching(/exceeds the arm's participants/),
      }),
    ]);
  });

  it('refuses rows of one new trial that disagree, and a new trial without its columns', async () => {
    const body = csv([row(), row({ trialTitle: 'Another title', site: 'TOTAL_HIP' })]);
    const problem = await importRefused(t, { format: 'csv', body });
    expect(problem.rejected).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'trialTitle',
        message: expect.stringMatching(/differs from line 2/),
      }),
    ]);
    const bare = await importRefused(t, {
      format: 'csv',
      body: csv([row({ trialTitle: '', studyType: '' })]),
    });
    expect(bare.rejected.map((r) => r.column)).toEqual(['trialTitle', 'studyType']);
  });

  it('refuses one registry id given to two new trials in one file', async () => {
    const body = csv([row({ trialId: 'tr_a' }), row({ trialId: 'tr_b' })]);
    const problem = await importRefused(t, { format: 'csv', body });
    expect(problem.rejected).toEqual([
      expect.objectContaining({
        index: 1,
        column: 'registryIds',
        message: expect.stringMatching(/NCT90000100.*tr_a/),
      }),
    ]);
    expect(rowCounts(t.db).trials).toBe(0);
  });

  it('refuses a row whose registry id belongs to another trial than its trialId', async () => {
    await importOk(t, { format: 'csv', body: csv([row()]) });
    const before = rowCounts(t.db);
    const problem = await importRefused(t, { format: 'csv', body: csv([row({ trialId: 'tr_elsewhere' })]) });
    expect(problem.rejected[0]).toMatchObject({
      column: 'registryIds',
      message: expect.stringMatching(/not to trial tr_elsewhere/),
    });
    expect(rowCounts(t.db)).toEqual(before);
  });
});
