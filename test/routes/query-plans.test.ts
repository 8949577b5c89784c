import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filters } from '../../src/filters/params';
import { and, armSelection, resultConditions, trialSelection } from '../../src/filters/sql';
import { freshDb } from '../helpers/build-test-app';
import { loadFixture } from '../helpers/catalogue-fixture';

// No ANALYZE: on a handful of rows the statistics would rightly prefer a scan; without them
// SQLite plans as for a large table, which is what these indexes are for.
const db = freshDb();
beforeAll(() => {
  loadFixture(db);
});
afterAll(() => db.$client.close());

function plan(sql: string, params: unknown[]): string {
  const rows = db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => r.detail).join(' | ');
}

const trialPlan = (f: Filters) => {
  const where = trialSelection(f);
  return plan(`SELECT t.id FROM trials t WHERE ${where.sql}`, where.params);
};

/** Each indexed filter, and the index its condition must be answered from. */
const TRIAL_FILTERS: [string, Filters, RegExp][] = [
  ['status', { status: ['COMPLETED'] }, /trials_status_idx/],
  ['studyType', { studyType: ['OBSERVATIONAL'] }, /trials_study_type_idx/],
  ['allocation', { allocation: ['RANDOMIZED'] }, /trials_allocation_idx/],
  ['population', { population: ['MALE'] }, /trials_population_idx/],
  ['provenance', { provenance: ['REGISTRY'] }, /trials_provenance_kind_idx/],
  ['riskOfBias', { riskOfBias: ['LOW'] }, /trials_risk_of_bias_idx/],
  ['enrollmentMin', { enrollmentMin: 100 }, /trials_enrollment_idx/],
  ['startYearFrom', { startYearFrom: 2024 }, /trials_start_year_idx/],
  ['updatedSince', { updatedSince: '2030-01-01T00:00:00Z' }, /trials_updated_at_idx/],
  ['phase', { phase: ['PHASE3'] }, /trial_phases/],
  ['country', { country: ['DE'] }, /trial_countries/],
  ['registryId', { registryId: ['NCT00000001'] }, /registry_ids/],
  ['cellSource', { cellSource: ['IPSC'] }, /arms_(cell|trial_cell)_idx/],
  ['route', { route: ['INTRAOSSEOUS'] }, /arms_(cell|route|trial_cell)_idx/],
  ['cellType', { cellType: ['HEMATOPOIETIC'] }, /arms_(cell_type|trial_cell|cell)_idx/],
  ['donor', { donor: ['ALLOGENEIC'] }, /arms_(donor|trial_cell|cell)_idx/],
  ['comparator', { comparator: ['PLACEBO'] }, /arms_(comparator|trial_cell)_idx/],
  ['armType', { armType: ['ACTIVE_COMPARATOR'] }, /arms_(type|trial_cell)_idx/],
  ['site', { site: ['FEMORAL_NECK'] }, /bmd_results_(arm|site_metric)_idx/],
  ['metric', { metric: ['ABSOLUTE_CHANGE'] }, /bmd_results_(arm|site_metric)_idx/],
  ['q', { q: 'marrow' }, /VIRTUAL TABLE INDEX/],
];

describe('EXPLAIN QUERY PLAN: every indexed filter is answered from its index', () => {
  it.each(TRIAL_FILTERS)('%s', (_name, filters, index) => {
    const detail = trialPlan(filters);
    expect(detail).toMatch(index);
  });

  it('a filter on a trial column never scans the whole trials table', () => {
    for (const [, filters] of TRIAL_FILTERS.slice(0, 9)) expect(trialPlan(filters)).not.toMatch(/SCAN t\b/);
  });

  it('per-arm selection reaches results and arms through indexes, never a table scan', () => {
    const f: Filters = { cellSource: ['ADIPOSE'], site: ['LUMBAR_SPINE'] };
    const where = and([armSelection(f, true), resultConditions(f)]);
    const detail = plan(
      `SELECT r.id FROM bmd_results r JOIN arms a ON a.id = r.arm_id JOIN trials t ON t.id = r.trial_id WHERE ${where.sql}`,
      where.params,
    );
    expect(detail).toMatch(/bmd_results_(arm|site_metric)_idx|arms_(cell|trial_cell)_idx/);
    expect(detail).not.toMatch(/SCAN (r|a|t)\b/);
  });

  it('a keyset page reads the sort index from the cursor on', () => {
    const detail = plan(
      'SELECT t.id FROM trials t WHERE t.start_sort IS NOT NULL AND (t.start_sort, t.id) < (?, ?) ORDER BY t.start_sort DESC, t.id DESC LIMIT 26',
      ['2020-01-01', 'tr_x'],
    );
    expect(detail).toMatch(/trials_start_sort_idx/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });
});
