import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../seed/load-seed';
import { valuesOfMask } from '../../src/domain/facet-masks';
import { freshDb } from '../helpers/build-test-app';

type Db = ReturnType<typeof freshDb>;

/** Each trial's bit sets read back as values, beside the same lists read from its own rows. */
function masksAndRows(db: Db) {
  const rows = db.$client
    .prepare(
      `SELECT t.phase_mask AS phaseMask, t.cell_source_mask AS cellSourceMask, t.route_mask AS routeMask,
         (SELECT json_group_array(phase) FROM trial_phases p WHERE p.trial_id = t.id) AS phases,
         (SELECT json_group_array(cell_source) FROM arms a WHERE a.trial_id = t.id AND a.cell_source IS NOT NULL) AS sources,
         (SELECT json_group_array(route) FROM arms a WHERE a.trial_id = t.id AND a.cell_source IS NOT NULL) AS routes
       FROM trials t`,
    )
    .all() as {
    phaseMask: number;
    cellSourceMask: number;
    routeMask: number;
    phases: string;
    sources: string;
    routes: string;
  }[];
  const sorted = (json: string) => [...new Set(JSON.parse(json) as string[])].sort();
  return rows.map((r) => ({
    masks: [
      valuesOfMask('phase', r.phaseMask).sort(),
      valuesOfMask('cellSource', r.cellSourceMask).sort(),
      valuesOfMask('route', r.routeMask).sort(),
    ],
    rows: [sorted(r.phases), sorted(r.sources), sorted(r.routes)],
  }));
}

describe('phase, cell source and route bit sets on the trial row', () => {
  it('are written with every trial, in step with its phases and cell arms', () => {
    const db = freshDb();
    loadSeed(db);
    const all = masksAndRows(db);
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((t) => t.rows[1]?.length).length).toBeGreaterThan(0);
    for (const trial of all) expect(trial.masks).toEqual(trial.rows);
  });

  it('are rebuilt from those rows by the migration that adds them', () => {
    const db = freshDb();
    loadSeed(db);
    db.$client.exec('UPDATE trials SET phase_mask = 0, cell_source_mask = 0, route_mask = 0');
    const folder = new URL('../../migrations/', import.meta.url);
    const backfill = readdirSync(folder).find((f) => f.endsWith('_facet_masks_backfill.sql')) as string;
    for (const statement of readFileSync(new URL(backfill, folder), 'utf8').split('--> statement-breakpoint'))
      db.$client.exec(statement);
    for (const trial of masksAndRows(db)) expect(trial.masks).toEqual(trial.rows);
  });
});
