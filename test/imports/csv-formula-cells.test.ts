import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addFormulaTrials, FORMULA_TRIALS } from '../helpers/formula-trials';
import { allResultRows, exportCsv, type ImportTestApp, importApp, importOk, rowCounts } from './support';

// The export neutralises formula-like text cells ('=…) and quotes line breaks; the import undoes
// exactly that, so an export of such trials still loads unchanged and re-imports unchanged.

let t: ImportTestApp;
beforeEach(async () => {
  t = await importApp();
  addFormulaTrials(t.db);
});
afterEach(() => t.close());

describe('CSV export → import with formula-like text and line breaks', () => {
  it('loads into a fresh catalogue with the same titles, labels, sources and notes', async () => {
    const exported = await exportCsv(t.app);
    expect(exported).toContain(`'=HYPERLINK(`);
    const fresh = await importApp();
    try {
      const report = await importOk(fresh, { format: 'csv', body: exported });
      expect(report).toMatchObject({ created: FORMULA_TRIALS.length, updated: 0, unchanged: 0 });
      expect(report.warnings).toEqual([]);
      const rows = await allResultRows(fresh.app);
      expect(rows).toEqual(await allResultRows(t.app));
      expect(new Set(rows.map((r) => r.trialTitle))).toEqual(new Set(FORMULA_TRIALS.map((f) => f.title)));
      expect(new Set(rows.map((r) => r.note))).toEqual(new Set(FORMULA_TRIALS.map((f) => f.note)));
      expect(new Set(rows.map((r) => r.armLabel))).toEqual(
        new Set(FORMULA_TRIALS.flatMap((f) => [f.cells, f.control])),
      );
      expect(rows.every((r) => r.mean === -1.5 || r.mean === 0.5)).toBe(true);
      expect(
        rows.every((r) => (r.provenanceSources as string[])[0] === '=HYPERLINK("http://example.invalid")'),
      ).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('re-imports into the same catalogue unchanged', async () => {
    const exported = await exportCsv(t.app);
    const before = rowCounts(t.db);
    const again = await importOk(t, { format: 'csv', body: exported });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: FORMULA_TRIALS.length, warnings: [] });
    expect(again.rows?.added).toBe(0);
    expect(rowCounts(t.db)).toEqual(before);
  });
});
