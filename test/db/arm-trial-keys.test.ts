import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../seed/load-seed';
import { TrialInput } from '../../src/schemas/trial-input';
import { deleteTrial, insertTrial, updateTrial } from '../../src/store/trial-store';
import { freshDb } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';

/** The list's arm index reads the trial's status, allocation and sort keys from copies on its arms. */
function armsOutOfStep(db: ReturnType<typeof freshDb>) {
  return db.$client
    .prepare(
      `SELECT a.id FROM arms a JOIN trials t ON t.id = a.trial_id
       WHERE a.trial_status IS NOT t.overall_status OR a.trial_allocation IS NOT t.allocation
          OR a.trial_start_sort IS NOT t.start_sort OR a.trial_enrollment IS NOT t.enrollment_count`,
    )
    .pluck()
    .all();
}

const armCount = (db: ReturnType<typeof freshDb>) =>
  db.$client.prepare('SELECT count(*) FROM arms').pluck().get() as number;

const ctx = { changedBy: 'test', channel: 'API' as const };

describe("a trial's keys carried on its arms", () => {
  it('are written with every trial, in step with its row', () => {
    const db = freshDb();
    loadSeed(db);
    expect(armCount(db)).toBeGreaterThan(0);
    expect(armsOutOfStep(db)).toEqual([]);
    const carried = db.$client
      .prepare('SELECT count(*) FROM arms WHERE trial_status IS NOT NULL AND trial_start_sort IS NOT NULL')
      .pluck()
      .get();
    expect(carried).toBeGreaterThan(0);
  });

  it('follow an update of the trial and leave with a deleted one', () => {
    const db = freshDb();
    const trial = insertTrial(db, TrialInput.parse(trialBody({ startDate: '2018-05' })), ctx);
    const changed = trialBody({
      overallStatus: 'TERMINATED',
      allocation: 'RANDOMIZED',
      startDate: '2019',
      enrollment: { count: 64, type: 'ACTUAL' },
    });
    updateTrial(db, trial.id, TrialInput.parse(changed), ctx);
    expect(
      db.$client
        .prepare(
          'SELECT trial_status AS status, trial_allocation AS allocation, trial_start_sort AS startSort, trial_enrollment AS enrollment FROM arms',
        )
        .all(),
    ).toEqual([{ status: 'TERMINATED', allocation: 'RANDOMIZED', startSort: '2019-01-01', enrollment: 64 }]);
    deleteTrial(db, trial.id, ctx);
    expect(armCount(db)).toBe(0);
  });

  it('are rebuilt from the trial rows by the migration that adds them', () => {
    const db = freshDb();
    loadSeed(db);
    db.$client.exec(
      'UPDATE arms SET trial_status = NULL, trial_allocation = NULL, trial_start_sort = NULL, trial_enrollment = NULL',
    );
    expect(armsOutOfStep(db).length).toBe(armCount(db));
    const folder = new URL('../../migrations/', import.meta.url);
    const backfill = readdirSync(folder).find((f) => f.endsWith('_arm_trial_keys_backfill.sql')) as string;
    for (const statement of readFileSync(new URL(backfill, folder), 'utf8').split('--> statement-breakpoint'))
      db.$client.exec(statement);
    expect(armsOutOfStep(db)).toEqual([]);
  });
});
