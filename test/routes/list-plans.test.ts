import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filters } from '../../src/filters/params';
import { listTrials } from '../../src/store/trial-list';
import { freshDb } from '../helpers/build-test-app';
import { FIXTURE_TRIALS, loadFixture } from '../helpers/catalogue-fixture';

const db = freshDb();
beforeAll(() => {
  // Three copies of the fixture (registry ids dropped, as they must be unique), so pages of 2
  // cross many ties and both halves of the order (dated, then undated).
  const copy = FIXTURE_TRIALS.map((trial) => ({ ...trial, registryIds: [] }));
  loadFixture(db, copy);
  loadFixture(db, copy);
  loadFixture(db, copy);
});
afterAll(() => db.$client.close());

function walk(filters: Filters, plan: 'walk-index' | 'sort-matches', descending: boolean): string[] {
  const ids: string[] = [];
  let after: { value: string | number | null; id: string } | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = listTrials(db, filters, { key: 'startDate', descending }, 2, after, plan);
    ids.push(...page.documents.map((d) => (JSON.parse(d) as { id: string }).id));
    if (!page.next) return ids;
    after = page.next;
  }
  throw new Error('did not end');
}

describe('both list plans give the same pages', () => {
  const cases: Filters[] = [
    { route: ['INTRAVENOUS'] },
    { cellSource: ['BONE_MARROW', 'ADIPOSE'] },
    { site: ['LUMBAR_SPINE'], metric: ['PERCENT_CHANGE'] },
    { cellSource: ['PERIPHERAL_BLOOD'] },
  ];
  for (const filters of cases)
    for (const descending of [true, false])
      it(`${JSON.stringify(filters)} ${descending ? 'descending' : 'ascending'}`, () => {
        const walked = walk(filters, 'walk-index', descending);
        expect(walked.length).toBeGreaterThan(0);
        expect(walk(filters, 'sort-matches', descending)).toEqual(walked);
      });
});
