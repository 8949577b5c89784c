import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../seed/load-seed';
import { filtersFrom } from '../../src/analysis/params';
import { runBmdChange } from '../../src/analysis/summaries/bmd-change';
import { carriedSelection } from '../../src/analysis/summaries/bmd-change-carried';
import { BmdChangeQuery } from '../../src/analysis/summaries/schemas';
import { TrialInput } from '../../src/schemas/trial-input';
import { deleteTrial, insertTrial, updateTrial } from '../../src/store/trial-store';
import { freshDb } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from '../meta-analyses/catalogue';

type TestDb = ReturnType<typeof freshDb>;

/**
 * The summary reads each result's trial status, population and provenance and its arm's cell
 * source and route from copies on the result, and which result it reads per arm and key (without
 * a timepoint window) from change_pick: both must agree with the source rows, the choice with the
 * ranking the summary's query does.
 */
function resultsOutOfStep(db: TestDb) {
  return db.$client
    .prepare(
      `SELECT r.id FROM bmd_results r JOIN trials t ON t.id = r.trial_id JOIN arms a ON a.id = r.arm_id
       WHERE r.trial_status IS NOT t.overall_status OR r.trial_population IS NOT t.population
          OR r.trial_provenance IS NOT t.provenance_kind OR r.arm_cell_source IS NOT a.cell_source
          OR r.arm_route IS NOT a.route
          OR r.change_pick IS NOT (r.id IN (
            SELECT id FROM (
              SELECT id, row_number() OVER (
                PARTITION BY arm_id, site, metric, method, statistic
                ORDER BY timepoint_months DESC, sd IS NULL, sd_effective IS NULL, id
              ) AS pick
              FROM bmd_results WHERE timepoint_months > 0
            ) WHERE pick = 1))`,
    )
    .pluck()
    .all();
}

const picked = (db: TestDb) =>
  db.$client.prepare('SELECT count(*) FROM bmd_results WHERE change_pick = 1').pluck().get() as number;

const resultCount = (db: TestDb) =>
  db.$client.prepare('SELECT count(*) FROM bmd_results').pluck().get() as number;
const ctx = { changedBy: 'test', channel: 'API' as const };

/**
 * Made-up trials (test data) covering what the summary's answer depends on: several timepoints
 * per arm, a zero SD (its arm named by label), a median-only result, control arms, two
 * statuses, populations and provenance kinds.
 */
function catalogue(db: TestDb) {
  addTrials(db, [
    testTrial('A', {
      population: 'POSTMENOPAUSAL',
      arms: [cellArm('Cells', { participants: 12 }), controlArm('Placebo')],
      bmdResults: [
        result('Cells', 12, 1, 1, { timepointMonths: 6 }),
        result('Cells', 12, 2.5, 1.2, { timepointMonths: 12 }),
        result('Cells', 12, 2.5, null, { timepointMonths: 12, sd: null, se: 0.4 }),
        result('Placebo', 12, -0.5, 1),
      ],
    }),
    testTrial('B', {
      population: 'POSTMENOPAUSAL',
      arms: [
        cellArm('Marrow cells'),
        cellArm('Cord cells', { cellSource: 'UMBILICAL_CORD', route: 'INTRAOSSEOUS' }),
      ],
      bmdResults: [
        result('Marrow cells', 20, 3, 0),
        result('Cord cells', 18, 4, 2),
        result('Cord cells', 18, 1.5, 0.5, { site: 'FEMORAL_NECK', statistic: 'MEDIAN' }),
      ],
      provenance: { kind: 'ILLUSTRATIVE', sources: ['made up for a test'] },
    }),
    testTrial('C', {
      population: 'MALE',
      overallStatus: 'TERMINATED',
      arms: [cellArm('Cells', { cellSource: 'ADIPOSE' })],
      bmdResults: [
        result('Cells', 9, 1.8, 0.9),
        result('Cells', 9, 0.02, 0.01, { metric: 'ABSOLUTE_CHANGE' }),
      ],
    }),
  ]);
}

describe("a result's trial and arm keys carried on it", () => {
  it('are written with every trial, in step with its rows', () => {
    const db = freshDb();
    loadSeed(db);
    catalogue(db);
    expect(picked(db)).toBeGreaterThan(0);
    expect(picked(db)).toBeLessThan(resultCount(db));
    expect(resultsOutOfStep(db)).toEqual([]);
  });

  it('follow an update of the trial and leave with a deleted one', () => {
    const db = freshDb();
    const body = testTrial('D', { arms: [cellArm('Cells')], bmdResults: [result('Cells', 10, 1, 1)] });
    const trial = insertTrial(db, TrialInput.parse(body), ctx);
    const changed = {
      ...body,
      overallStatus: 'TERMINATED',
      population: 'MALE',
      arms: [cellArm('Cells', { cellSource: 'ADIPOSE', route: 'INTRAOSSEOUS' })],
    };
    updateTrial(db, trial.id, TrialInput.parse(changed), ctx);
    expect(
      db.$client
        .prepare(
          'SELECT trial_status AS status, trial_population AS population, arm_cell_source AS cellSource, arm_route AS route FROM bmd_results',
        )
        .all(),
    ).toEqual([{ status: 'TERMINATED', population: 'MALE', cellSource: 'ADIPOSE', route: 'INTRAOSSEOUS' }]);
    deleteTrial(db, trial.id, ctx);
    expect(resultCount(db)).toBe(0);
  });

  it('are rebuilt from the trial and arm rows by the migration that adds them', () => {
    const db = freshDb();
    loadSeed(db);
    db.$client.exec(
      'UPDATE bmd_results SET trial_status = NULL, trial_population = NULL, trial_provenance = NULL, arm_cell_source = NULL, arm_route = NULL, change_pick = 0',
    );
    expect(resultsOutOfStep(db).length).toBe(resultCount(db));
    const folder = new URL('../../migrations/', import.meta.url);
    for (const suffix of ['_bmd_change_keys_backfill.sql', '_bmd_change_pick_backfill.sql']) {
      const backfill = readdirSync(folder).find((f) => f.endsWith(suffix)) as string;
      for (const statement of readFileSync(new URL(backfill, folder), 'utf8').split(
        '--> statement-breakpoint',
      ))
        db.$client.exec(statement);
    }
    expect(resultsOutOfStep(db)).toEqual([]);
  });
});

describe('the BMD-change summary read from the carried keys', () => {
  const db = freshDb();
  loadSeed(db);
  catalogue(db);
  const pairs = db.$client
    .prepare('SELECT DISTINCT overall_status AS status, population FROM trials ORDER BY 1, 2')
    .all() as { status: string; population: string }[];
  const questions = pairs.flatMap(({ status, population }) =>
    ['', '&groupBy=cellSource', '&groupBy=route,provenance&cellSource=BONE_MARROW,UMBILICAL_CORD'].map(
      (extra) => `status=${status}&population=${population}${extra}`,
    ),
  );
  // Two statuses and populations at once, and a timepoint window that changes which result is chosen.
  questions.push(
    'status=COMPLETED,TERMINATED&population=POSTMENOPAUSAL,MALE&groupBy=cellSource&timepointMax=6',
  );

  const parse = (query: string) => BmdChangeQuery.parse(Object.fromEntries(new URLSearchParams(query)));

  it('answers exactly as the query over the trial and arm rows does', () => {
    expect(pairs.length).toBeGreaterThan(2);
    for (const query of questions) {
      const carried = parse(query);
      // hasBmdResults=true selects the same trials (each has the results summarised) but is not carried.
      const joined = parse(`${query}&hasBmdResults=true`);
      const { groupBy, test, ...rest } = carried;
      const filters = filtersFrom(rest);
      expect(carriedSelection(filters, filters, groupBy ?? []), query).not.toBeNull();
      expect(runBmdChange(db, carried), query).toEqual(runBmdChange(db, joined));
    }
  });

  it('names an arm with an SD of 0 by its label, and counts median-only results', () => {
    const answer = runBmdChange(
      db,
      parse('status=COMPLETED&population=POSTMENOPAUSAL&provenance=ILLUSTRATIVE'),
    );
    const codes = answer.warnings.map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['ZERO_SD_EXCLUDED', 'MEDIAN_NOT_POOLED']));
    expect(answer.warnings.find((w) => w.code === 'ZERO_SD_EXCLUDED')?.message).toContain(
      'arm “Marrow cells”',
    );
  });
});
