import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armIndexApplies, armIndexSelection } from '../../src/filters/arm-index-selection';
import type { ParsedSort } from '../../src/filters/pagination';
import type { Filters } from '../../src/filters/params';
import { type ListPlan, listTrials } from '../../src/store/trial-list';
import { freshDb } from '../helpers/build-test-app';
import { FIXTURE_TRIALS, loadFixture } from '../helpers/catalogue-fixture';
import { trialBody } from '../helpers/trial-fixtures';

const db = freshDb();
beforeAll(() => {
  // Three copies of the fixture (registry ids dropped, as they must be unique), so pages of 2
  // cross many ties and both halves of the order (dated, then undated).
  // A registry record without its id is the user's own record.
  const copy = FIXTURE_TRIALS.map((trial) => ({
    ...trial,
    registryIds: [],
    provenance: {
      ...trial.provenance,
      kind: trial.provenance.kind === 'REGISTRY' ? 'USER' : trial.provenance.kind,
    },
  }));
  loadFixture(db, copy);
  loadFixture(db, copy);
  loadFixture(db, copy);
  // Trials with two arms of one cell source and route, each result on the second: listed once.
  const marrowArm = {
    type: 'EXPERIMENTAL',
    participants: 10,
    cellSource: 'BONE_MARROW',
    cellType: 'MSC',
  } as const;
  const twoArms = (n: number, status: 'COMPLETED' | 'RECRUITING', start: string | undefined) =>
    trialBody({
      title: `Two marrow arms ${n}`,
      overallStatus: status,
      ...(start ? { startDate: start } : {}),
      enrollment: { count: 10 * n, type: 'ACTUAL' },
      arms: [
        { ...marrowArm, label: 'Low dose', donor: 'AUTOLOGOUS', route: 'INTRAVENOUS' },
        { ...marrowArm, label: 'High dose', donor: 'ALLOGENEIC', route: 'INTRAVENOUS' },
      ],
      bmdResults: [
        {
          armLabel: 'High dose',
          site: 'LUMBAR_SPINE',
          metric: 'PERCENT_CHANGE',
          method: 'DXA',
          statistic: 'MEAN',
          timepointMonths: 12,
          n: 10,
          mean: n,
          sd: 1,
        },
      ],
    });
  loadFixture(db, [
    twoArms(1, 'COMPLETED', '2019-03'),
    twoArms(2, 'RECRUITING', '2019-03'),
    twoArms(3, 'COMPLETED', undefined),
    twoArms(4, 'COMPLETED', '2021'),
  ]);
});
afterAll(() => db.$client.close());

function walk(filters: Filters, plan: Exclude<ListPlan, 'auto'>, sort: ParsedSort): string[] {
  const ids: string[] = [];
  let after: { value: string | number | null; id: string } | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = listTrials(db, filters, sort, 2, after, plan);
    ids.push(...page.documents.map((d) => (JSON.parse(d) as { id: string }).id));
    if (!page.next) return ids;
    after = page.next;
  }
  throw new Error('did not end');
}

const byStart = (descending: boolean): ParsedSort => ({ key: 'startDate', descending });

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
        const walked = walk(filters, 'walk-index', byStart(descending));
        expect(walked.length).toBeGreaterThan(0);
        expect(walk(filters, 'sort-matches', byStart(descending))).toEqual(walked);
      });
});

describe('one cell source × one route read from the arm index give the same pages', () => {
  const marrowIv = { cellSource: ['BONE_MARROW'], route: ['INTRAVENOUS'] } satisfies Filters;
  const cases: Filters[] = [
    marrowIv,
    { ...marrowIv, status: ['COMPLETED'] },
    { ...marrowIv, status: ['COMPLETED', 'RECRUITING'], allocation: ['NA'] },
    { ...marrowIv, site: ['LUMBAR_SPINE'], metric: ['PERCENT_CHANGE'] },
    { ...marrowIv, donor: ['ALLOGENEIC'] },
    { ...marrowIv, phase: ['PHASE2'] },
    { cellSource: ['ADIPOSE'], route: ['LOCAL_INJECTION'], status: ['RECRUITING'] },
  ];
  const sorts: ParsedSort[] = [byStart(true), byStart(false), { key: 'enrollment', descending: true }];
  for (const filters of cases)
    for (const sort of sorts)
      it(`${JSON.stringify(filters)} by ${sort.descending ? '-' : ''}${sort.key}`, () => {
        const walked = walk(filters, 'walk-index', sort);
        expect(walk(filters, 'arm-index', sort)).toEqual(walked);
      });

  it('lists a trial with two matching arms once', () => {
    const ids = walk({ ...marrowIv, status: ['COMPLETED'] }, 'arm-index', byStart(true));
    expect(new Set(ids).size).toBe(ids.length);
    const titles = ids.map((id) =>
      db.$client.prepare('SELECT title FROM trials WHERE id = ?').pluck().get(id),
    );
    expect(titles.filter((t) => String(t).startsWith('Two marrow arms')).sort()).toEqual([
      'Two marrow arms 1',
      'Two marrow arms 3',
      'Two marrow arms 4',
    ]);
  });

  it('applies to one cell source, one route and a carried sort key only', () => {
    expect(armIndexApplies(marrowIv, byStart(true))).toBe(true);
    expect(
      armIndexApplies({ ...marrowIv, status: ['COMPLETED'] }, { key: 'enrollment', descending: false }),
    ).toBe(true);
    expect(armIndexApplies({ cellSource: ['BONE_MARROW'] }, byStart(true))).toBe(false);
    expect(armIndexApplies({ ...marrowIv, cellSource: ['BONE_MARROW', 'ADIPOSE'] }, byStart(true))).toBe(
      false,
    );
    expect(armIndexApplies(marrowIv, { key: 'title', descending: false })).toBe(false);
    expect(armIndexApplies({ ...marrowIv, q: 'marrow' }, byStart(true))).toBe(false);
  });

  it('reads the arm index in page order, with no sort of the matches', () => {
    const arm = armIndexSelection({ ...marrowIv, status: ['COMPLETED'] }, byStart(true));
    const detail = (
      db.$client
        .prepare(
          `EXPLAIN QUERY PLAN SELECT a.trial_id ${arm.from} WHERE ${arm.where.sql} AND ${arm.column} IS NOT NULL
           ORDER BY ${arm.column} DESC, a.trial_id DESC LIMIT 26`,
        )
        .all(...arm.where.params) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(detail).toMatch(/SEARCH a USING COVERING INDEX arms_list_start_idx/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });
});
