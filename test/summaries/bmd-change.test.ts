import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataVersion } from '../../src/store/trial-store';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from '../meta-analyses/catalogue';

// Made-up trials (test data); expected numbers are worked by hand in the comments.
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  addTrials(t.db, [
    testTrial('P', {
      arms: [cellArm('Cells', { participants: 10 }), controlArm('Placebo')],
      bmdResults: [
        result('Cells', 10, 0, 1, { timepointMonths: 0 }),
        result('Cells', 10, 1, 1, { timepointMonths: 6 }),
        result('Cells', 10, 2, 1, { timepointMonths: 12 }),
        result('Cells', 10, 3, null, { timepointMonths: 24 }),
        result('Placebo', 10, -1, 1),
      ],
    }),
    testTrial('Q', {
      arms: [cellArm('Cells', { cellSource: 'ADIPOSE', route: 'INTRAOSSEOUS', type: 'OTHER' })],
      bmdResults: [
        result('Cells', 20, 4, 2),
        result('Cells', 20, 1.5, 0.5, { site: 'FEMORAL_NECK', statistic: 'MEDIAN' }),
        result('Cells', 20, 0.8, null, { metric: 'FINAL_VALUE' }),
      ],
      provenance: { kind: 'ILLUSTRATIVE', sources: ['made up for a test'] },
    }),
  ]);
});
afterAll(() => t.close());

async function summary(query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/summaries/bmd-change?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.body).not.toMatch(/NaN|Infinity/);
  return res.json();
}

describe('GET /summaries/bmd-change', () => {
  it('uses each cell arm’s latest result after baseline; control arms and medians stay out', async () => {
    const body = await summary('');
    expect(body.dataVersion).toBe(dataVersion(t.db));
    expect(body.groups).toHaveLength(1);
    const [group] = body.groups;
    // P at 24 months (mean 3, no SD), Q at 12 (mean 4, sd 2, n 20): mean 3.5, weighted 110/30.
    expect(group).toMatchObject({
      key: { site: 'LUMBAR_SPINE', metric: 'PERCENT_CHANGE', method: 'DXA', statistic: 'MEAN' },
      trials: 2,
      arms: 2,
      participants: 30,
      armsWithoutSd: 1,
      mean: 3.5,
      median: 3.5,
      min: 3,
      max: 4,
      timepoints: [
        { months: 12, arms: 1 },
        { months: 24, arms: 1 },
      ],
    });
    expect(group.weightedMean).toBeCloseTo(110 / 30, 12);
    // Only Q has an SD: k = 1, estimate 4, se = 2/√20.
    expect(group.pooled).toMatchObject({ k: 1, estimate: 4, tau2: 0, i2: null, q: null });
    expect(group.pooled.se).toBeCloseTo(2 / Math.sqrt(20), 12);
    expect(body.provenance).toEqual({ REGISTRY: 0, PUBLICATION: 0, ILLUSTRATIVE: 1, USER: 1 });
    expect(body.warnings.map((w: { code: string }) => w.code)).toEqual([
      'ILLUSTRATIVE_DATA',
      'MEDIAN_NOT_POOLED',
      'SINGLE_STUDY',
    ]);
  });

  it('takes the latest timepoint inside [timepointMin, timepointMax]', async () => {
    const upTo12 = (await summary('timepointMax=12')).groups[0];
    // P at 12 (mean 2, sd 1, n 10) and Q at 12 (mean 4, sd 2, n 20): both have an SD, both pooled.
    expect(upTo12).toMatchObject({
      arms: 2,
      armsWithoutSd: 0,
      min: 2,
      max: 4,
      timepoints: [{ months: 12, arms: 2 }],
    });
    expect(upTo12.pooled.k).toBe(2);
    const after12 = (await summary('timepointMin=13')).groups[0];
    expect(after12).toMatchObject({ arms: 1, mean: 3, pooled: null });
    expect(after12.pooledReason).toMatch(/standard deviation/);
  });

  it('narrows arms by armType and groups by the facets asked for', async () => {
    expect((await summary('armType=EXPERIMENTAL')).groups[0]).toMatchObject({ arms: 1, mean: 3 });
    const grouped = await summary('groupBy=cellSource,route');
    expect(grouped.groups.map((g: { key: object; arms: number }) => [g.key, g.arms])).toEqual([
      [
        {
          site: 'LUMBAR_SPINE',
          metric: 'PERCENT_CHANGE',
          method: 'DXA',
          statistic: 'MEAN',
          cellSource: 'ADIPOSE',
          route: 'INTRAOSSEOUS',
        },
        1,
      ],
      [
        {
          site: 'LUMBAR_SPINE',
          metric: 'PERCENT_CHANGE',
          method: 'DXA',
          statistic: 'MEAN',
          cellSource: 'BONE_MARROW',
          route: 'INTRAVENOUS',
        },
        1,
      ],
    ]);
  });

  it('reads method as measurement filter and τ² estimator at once', async () => {
    const body = await summary('method=DXA,EE&test=knha&timepointMax=12');
    // EE over P (2, vi 1/10) and Q (4, vi 4/20): w 10 and 5 → (20 + 20)/15 = 8/3.
    expect(body.groups[0].pooled).toMatchObject({ method: 'EE', test: 'knha', k: 2 });
    expect(body.groups[0].pooled.estimate).toBeCloseTo(8 / 3, 12);
    expect((await summary('method=QCT')).groups).toEqual([]);
  });

  it('applies bmdChangeMin/Max to the chosen result and excludes illustrative records on request', async () => {
    // P's latest is 3 (its 12-month 2 is not its latest), Q's is 4: nothing is at most 2.5.
    expect((await summary('metric=PERCENT_CHANGE&bmdChangeMax=2.5')).groups).toEqual([]);
    expect((await summary('metric=PERCENT_CHANGE&bmdChangeMin=3.5')).groups[0]).toMatchObject({
      arms: 1,
      mean: 4,
    });
    const real = await summary('provenance=REGISTRY,PUBLICATION,USER');
    expect(real.provenance.ILLUSTRATIVE).toBe(0);
    expect(real.warnings).toEqual([]);
  });

  it('warns where an LS-mean with an SD derived from its SE is pooled', async () => {
    const own = await buildTestApp();
    try {
      addTrials(own.db, [
        testTrial('R', {
          arms: [cellArm('Cells')],
          bmdResults: [{ ...result('Cells', 16, 2, null), statistic: 'LS_MEAN', se: 0.5 }],
        }),
      ]);
      const res = await own.app.inject({ method: 'GET', url: '/summaries/bmd-change' });
      const body = res.json();
      // sd = se·√n = 0.5·4 = 2; vi = 4/16, so se of the pool = 0.5.
      expect(body.groups[0].key.statistic).toBe('LS_MEAN');
      expect(body.groups[0].pooled.se).toBeCloseTo(0.5, 12);
      expect(body.warnings.map((w: { code: string }) => w.code)).toEqual([
        'LS_MEAN_SD_FROM_SE',
        'SINGLE_STUDY',
      ]);
    } finally {
      await own.close();
    }
  });

  it('answers 400 for non-change metrics, two estimators, unknown groupBy or parameters', async () => {
    for (const query of [
      'metric=FINAL_VALUE',
      'method=REML,DL',
      'groupBy=colour',
      'test=t',
      'subgroup=route',
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/summaries/bmd-change?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().errors.length, query).toBeGreaterThan(0);
    }
  });
});
