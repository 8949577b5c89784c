import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeed, SEED_FILES } from '../../seed/load-seed';
import { freshDb } from '../helpers/build-test-app';

const registry = JSON.parse(
  readFileSync(new URL('../fixtures/registry-trials.json', import.meta.url), 'utf8'),
);

function counts(db: ReturnType<typeof freshDb>) {
  const tables = ['trials', 'arms', 'bmd_results', 'registry_ids', 'revisions', 'trial_references'];
  return Object.fromEntries(
    tables.map((name) => [
      name,
      (db.$client.prepare(`SELECT count(*) AS n FROM ${name}`).get() as { n: number }).n,
    ]),
  );
}

describe('seed set', () => {
  it('loads every record once, and loading again changes nothing', () => {
    const db = freshDb();
    const total = SEED_FILES.reduce((sum, f) => sum + JSON.parse(readFileSync(f, 'utf8')).trials.length, 0);
    expect(loadSeed(db)).toEqual({ created: total, unchanged: 0 });
    const before = counts(db);
    expect(loadSeed(db)).toEqual({ created: 0, unchanged: total });
    expect(counts(db)).toEqual(before);
    expect(before.trials).toBe(total);
  });

  it('ships the delivered registry file unchanged', () => {
    const shipped = JSON.parse(readFileSync(SEED_FILES[0] as URL, 'utf8'));
    expect(shipped).toEqual(registry);
  });

  it('keeps every value and the provenance of the real records', () => {
    const db = freshDb();
    loadSeed(db);
    for (const source of registry.trials as {
      registryIds: string[];
      title: string;
      provenance: unknown;
      bmdResults: unknown[];
      arms: unknown[];
    }[]) {
      const row = db.$client
        .prepare(
          'SELECT d.document FROM trials t JOIN trial_documents d ON d.trial_id = t.id WHERE t.title = ?',
        )
        .get(source.title) as {
        document: string;
      };
      const stored = JSON.parse(row.document);
      expect(stored.provenance).toEqual({ note: null, ...(source.provenance as object) });
      expect(stored.registryIds).toEqual(source.registryIds);
      expect(stored.bmdResults).toHaveLength(source.bmdResults.length);
      expect(stored.arms).toHaveLength(source.arms.length);
    }
    const publication = db.$client
      .prepare(
        "SELECT r.mean, r.sd, r.timepoint_months AS t FROM bmd_results r JOIN trials t ON t.id = r.trial_id WHERE t.provenance_kind = 'PUBLICATION' ORDER BY r.timepoint_months",
      )
      .all();
    // J Transl Med 2012;10:102 abstract: 0.6239 ± 0.1362 at baseline, 0.6811 ± 0.1442 at 3 months.
    expect(publication).toEqual([
      { mean: 0.6239, sd: 0.1362, t: 0 },
      { mean: 0.6811, sd: 0.1442, t: 3 },
    ]);
  });

  it('marks every illustrative record as such', () => {
    const db = freshDb();
    loadSeed(db);
    const rows = db.$client
      .prepare("SELECT title FROM trials WHERE provenance_kind = 'ILLUSTRATIVE'")
      .all() as { title: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const r of rows) expect(r.title.startsWith('[Illustrative]')).toBe(true);
    const unmarked = db.$client
      .prepare(
        "SELECT count(*) AS n FROM trials WHERE provenance_kind != 'ILLUSTRATIVE' AND title LIKE '[Illustrative]%'",
      )
      .get() as { n: number };
    expect(unmarked.n).toBe(0);
  });
});
