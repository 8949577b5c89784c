import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataVersion } from '../../src/store/trial-store';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from './catalogue';

// Made-up controlled trials (test data); expected numbers are worked by hand in the comments.
let t: TestApp;
let ids: Record<string, string>;

beforeAll(async () => {
  t = await buildTestApp();
  const names = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon', 'Zeta'];
  const created = addTrials(t.db, [
    // yi = 3 − 1 = 2, vi = 1/10 + 1/10 = 0.2.
    testTrial('Alpha', {
      arms: [cellArm('Cells'), controlArm('Placebo')],
      bmdResults: [result('Cells', 10, 3, 1), result('Placebo', 10, 1, 1)],
    }),
    // Two intraosseous cell arms (10, 3, 1) and (10, 5, 1) combine to n 20, mean 4, sd² 38/19 = 2:
    // yi = 4 − 1 = 3, vi = 2/20 + 1/20 = 0.15.
    testTrial('Beta', {
      arms: [
        cellArm('Low dose', { route: 'INTRAOSSEOUS' }),
        cellArm('High dose', { route: 'INTRAOSSEOUS' }),
        controlArm('Placebo'),
      ],
      bmdResults: [result('Low dose', 10, 3, 1), result('High dose', 10, 5, 1), result('Placebo', 20, 1, 1)],
      provenance: { kind: 'ILLUSTRATIVE', sources: ['made up for a test'] },
    }),
    // Two control arms; with comparator=PLACEBO: yi = 5 − 1 = 4, vi = 0.2.
    testTrial('Gamma', {
      arms: [
        cellArm('Cells'),
        controlArm('Placebo'),
        controlArm('Alendronate', { comparator: 'BISPHOSPHONATE' }),
      ],
      bmdResults: [result('Cells', 10, 5, 1), result('Placebo', 10, 1, 1), result('Alendronate', 10, 2, 1)],
    }),
    testTrial('Delta', { arms: [cellArm('Cells')], bmdResults: [result('Cells', 10, 3, 1)] }),
    testTrial('Epsilon', {
      arms: [cellArm('Cells'), controlArm('Placebo')],
      bmdResults: [result('Cells', 10, 3, 1), result('Placebo', 10, 1, null)],
    }),
    testTrial('Zeta', {
      arms: [cellArm('Cells'), controlArm('Placebo')],
      bmdResults: [
        result('Cells', 10, 3, 1, { statistic: 'MEDIAN' }),
        result('Placebo', 10, 1, 1, { statistic: 'MEDIAN' }),
      ],
    }),
  ]);
  ids = Object.fromEntries(names.map((n, i) => [n, created[i] as string]));
});
afterAll(() => t.close());

const BASE = '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE';

async function analyse(query = '', headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'GET', url: `${BASE}${query}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.body).not.toMatch(/NaN|Infinity/);
  return res;
}

describe('GET /meta-analyses/bmd', () => {
  it('pools the comparable trials and lists every other selected trial with its reason', async () => {
    const body = (await analyse()).json();
    expect(body).toMatchObject({
      site: 'LUMBAR_SPINE',
      metric: 'PERCENT_CHANGE',
      method: 'DXA',
      effect: 'MD',
      test: 'z',
      estimator: 'REML',
      dataVersion: dataVersion(t.db),
    });
    expect(body.studies.map((s: { trialId: string }) => s.trialId)).toEqual([ids.Alpha, ids.Beta]);
    const [alpha, beta] = body.studies;
    expect(alpha).toMatchObject({ yi: 2, n1: 10, n2: 10, timepointMonths: 12, statistic: 'MEAN' });
    expect(alpha.vi).toBeCloseTo(0.2, 15);
    expect(beta).toMatchObject({ yi: 3, n1: 20, n2: 20 });
    expect(beta.vi).toBeCloseTo(0.15, 15);
    expect(beta.cellArmIds).toHaveLength(2);
    // REML with k = 2 here: whatever τ², the weights are 1/(vi + τ²) shares summing to 100.
    const tau2 = body.pooled.tau2;
    const w = [1 / (0.2 + tau2), 1 / (0.15 + tau2)];
    expect(alpha.weight).toBeCloseTo((100 * (w[0] as number)) / ((w[0] as number) + (w[1] as number)), 10);
    expect(alpha.weight + beta.weight).toBeCloseTo(100, 10);
    expect(body.pooled).toMatchObject({ k: 2, qDf: 1, method: 'REML', test: 'z' });
    expect(body.pooledReason).toBeNull();
    expect(
      body.excluded.map((e: { trialId: string; reason: string }) => [e.trialId, e.reason]).sort(),
    ).toEqual(
      [
        [ids.Gamma, 'MULTIPLE_CONTROLS'],
        [ids.Delta, 'NO_CONTROL_ARM'],
        [ids.Epsilon, 'NO_SD'],
        [ids.Zeta, 'MEDIAN_ONLY'],
      ].sort(),
    );
    expect(body.provenance).toEqual({ REGISTRY: 0, PUBLICATION: 0, ILLUSTRATIVE: 1, USER: 1 });
    expect(body.warnings.map((x: { code: string }) => x.code)).toEqual(['ILLUSTRATIVE_DATA']);
    expect(body).not.toHaveProperty('subgroups');
  });

  it('lets comparator narrow the control arms, so a two-control trial can be compared', async () => {
    const body = (await analyse('&comparator=PLACEBO')).json();
    const gamma = body.studies.find((s: { trialId: string }) => s.trialId === ids.Gamma);
    expect(gamma).toMatchObject({ yi: 4, n2: 10 });
    expect(body.pooled.k).toBe(3);
  });

  it('EE pools by hand: yi (2, 3), vi (0.2, 0.15) → μ̂ = 18/7, se = √(3/35), weights 3/7 and 4/7', async () => {
    // w = 5 and 20/3: μ̂ = (10 + 20)/(35/3) = 18/7; se = √(3/35); Q = (5·20/3)/(35/3)·1² = 20/7.
    const body = (await analyse('&method=EE')).json();
    expect(body.pooled.estimate).toBeCloseTo(18 / 7, 12);
    expect(body.pooled.se).toBeCloseTo(Math.sqrt(3 / 35), 12);
    expect(body.pooled.q).toBeCloseTo(20 / 7, 12);
    expect(body.studies.map((s: { weight: number }) => s.weight)).toEqual([
      expect.closeTo((100 * 3) / 7, 10),
      expect.closeTo((100 * 4) / 7, 10),
    ]);
  });

  it('pools subgroups on their own and tests their difference (worked by hand)', async () => {
    // Alpha is intravenous (2, vi .2), Beta intraosseous (3, vi .15): one study each, so each subgroup
    // pool is that study; Q_between = (5·20/3)/(35/3)·(3 − 2)² = 20/7 on 1 df.
    const body = (await analyse('&subgroup=route')).json();
    expect(body.subgroup).toBe('route');
    expect(
      body.subgroups.map((s: { value: string; k: number; trialIds: string[] }) => [s.value, s.k, s.trialIds]),
    ).toEqual([
      ['INTRAOSSEOUS', 1, [ids.Beta]],
      ['INTRAVENOUS', 1, [ids.Alpha]],
    ]);
    expect(body.warnings).toContainEqual({
      code: 'SINGLE_STUDY',
      message: expect.stringMatching(
        /^2 pools \(subgroup INTRAOSSEOUS; subgroup INTRAVENOUS\) each rest on a single study \(k = 1\)/,
      ),
    });
    expect(body.subgroups[0].pooled).toMatchObject({ estimate: 3, tau2: 0 });
    expect(body.subgroups[1].pooled).toMatchObject({ estimate: 2, tau2: 0 });
    expect(body.subgroupTest.qBetween).toBeCloseTo(20 / 7, 12);
    expect(body.subgroupTest.df).toBe(1);
    // p = P(χ²₁ > 20/7) = erfc(√(10/7)) = 0.09096894797535778.
    expect(body.subgroupTest.pValue).toBeCloseTo(0.09096894797535778, 12);
    expect(body.studies.map((s: { subgroup: string }) => s.subgroup)).toEqual([
      'INTRAVENOUS',
      'INTRAOSSEOUS',
    ]);
  });

  it('with k = 1: no heterogeneity, all the weight, and the z test even when knha is asked for', async () => {
    const body = (await analyse('&q=Alpha&test=knha')).json();
    expect(body.pooled).toMatchObject({
      k: 1,
      estimate: 2,
      tau2: 0,
      i2: null,
      h2: null,
      q: null,
      qPValue: null,
      test: 'z',
    });
    expect(body.studies[0].weight).toBe(100);
    // The pool is the one study's own effect and CI; the answer says that nothing was combined.
    expect(body.pooled.ciLower).toBe(body.studies[0].ciLower);
    expect(body.warnings).toContainEqual({
      code: 'SINGLE_STUDY',
      message: expect.stringMatching(/^The pooled estimate rests on a single study \(k = 1\)/),
    });
    const two = (await analyse('')).json();
    expect(two.pooled.k).toBeGreaterThan(1);
    expect(two.warnings.map((w: { code: string }) => w.code)).not.toContain('SINGLE_STUDY');
  });

  it('with k = 0: pooled null and the reason, whether nothing was selected or everything was excluded', async () => {
    const none = (await analyse('&provenance=REGISTRY,PUBLICATION')).json();
    expect(none).toMatchObject({ studies: [], pooled: null, excluded: [], method: null });
    expect(none.pooledReason).toBe('No trial matches the filters, so there is no comparison to pool.');
    expect(none.provenance).toEqual({ REGISTRY: 0, PUBLICATION: 0, ILLUSTRATIVE: 0, USER: 0 });
    const excluded = (await analyse('&q=Zeta&subgroup=route')).json();
    expect(excluded).toMatchObject({ studies: [], pooled: null, subgroups: [] });
    expect(excluded.excluded).toMatchObject([{ trialId: ids.Zeta, reason: 'MEDIAN_ONLY' }]);
    expect(excluded.pooledReason).toMatch(/^No selected trial offers a usable comparison; see excluded/);
    const qct = (await analyse('&method=QCT')).json();
    expect(qct).toMatchObject({ method: 'QCT', studies: [], pooled: null });
  });

  it('answers SMD (Hedges’ g) for the same comparisons', async () => {
    const body = (await analyse('&effect=SMD&q=Alpha')).json();
    // sp = 1, m = 18, J = Γ(9)/(√9·Γ(8.5)) = 40320/(3·14034.407293483…) = 0.957646427023718;
    // g = 2J; vi = 1/10 + 1/10 + g²/40.
    const j = 0.957646427023718;
    expect(body.studies[0].yi).toBeCloseTo(2 * j, 8);
    expect(body.studies[0].vi).toBeCloseTo(0.2 + (2 * j) ** 2 / 40, 8);
  });

  it('returns the study table as CSV with yi/vi columns, by format=csv or Accept: text/csv', async () => {
    const res = await analyse('&format=csv&subgroup=route');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = res.body.trim().split('\r\n');
    expect(header).toBe(
      'trialId,title,site,metric,method,effect,statistic,timepointMonths,n1,n2,yi,vi,se,ciLower,ciUpper,weight,' +
        'cellSource,cellType,donor,route,comparator,cellsPerKg,cells,administrations,provenanceKind,riskOfBias,subgroup',
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      new RegExp(`^${ids.Alpha},Test data: Alpha,LUMBAR_SPINE,PERCENT_CHANGE,DXA,MD,MEAN,12,10,10,2,`),
    );
    const accepted = await analyse('', { accept: 'text/csv' });
    expect(accepted.headers['content-type']).toMatch(/^text\/csv/);
    expect(accepted.body.split('\r\n')[0]).not.toContain('subgroup');
  });

  it('answers 400 for a missing or repeated site or metric, two estimators and unknown values', async () => {
    const bad = [
      '/meta-analyses/bmd?metric=PERCENT_CHANGE',
      '/meta-analyses/bmd?site=LUMBAR_SPINE',
      `${BASE}&site=FEMORAL_NECK`,
      '/meta-analyses/bmd?site=LUMBAR_SPINE,FEMORAL_NECK&metric=PERCENT_CHANGE',
      `${BASE}&method=REML,PM`,
      `${BASE}&method=ML`,
      `${BASE}&effect=OR`,
      `${BASE}&subgroup=colour`,
      `${BASE}&groupBy=route`,
      `${BASE}&timepointMin=24&timepointMax=12`,
      '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=FINAL_VALUE&bmdChangeMin=1',
    ];
    for (const url of bad) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors.length, url).toBeGreaterThan(0);
    }
  });
});
