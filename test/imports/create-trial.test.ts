import { describe, expect, it } from 'vitest';
import { generateIllustrativeTrials } from '../../seed/illustrative/generate';
import { createCheckedTrial } from '../../src/imports/create-trial';
import { TrialInput } from '../../src/schemas/trial-input';
import {
  bumpDataVersion,
  dataVersion,
  deleteTrial,
  insertTrial,
  loadTrial,
} from '../../src/store/trial-store';
import { freshDb } from '../helpers/build-test-app';
import { rowCounts } from './support';

const AT = new Date(Date.UTC(2026, 0, 2));

/**
 * Every row of every table, with each server-drawn id replaced by its place (trial by creation
 * order, arm and result by position in their trial), rows sorted: two databases holding the same
 * trials written the same way compare equal. The data version and its history are left out: an
 * import bumps the version once for all it creates, a store write once per trial.
 */
function rowsWithoutIds(db: ReturnType<typeof freshDb>) {
  const sqlite = db.$client;
  const places = new Map<string, string>();
  const trialIds = sqlite.prepare('SELECT id FROM trials ORDER BY search_id').pluck().all() as string[];
  trialIds.forEach((id, t) => {
    places.set(id, `<trial ${t}>`);
    for (const table of ['arms', 'bmd_results'])
      for (const row of sqlite.prepare(`SELECT id, position FROM ${table} WHERE trial_id = ?`).all(id) as {
        id: string;
        position: number;
      }[])
        places.set(row.id, `<${table} ${t}.${row.position}>`);
  });
  const stable = (text: string) =>
    text.replace(/(?:tr|arm|res)_[A-Za-z0-9_-]{12}/g, (id) => places.get(id) ?? id);
  const tables = sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' AND name NOT IN ('catalogue_state', 'data_versions') ORDER BY name",
    )
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables.map((t) => [
      t,
      (sqlite.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][])
        .map((row) => stable(JSON.stringify(row)))
        .sort(),
    ]),
  );
}

describe('createCheckedTrial', () => {
  it('writes exactly what the store’s insertTrial writes', () => {
    const inputs = generateIllustrativeTrials(20, 11).map((t) => TrialInput.parse(t));
    const viaStore = freshDb();
    const viaImport = freshDb();
    for (const input of inputs) insertTrial(viaStore, input, { changedBy: 'x', channel: 'API', now: AT });
    for (const input of inputs)
      createCheckedTrial(viaImport, input, { changedBy: 'x', channel: 'API', at: AT.toISOString() });
    expect(rowsWithoutIds(viaImport)).toEqual(rowsWithoutIds(viaStore));
  });

  it('continues the versions of a deleted trial whose id it keeps, and bumps the data version on request', () => {
    const db = freshDb();
    const input = TrialInput.parse(generateIllustrativeTrials(1, 3)[0]);
    insertTrial(db, input, { changedBy: 'x', channel: 'API' }, 'tr_kept');
    deleteTrial(db, 'tr_kept', { changedBy: 'x', channel: 'API' });
    const before = dataVersion(db);
    const trial = createCheckedTrial(
      db,
      input,
      { changedBy: 'x', channel: 'API', at: AT.toISOString() },
      'tr_kept',
    );
    expect(trial.version).toBe(3);
    expect(loadTrial(db, 'tr_kept')?.version).toBe(3);
    expect(rowCounts(db).revisions).toBe(3);
    bumpDataVersion(db, AT.toISOString());
    expect(dataVersion(db)).toBe(before + 1);
  });
});
