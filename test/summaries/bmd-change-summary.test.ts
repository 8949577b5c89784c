import { describe, expect, it } from 'vitest';
import { type ArmChange, summariseBmdChange } from '../../src/domain/bmd-change-summary';

// Made-up arm results (test data); expected values worked by hand in the comments.

let next = 0;
function arm(mean: number, n: number, sd: number | null, over: Partial<ArmChange> = {}): ArmChange {
  next += 1;
  return {
    armId: `arm${next}`,
    trialId: `trial${next}`,
    provenance: 'USER',
    site: 'LUMBAR_SPINE',
    metric: 'PERCENT_CHANGE',
    method: 'DXA',
    statistic: 'MEAN',
    timepointMonths: 12,
    n,
    mean,
    sdEffective: sd,
    sdSource: sd === null ? null : 'REPORTED',
    facets: {},
    ...over,
  };
}

const options = { groupBy: [], method: 'EE', test: 'z' } as const;

describe('summariseBmdChange', () => {
  it('describes a group: unweighted and n-weighted means, median of an even count, range, timepoints', () => {
    // means 1, 2, 4, 9 with n 10, 10, 20, 60: mean 16/4 = 4; weighted (10 + 20 + 80 + 540)/100 = 6.5;
    // median (2 + 4)/2 = 3.
    const rows = [
      arm(1, 10, 1),
      arm(2, 10, 1, { timepointMonths: 6 }),
      arm(4, 20, null),
      arm(9, 60, 3, { trialId: 'trial1' }),
    ];
    const [group] = summariseBmdChange(rows, options).groups;
    expect(group).toMatchObject({
      key: { site: 'LUMBAR_SPINE', metric: 'PERCENT_CHANGE', method: 'DXA', statistic: 'MEAN' },
      trials: 3,
      arms: 4,
      participants: 100,
      armsWithoutSd: 1,
      mean: 4,
      weightedMean: 6.5,
      median: 3,
      min: 1,
      max: 9,
      timepoints: [
        { months: 6, arms: 1 },
        { months: 12, arms: 3 },
      ],
    });
    // EE over the three arms with an SD: vi = 1/10, 1/10, 9/60 → w 10, 10, 20/3;
    // μ̂ = (10 + 20 + 60)/(80/3) = 3.375.
    expect(group?.pooled?.k).toBe(3);
    expect(group?.pooled?.estimate).toBeCloseTo(3.375, 12);
  });

  it('keeps sites, metrics, methods, statistics and groupBy values apart', () => {
    const rows = [
      arm(1, 10, 1, { facets: { route: 'INTRAVENOUS' } }),
      arm(2, 10, 1, { facets: { route: 'INTRAOSSEOUS' } }),
      arm(3, 10, 1, { facets: { route: 'INTRAVENOUS' }, method: 'QCT' }),
      arm(4, 10, 1, { facets: { route: 'INTRAVENOUS' }, statistic: 'LS_MEAN' }),
      arm(5, 10, 1, { facets: { route: 'INTRAVENOUS' }, site: 'FEMORAL_NECK' }),
    ];
    const { groups } = summariseBmdChange(rows, { ...options, groupBy: ['route'] });
    expect(groups.map((g) => [g.key.site, g.key.method, g.key.statistic, g.key.route, g.mean])).toEqual([
      ['FEMORAL_NECK', 'DXA', 'MEAN', 'INTRAVENOUS', 5],
      ['LUMBAR_SPINE', 'DXA', 'LS_MEAN', 'INTRAVENOUS', 4],
      ['LUMBAR_SPINE', 'DXA', 'MEAN', 'INTRAOSSEOUS', 2],
      ['LUMBAR_SPINE', 'DXA', 'MEAN', 'INTRAVENOUS', 1],
      ['LUMBAR_SPINE', 'QCT', 'MEAN', 'INTRAVENOUS', 3],
    ]);
  });

  it('gives pooled null with a reason when no arm has an SD', () => {
    const [group] = summariseBmdChange([arm(1, 10, null), arm(3, 10, null)], options).groups;
    expect(group?.pooled).toBeNull();
    expect(group?.pooledReason).toMatch(/standard deviation/);
    expect(group?.mean).toBe(2);
  });

  it('leaves out arms that reported only medians, with a warning', () => {
    const median = arm(7, 10, 1, { statistic: 'MEDIAN' });
    const both = arm(8, 10, 1, { statistic: 'MEDIAN' });
    const bothMean = { ...arm(2, 10, 1), armId: both.armId, trialId: both.trialId };
    const summary = summariseBmdChange([median, both, bothMean], options);
    expect(summary.groups.map((g) => g.mean)).toEqual([2]);
    expect(summary.warnings).toMatchObject([
      { code: 'MEDIAN_NOT_POOLED', message: expect.stringMatching(/^1 arm/) },
      // The one mean left is a pool of one arm.
      {
        code: 'SINGLE_STUDY',
        message: expect.stringMatching(/^Group LUMBAR_SPINE · .* on a single arm \(k = 1\)/),
      },
    ]);
    expect(summary.provenance.USER).toBe(1);
  });

  it('warns about LS-means with an SD from their SE only where they were pooled', () => {
    const ls = { statistic: 'LS_MEAN', sdSource: 'FROM_SE' };
    const pooled = summariseBmdChange([arm(1, 10, 1, ls)], options);
    expect(pooled.warnings.map((w) => w.code)).toEqual(['LS_MEAN_SD_FROM_SE', 'SINGLE_STUDY']);
    const illustrative = summariseBmdChange([arm(1, 10, 1, { provenance: 'ILLUSTRATIVE' })], options);
    expect(illustrative.warnings.map((w) => w.code)).toEqual(['ILLUSTRATIVE_DATA', 'SINGLE_STUDY']);
    expect(illustrative.provenance).toEqual({ REGISTRY: 0, PUBLICATION: 0, ILLUSTRATIVE: 1, USER: 0 });
  });

  it('answers an empty selection with no groups', () => {
    expect(summariseBmdChange([], options)).toMatchObject({ groups: [], warnings: [] });
  });
});
