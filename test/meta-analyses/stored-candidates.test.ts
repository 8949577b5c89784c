import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../seed/load-seed';
import {
  loadArmDoses,
  loadComparisonCandidates,
  subgroupLevel,
} from '../../src/analysis/meta-analysis/candidates';
import { loadStoredCandidates } from '../../src/analysis/meta-analysis/stored-candidates';
import { compareUnits } from '../../src/domain/controlled-comparison';
import { groupIntoUnits } from '../../src/domain/controlled-comparison/trial-units';
import type { Filters } from '../../src/filters/params';
import { TrialInput } from '../../src/schemas/trial-input';
import { deleteTrial, updateTrial } from '../../src/store/trial-store';
import type { Vocab } from '../../src/vocabularies';
import { freshDb } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from './catalogue';
import { madeUpTrials } from './made-up-catalogue';

type TestDb = ReturnType<typeof freshDb>;
type Outcome = Filters & { site: [Vocab<'site'>]; metric: [Vocab<'metric'>] };

const LS: Outcome = { site: ['LUMBAR_SPINE'], metric: ['PERCENT_CHANGE'] };
const FN: Outcome = { site: ['FEMORAL_NECK'], metric: ['PERCENT_CHANGE'] };

/** The questions compared: each filter a reviewer narrows a meta-analysis by, alone and combined. */
const QUERIES: Outcome[] = [
  LS,
  FN,
  { site: ['LUMBAR_SPINE'], metric: ['ABSOLUTE_CHANGE'] },
  { ...LS, allocation: ['RANDOMIZED'] },
  { ...LS, status: ['COMPLETED', 'TERMINATED'] },
  { ...LS, cellSource: ['BONE_MARROW'] },
  { ...LS, cellSource: ['BONE_MARROW'], route: ['INTRAVENOUS'], allocation: ['RANDOMIZED'] },
  { ...FN, cellSource: ['ADIPOSE', 'UMBILICAL_CORD'], route: ['INTRAOSSEOUS'] },
  { ...LS, route: ['INTRAVENOUS'] },
  { ...LS, cellType: ['OTHER'] },
  { ...LS, donor: ['ALLOGENEIC'], status: ['COMPLETED'] },
  { ...LS, comparator: ['STANDARD_CARE'] },
  { ...LS, cellSource: ['BONE_MARROW'], comparator: ['PLACEBO'] },
  { ...LS, method: ['QCT'] },
  { ...LS, method: ['DXA', 'QCT'], cellSource: ['BONE_MARROW'] },
  { ...LS, timepointMin: 12 },
  { ...LS, timepointMax: 6, route: ['INTRAVENOUS'] },
  { ...LS, bmdChangeMin: 1 },
  { ...LS, bmdChangeMax: 0.5, cellSource: ['BONE_MARROW'] },
  { ...LS, phase: ['PHASE1'] },
  { ...LS, country: ['ES'], allocation: ['RANDOMIZED'] },
  { ...LS, riskOfBias: ['NOT_ASSESSED'] },
  { ...LS, provenance: ['ILLUSTRATIVE'] },
  { ...LS, armType: ['PLACEBO_COMPARATOR'] },
  { ...LS, q: 'trial' },
  { ...FN, population: ['POSTMENOPAUSAL'], cellSource: ['BONE_MARROW'] },
];

function byArm(results: readonly { armId: string }[]) {
  const out = new Map<string, unknown[]>();
  for (const r of results) out.set(r.armId, [...(out.get(r.armId) ?? []), r]);
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** How many arms of the trial have no cell source, read from the arm table. */
function nonCellArms(db: TestDb, trialId: string): number {
  return db.$client
    .prepare('SELECT count(*) FROM arms WHERE trial_id = ? AND cell_source IS NULL')
    .pluck()
    .get(trialId) as number;
}

/**
 * Both readings, side by side, for every question: trials, arms, each arm's results in order, doses,
 * units, and what the comparison makes of them. A trial the stored reading leaves out unread (no
 * control arm at all) must have none in the arm table, and is compared only through the exclusion.
 */
function expectSameReading(db: TestDb) {
  let compared = 0;
  let leftOut = 0;
  for (const f of QUERIES) {
    const label = JSON.stringify(f);
    const live = loadComparisonCandidates(db, f, undefined);
    const stored = loadStoredCandidates(db, f);
    expect(stored.trials, label).toEqual(live.trials);
    const unread = new Set(stored.leftOut.map((e) => e.trialId));
    for (const id of unread) expect(nonCellArms(db, id), `${label} ${id}`).toBe(0);
    const read = <T extends { trialId: string }>(rows: readonly T[]) =>
      rows.filter((r) => !unread.has(r.trialId));
    expect(stored.arms, label).toEqual(read(live.arms));
    expect(byArm(stored.results), label).toEqual(byArm(read(live.results)));
    // Gathered trial by trial as the comparison gathers the table rows: each arm's results in order.
    const liveUnits = groupIntoUnits(live.trials, live.arms, live.results);
    expect(stored.units, label).toEqual(liveUnits.filter((u) => !unread.has(u.trial.id)));
    const options = {
      effect: 'MD' as const,
      methods: f.method ?? [],
      subgroupLevel: subgroupLevel(undefined),
    };
    expect(compareUnits(stored.units, options, stored.leftOut), label).toEqual(
      compareUnits(liveUnits, options),
    );
    const doses = loadArmDoses(
      db,
      read(live.arms).map((a) => a.id),
    );
    expect(new Map([...stored.doses].sort()), label).toEqual(new Map([...doses].sort()));
    compared += live.trials.length;
    leftOut += unread.size;
  }
  return { compared, leftOut };
}

/** comparison_inputs as parsed values, keyed by trial, site and metric: the text may differ (number spelling), the values must not. */
function storedInputs(db: TestDb) {
  const rows = db.$client
    .prepare(
      'SELECT site, metric, cell_source AS cellSource, route, trial_id AS trialId, trial_status AS status, ' +
        'trial_allocation AS allocation, control_arms AS controlArms, inputs FROM comparison_inputs ' +
        'ORDER BY site, metric, trial_id, cell_source, route',
    )
    .all() as { inputs: string }[];
  return rows.map((row) => ({ ...row, inputs: JSON.parse(row.inputs) }));
}

function catalogue() {
  const db = freshDb();
  loadSeed(db);
  addTrials(db, madeUpTrials(150));
  return db;
}

describe('comparison inputs kept with each trial', () => {
  it('give a meta-analysis the same candidate rows as the arm and result tables, for every filter', () => {
    const db = catalogue();
    // Every question must select something, or the comparison proves nothing; and the trials with
    // no control arm must be met, or the reading that leaves them unread is not tried.
    const { compared, leftOut } = expectSameReading(db);
    expect(compared).toBeGreaterThan(QUERIES.length * 5);
    expect(leftOut).toBeGreaterThan(QUERIES.length);
    for (const f of QUERIES)
      expect(loadStoredCandidates(db, f).trials.length, JSON.stringify(f)).toBeGreaterThan(0);
  });

  it('read a row whose count of control arms is missing in full, leaving nothing out unread', () => {
    const db = catalogue();
    db.$client.exec('UPDATE comparison_inputs SET control_arms = NULL');
    const { compared, leftOut } = expectSameReading(db);
    expect(compared).toBeGreaterThan(QUERIES.length * 5);
    expect(leftOut).toBe(0);
  });

  it('hold one row per trial, site and metric reported and cell source × route of its cell arms, with the trial’s arms and those results', () => {
    const db = catalogue();
    const outcomes = db.$client
      .prepare('SELECT DISTINCT site, metric, trial_id FROM bmd_results ORDER BY site, metric, trial_id')
      .all() as { site: string; metric: string; trial_id: string }[];
    const armKeys = db.$client.prepare('SELECT cell_source, route FROM arms WHERE trial_id = ?');
    // Under each distinct cell source × route of the trial's cell-therapy arms ('' for no route),
    // or once under ('', '') when it has none.
    const keysOf = (trialId: string) => {
      const keys = new Set<string>();
      for (const a of armKeys.all(trialId) as { cell_source: string | null; route: string | null }[])
        if (a.cell_source !== null) keys.add(`${a.cell_source}|${a.route ?? ''}`);
      return keys.size ? [...keys].sort() : ['|'];
    };
    const expected = outcomes.flatMap((o) =>
      keysOf(o.trial_id).map((key) => `${o.site} ${o.metric} ${o.trial_id} ${key}`),
    );
    const rows = storedInputs(db) as unknown as {
      site: string;
      metric: string;
      cellSource: string;
      route: string;
      trialId: string;
      inputs: unknown;
    }[];
    expect(rows.map((r) => `${r.site} ${r.metric} ${r.trialId} ${r.cellSource}|${r.route}`)).toEqual(
      expected,
    );
    // The made-up trials include some with cell arms of two cell sources or routes.
    expect(rows.length).toBeGreaterThan(outcomes.length);
    const arms = db.$client.prepare(
      `SELECT id, label, cell_source, cell_type, donor, route, comparator, cells_per_kg, cells, administrations
         FROM arms WHERE trial_id = ? ORDER BY position`,
    );
    const results = db.$client.prepare(
      `SELECT id, arm_id, method, statistic, timepoint_months, n, mean, sd, sd_effective, sd_source
         FROM bmd_results WHERE trial_id = ? AND site = ? AND metric = ? ORDER BY method, position`,
    );
    const trial = db.$client.prepare(
      'SELECT title, provenance_kind, risk_of_bias, overall_status, allocation FROM trials WHERE id = ?',
    );
    for (const row of rows) {
      const t = trial.raw().get(row.trialId) as unknown[];
      expect(row.inputs).toEqual([
        t.slice(0, 3),
        arms.raw().all(row.trialId),
        results.raw().all(row.trialId, row.site, row.metric),
      ]);
      expect([
        (row as unknown as { status: unknown }).status,
        (row as unknown as { allocation: unknown }).allocation,
      ]).toEqual(t.slice(3));
      const controlArms = (arms.raw().all(row.trialId) as unknown[][]).filter((a) => a[2] === null).length;
      expect((row as unknown as { controlArms: number }).controlArms).toBe(controlArms);
    }
  });

  it('find a trial by any of its cell arms, and each trial once', () => {
    const db = freshDb();
    const [twoSources, otherType] = addTrials(db, [
      testTrial('two cell sources', {
        arms: [
          cellArm('Marrow', { cellSource: 'BONE_MARROW', route: 'INTRAVENOUS' }),
          cellArm('Fat', { cellSource: 'ADIPOSE', route: 'INTRAOSSEOUS' }),
          controlArm('Placebo'),
        ],
        bmdResults: [result('Marrow', 12, 3, 1), result('Fat', 12, 2, 1), result('Placebo', 12, 1, 1)],
      }),
      testTrial('only a cell type asked for', {
        arms: [
          cellArm('Cells', { route: 'NOT_REPORTED', cellSource: 'UMBILICAL_CORD', cellType: 'OTHER' }),
          controlArm('Placebo'),
        ],
        bmdResults: [result('Cells', 12, 3, 1), result('Placebo', 12, 1, 1)],
      }),
    ]) as [string, string];
    const ids = (f: Outcome) => loadStoredCandidates(db, f).trials.map((t) => t.id);
    expect(ids({ ...LS, cellSource: ['ADIPOSE'] })).toEqual([twoSources]);
    expect(
      ids({ ...LS, cellSource: ['BONE_MARROW', 'ADIPOSE'] }).filter((id) => id === twoSources),
    ).toHaveLength(1);
    expect(ids({ ...LS, route: ['INTRAOSSEOUS'] })).toEqual([twoSources]);
    expect(ids({ ...LS, cellType: ['OTHER'] })).toEqual([otherType]);
    expect(ids({ ...LS, route: ['INTRAVENOUS'] })).toEqual([twoSources]);
    expectSameReading(db);
  });

  it('follow an update of the trial and leave with a deleted one', () => {
    const db = freshDb();
    const [id] = addTrials(db, [
      testTrial('updated', {
        arms: [cellArm('Cells'), controlArm('Placebo')],
        bmdResults: [result('Cells', 10, 2, 1), result('Placebo', 10, 1, 1)],
      }),
    ]) as [string];
    const changed = testTrial('updated', {
      allocation: 'RANDOMIZED',
      arms: [cellArm('Cells', { route: 'INTRAOSSEOUS' }), controlArm('Placebo')],
      bmdResults: [
        result('Cells', 12, 3, 1, { site: 'FEMORAL_NECK' }),
        result('Placebo', 12, 1, 1, { site: 'FEMORAL_NECK' }),
      ],
    });
    updateTrial(db, id, TrialInput.parse(changed), { changedBy: 'test', channel: 'API' });
    const rows = storedInputs(db) as unknown as { site: string; allocation: string; inputs: unknown[][] }[];
    expect(rows.map((r) => [r.site, r.allocation])).toEqual([['FEMORAL_NECK', 'RANDOMIZED']]);
    const storedArms = (rows[0] as { inputs: unknown[][] }).inputs[1] as unknown[][];
    expect(storedArms[0]?.[5]).toBe('INTRAOSSEOUS');
    expect(loadStoredCandidates(db, { ...FN, route: ['INTRAOSSEOUS'] }).trials.map((t) => t.id)).toEqual([
      id,
    ]);
    expect(loadStoredCandidates(db, LS).trials).toEqual([]);
    deleteTrial(db, id, { changedBy: 'test', channel: 'API' });
    expect(storedInputs(db)).toEqual([]);
  });

  it('are rebuilt from the arm and result tables by the migration that adds them', () => {
    const db = catalogue();
    const written = storedInputs(db);
    expect(written.length).toBeGreaterThan(100);
    db.$client.exec('DELETE FROM comparison_inputs');
    const folder = new URL('../../migrations/', import.meta.url);
    // The latest migration that refills the table is the one for its present shape; the backfills
    // after it fill the columns added since.
    const backfills = readdirSync(folder)
      .filter((f) => f.endsWith('_backfill.sql') && f.includes('comparison_inputs'))
      .sort();
    const refills = backfills.filter((f) => readFileSync(new URL(f, folder), 'utf8').includes('INSERT INTO'));
    const since = backfills.slice(backfills.indexOf(refills.at(-1) as string));
    for (const file of since)
      for (const statement of readFileSync(new URL(file, folder), 'utf8').split('--> statement-breakpoint'))
        db.$client.exec(statement);
    expect(storedInputs(db)).toEqual(written);
    expectSameReading(db);
  });
});
