import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../seed/load-seed';
import { freshDb } from '../helpers/build-test-app';

/** The analyses read dose and baseline from columns kept beside the served document. */
function columnsAndDocuments(db: ReturnType<typeof freshDb>) {
  const arms = db.$client
    .prepare(
      `SELECT a.cells_per_kg AS cellsPerKg, a.cells AS cells, a.administrations AS administrations,
         json_extract(d.document, '$.arms[' || a.position || '].dose') AS dose
       FROM arms a JOIN trial_documents d ON d.trial_id = a.trial_id`,
    )
    .all() as {
    cellsPerKg: number | null;
    cells: number | null;
    administrations: number | null;
    dose: string | null;
  }[];
  const trials = db.$client
    .prepare(
      `SELECT t.baseline_mean_age AS meanAge, t.baseline_mean_t_score AS meanTScore,
         json_extract(d.document, '$.baseline') AS baseline
       FROM trials t JOIN trial_documents d ON d.trial_id = t.id`,
    )
    .all() as { meanAge: number | null; meanTScore: number | null; baseline: string | null }[];
  return { arms, trials };
}

function expectInStep(db: ReturnType<typeof freshDb>) {
  const { arms, trials } = columnsAndDocuments(db);
  for (const arm of arms) {
    const dose = arm.dose === null ? {} : (JSON.parse(arm.dose) as Record<string, number | null>);
    expect([arm.cellsPerKg, arm.cells, arm.administrations]).toEqual([
      dose.cellsPerKg ?? null,
      dose.cells ?? null,
      dose.administrations ?? null,
    ]);
  }
  for (const trial of trials) {
    const baseline =
      trial.baseline === null ? {} : (JSON.parse(trial.baseline) as Record<string, number | null>);
    expect([trial.meanAge, trial.meanTScore]).toEqual([
      baseline.meanAge ?? null,
      baseline.meanTScore ?? null,
    ]);
  }
  return { arms: arms.length, withDose: arms.filter((a) => a.dose !== null).length, trials: trials.length };
}

describe('dose and baseline columns', () => {
  it('are written with every trial, in step with its document', () => {
    const db = freshDb();
    loadSeed(db);
    const counted = expectInStep(db);
    expect(counted.withDose).toBeGreaterThan(0);
  });

  it('are rebuilt from the documents by the migration that adds them', () => {
    const db = freshDb();
    loadSeed(db);
    db.$client.exec(
      'UPDATE arms SET cells_per_kg = NULL, cells = NULL, administrations = NULL; ' +
        'UPDATE trials SET baseline_mean_age = NULL, baseline_mean_t_score = NULL',
    );
    const folder = new URL('../../migrations/', import.meta.url);
    const backfill = readdirSync(folder).find((f) => f.endsWith('_dose_and_baseline_backfill.sql')) as string;
    for (const statement of readFileSync(new URL(backfill, folder), 'utf8').split('--> statement-breakpoint'))
      db.$client.exec(statement);
    expectInStep(db);
  });
});
