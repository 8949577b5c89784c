import { describe, expect, it } from 'vitest';
import {
  type ComparisonArm,
  type ComparisonOptions,
  type ComparisonResult,
  type ComparisonTrial,
  compareArms,
} from '../../src/domain/controlled-comparison';

// Small made-up trials (test data); every expected number below is worked by hand.

const trial = (id: string, subgroup: string | null = null): ComparisonTrial => ({
  id,
  title: `Trial ${id}`,
  provenance: 'USER',
  subgroup,
});
const cell = (id: string, trialId: string, subgroup: string | null = null): ComparisonArm => ({
  id,
  trialId,
  role: 'cell',
  subgroup,
});
const control = (id: string, trialId: string, subgroup: string | null = null): ComparisonArm => ({
  id,
  trialId,
  role: 'control',
  subgroup,
});

let nextId = 0;
function res(
  armId: string,
  months: number,
  n: number,
  mean: number,
  sd: number | null,
  over: Partial<ComparisonResult> = {},
) {
  nextId += 1;
  return {
    id: `res_${String(nextId).padStart(4, '0')}`,
    trialId: 'T',
    armId,
    method: 'DXA',
    statistic: 'MEAN',
    timepointMonths: months,
    n,
    mean,
    sd,
    sdEffective: sd,
    sdSource: sd === null ? null : 'REPORTED',
    ...over,
  } satisfies ComparisonResult;
}

const MD: ComparisonOptions = { effect: 'MD', methods: [] };

describe('compareArms: timepoint and result choice', () => {
  it('uses the latest timepoint both arms report, not the latest of either', () => {
    const set = compareArms(
      [trial('T')],
      [cell('c', 'T'), control('k', 'T')],
      [res('c', 24, 10, 9, 1), res('c', 12, 10, 3, 1), res('k', 12, 10, 1, 1), res('k', 6, 10, 0, 1)],
      MD,
    );
    expect(set.excluded).toEqual([]);
    // 12 months: 3 − 1 = 2; vi = 1/10 + 1/10 = 0.2.
    expect(set.comparisons[0]).toMatchObject({ timepointMonths: 12, yi: 2, n1: 10, n2: 10 });
    expect(set.comparisons[0]?.vi).toBeCloseTo(0.2, 15);
  });

  it('breaks ties at one timepoint by a reported SD, then a derived SD, then the lowest result id', () => {
    const derived = res('k', 12, 10, 5, null, { sdEffective: 2, sdSource: 'FROM_SE' });
    const reported = res('k', 12, 10, 4, 1);
    const reportedLater = res('k', 12, 10, 7, 1);
    const set = compareArms(
      [trial('T')],
      [cell('c', 'T'), control('k', 'T')],
      [res('c', 12, 10, 6, 1), derived, reportedLater, reported].map((r, i) =>
        i === 2 ? { ...r, id: 'res_9999' } : r,
      ),
      MD,
    );
    // reported (lower id than res_9999) wins over the derived one: 6 − 4 = 2.
    expect(set.comparisons[0]?.yi).toBe(2);
    expect(set.comparisons[0]?.resultIds).toContain(reported.id);
  });

  it('combines several cell arms with the Cochrane formula and counts the control once', () => {
    // A: n 10, mean 2, sd 1; B: n 10, mean 4, sd 1 → n 20, mean 3,
    // sd² = (9·1 + 9·1 + (10·10/20)·(2 − 4)²)/19 = 38/19 = 2. Control n 20, mean 1, sd 1.
    // MD = 3 − 1 = 2; vi = 2/20 + 1/20 = 0.15.
    const set = compareArms(
      [trial('T')],
      [cell('a', 'T'), cell('b', 'T'), control('k', 'T')],
      [res('a', 12, 10, 2, 1), res('b', 12, 10, 4, 1), res('k', 12, 20, 1, 1)],
      MD,
    );
    expect(set.comparisons[0]).toMatchObject({
      yi: 2,
      n1: 20,
      n2: 20,
      cellArmIds: ['a', 'b'],
      controlArmId: 'k',
    });
    expect(set.comparisons[0]?.vi).toBeCloseTo(0.15, 15);
  });

  it('never sets a mean against an LS-mean: both sides use one statistic', () => {
    const set = compareArms(
      [trial('T')],
      [cell('c', 'T'), control('k', 'T')],
      [res('c', 12, 10, 5, 1, { statistic: 'LS_MEAN' }), res('c', 12, 10, 3, 1), res('k', 12, 10, 1, 1)],
      MD,
    );
    expect(set.comparisons[0]).toMatchObject({ statistic: 'MEAN', yi: 2 });
  });

  it('counts LS-means whose SD came from their SE, for the warning', () => {
    const ls = { statistic: 'LS_MEAN' as const, sdSource: 'FROM_SE' };
    const set = compareArms(
      [trial('T')],
      [cell('c', 'T'), control('k', 'T')],
      [res('c', 12, 10, 3, 1, ls), res('k', 12, 10, 1, 1, ls)],
      MD,
    );
    expect(set.comparisons[0]?.lsMeanFromSe).toBe(2);
  });
});

describe('compareArms: measurement method', () => {
  const arms = [cell('c1', 'A'), control('k1', 'A'), cell('c2', 'B'), control('k2', 'B')];
  const results = [
    res('c1', 12, 10, 3, 1, { method: 'QCT' }),
    res('k1', 12, 10, 1, 1, { method: 'QCT' }),
    res('c1', 6, 10, 2, 1),
    res('k1', 6, 10, 1, 1),
    res('c2', 12, 10, 5, 1, { method: 'QCT' }),
    res('k2', 12, 10, 1, 1, { method: 'QCT' }),
  ];

  it('pools one method only, DXA first, and excludes trials comparable only by another', () => {
    const set = compareArms([trial('A'), trial('B')], arms, results, MD);
    expect(set.method).toBe('DXA');
    expect(set.comparisons.map((c) => [c.trialId, c.timepointMonths, c.yi])).toEqual([['A', 6, 1]]);
    expect(set.excluded).toMatchObject([{ trialId: 'B', reason: 'OTHER_METHOD' }]);
  });

  it('uses the one method asked for', () => {
    const set = compareArms([trial('A'), trial('B')], arms, results, { effect: 'MD', methods: ['QCT'] });
    expect(set.method).toBe('QCT');
    expect(set.comparisons.map((c) => [c.trialId, c.yi])).toEqual([
      ['A', 2],
      ['B', 4],
    ]);
  });
});

describe('compareArms: exclusions with reasons', () => {
  const cases: [string, ComparisonArm[], ComparisonResult[], string][] = [
    ['no control arm', [cell('c', 'T')], [res('c', 12, 10, 1, 1)], 'NO_CONTROL_ARM'],
    ['no cell arm', [control('k', 'T')], [res('k', 12, 10, 1, 1)], 'NO_CELL_ARM'],
    [
      'two control arms',
      [cell('c', 'T'), control('k1', 'T'), control('k2', 'T')],
      [res('c', 12, 10, 1, 1), res('k1', 12, 10, 1, 1), res('k2', 12, 10, 1, 1)],
      'MULTIPLE_CONTROLS',
    ],
    [
      'no shared timepoint',
      [cell('c', 'T'), control('k', 'T')],
      [res('c', 12, 10, 1, 1), res('k', 6, 10, 1, 1)],
      'NO_COMMON_TIMEPOINT',
    ],
    [
      'medians only',
      [cell('c', 'T'), control('k', 'T')],
      [res('c', 12, 10, 1, 1, { statistic: 'MEDIAN' }), res('k', 12, 10, 1, 1, { statistic: 'MEDIAN' })],
      'MEDIAN_ONLY',
    ],
    [
      'no SD at the chosen timepoint',
      [cell('c', 'T'), control('k', 'T')],
      [res('c', 12, 10, 1, null), res('k', 12, 10, 1, 1), res('c', 6, 10, 1, 1), res('k', 6, 10, 1, 1)],
      'NO_SD',
    ],
    [
      'zero variance',
      [cell('c', 'T'), control('k', 'T')],
      [res('c', 12, 10, 1, 0), res('k', 12, 10, 1, 0)],
      'EFFECT_NOT_ESTIMABLE',
    ],
  ];
  for (const [what, arms, results, reason] of cases) {
    it(`${what} → ${reason}`, () => {
      const set = compareArms([trial('T')], arms, results, MD);
      expect(set.comparisons).toEqual([]);
      expect(set.excluded).toMatchObject([{ trialId: 'T', title: 'Trial T', reason }]);
      expect(set.excluded[0]?.detail.length).toBeGreaterThan(0);
    });
  }

  it('SMD needs n1 + n2 > 3 → EFFECT_NOT_ESTIMABLE', () => {
    const set = compareArms(
      [trial('T')],
      [cell('c', 'T'), control('k', 'T')],
      [res('c', 12, 1, 2, 1), res('k', 12, 2, 1, 1)],
      { effect: 'SMD', methods: [] },
    );
    expect(set.excluded).toMatchObject([{ reason: 'EFFECT_NOT_ESTIMABLE' }]);
  });
});

describe('compareArms: subgroups', () => {
  const results = [res('a', 12, 10, 2, 1), res('b', 12, 10, 4, 1), res('k', 12, 20, 1, 1)];

  it('a trial whose combined cell arms differ in the facet is MIXED', () => {
    const arms = [cell('a', 'T', 'INTRAVENOUS'), cell('b', 'T', 'INTRAOSSEOUS'), control('k', 'T')];
    const set = compareArms([trial('T')], arms, results, { ...MD, subgroupLevel: 'cell' });
    expect(set.comparisons[0]?.subgroup).toBe('MIXED');
  });

  it('takes trial facets from the trial and the comparator from the control; null is NOT_REPORTED', () => {
    const arms = [cell('a', 'T'), cell('b', 'T'), control('k', 'T', null)];
    expect(
      compareArms([trial('T', 'POSTMENOPAUSAL')], arms, results, { ...MD, subgroupLevel: 'trial' })
        .comparisons[0]?.subgroup,
    ).toBe('POSTMENOPAUSAL');
    expect(
      compareArms([trial('T')], arms, results, { ...MD, subgroupLevel: 'control' }).comparisons[0]?.subgroup,
    ).toBe('NOT_REPORTED');
  });
});
