import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { evidence, type MetaregOracle } from '../helpers/evidence-oracles';
import { expectClose } from '../helpers/metafor-oracles';
import { addTrials, cellArm, controlArm, result, testTrial } from './catalogue';

const { bcg } = evidence;
/**
 * dat.bcg's three allocation kinds stood in for by allocation values in the same code-point order
 * (alternate < random < systematic as NA < NON_RANDOMIZED < RANDOMIZED), so the reference level and
 * the dummy columns are those of factor(alloc).
 */
const ALLOCATION = { alternate: 'NA', random: 'NON_RANDOMIZED', systematic: 'RANDOMIZED' } as const;

/**
 * dat.bcg entered as controlled trials (test data, not real trials): the mean difference and its
 * variance are the data set's yᵢ and vᵢ; absolute latitude is carried as the baseline mean age, the
 * publication year as the start year, and the allocation kind as the trial's allocation.
 */
function bcgTrials() {
  return bcg.input.yi.map((yi, i) => {
    const sd = Math.sqrt(50 * (bcg.input.vi[i] as number));
    return testTrial(`dat.bcg study ${i + 1}`, {
      startDate: String(bcg.input.year[i]),
      allocation: ALLOCATION[bcg.input.alloc[i] as keyof typeof ALLOCATION],
      baseline: { meanAge: bcg.input.ablat[i] as number },
      arms: [cellArm('Cells'), controlArm('Control')],
      bmdResults: [result('Cells', 100, yi, sd), result('Control', 100, 0, sd)],
    });
  });
}

const BASE = '/meta-analyses/bmd/regression?site=LUMBAR_SPINE&metric=PERCENT_CHANGE';

interface Answer {
  k: number;
  coefficients: { term: string; estimate: number; se: number; pValue: number }[];
  tau2: number;
  r2: number;
  qm: number;
  qmDf: number;
  qmDfResidual: number | null;
  qmPValue: number;
  qe: number;
  excluded: { reason: string }[];
  reason: string | null;
}

function expectFit(body: Answer, oracle: MetaregOracle, terms: string[]) {
  expect(body.coefficients.map((c) => c.term)).toEqual(terms);
  body.coefficients.forEach((c, j) => {
    expectClose(c.estimate, oracle.coef[j] as number, `${c.term} estimate`);
    expectClose(c.se, oracle.se[j] as number, `${c.term} se`);
  });
  expectClose(body.tau2, oracle.tau2, 'tau2');
  expectClose(body.qmPValue, oracle.QMp, 'QMp');
}

// Oracles: metafor 3.8.1 rma(yi, vi, mods = …, data = dat.bcg) (test/fixtures/evidence-oracles.json).
describe('GET /meta-analyses/bmd/regression on dat.bcg entered as controlled trials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    addTrials(t.db, bcgTrials());
  });
  afterAll(() => t.close());

  const get = async (query: string) => {
    const res = await t.app.inject({ url: `${BASE}&${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Answer;
  };

  it('a continuous moderator (mods = ~ ablat): z tests, R², QM and QE', async () => {
    const body = await get('moderators=meanAge');
    expect(body.k).toBe(13);
    expectFit(body, bcg.metareg_ablat_REML, ['intercept', 'meanAge']);
    expectClose(body.r2, bcg.metareg_ablat_REML.R2 as number, 'R2');
    expectClose(body.qe, bcg.metareg_ablat_REML.QE as number, 'QE');
    expect([body.qmDf, body.qmDfResidual]).toEqual([1, null]);
  });

  it('Knapp–Hartung: t tests and QM as F(1, 11)', async () => {
    const body = await get('moderators=meanAge&test=knha');
    expectFit(body, bcg.metareg_ablat_REML_KH, ['intercept', 'meanAge']);
    expectClose(body.qm, bcg.metareg_ablat_REML_KH.QM as number, 'QM (F)');
    expect([body.qmDf, body.qmDfResidual]).toEqual([1, 11]);
  });

  it('two moderators (mods = ~ ablat + year)', async () => {
    const body = await get('moderators=meanAge,startYear');
    expectFit(body, bcg.metareg_ablat_year_REML, ['intercept', 'meanAge', 'startYear']);
  });

  it('a categorical moderator, dummy-coded against its first level (mods = ~ factor(alloc))', async () => {
    const body = await get('moderators=allocation');
    expectFit(body, bcg.subgroup_alloc_moderator_REML, [
      'intercept',
      'allocation:NON_RANDOMIZED',
      'allocation:RANDOMIZED',
    ]);
    const knha = await get('moderators=allocation&test=knha');
    expectClose(knha.qm, bcg.subgroup_alloc_moderator_REML_KH.QM_F, 'QM (F)');
    expect([knha.qmDf, knha.qmDfResidual]).toEqual([2, 10]);
  });

  // Oracle: metafor 3.8.1, rma(yi, vi, mods = ~ factor(alloc), test = "knha", data = dat.bcg): the
  // moderator F test the subgroup analysis adopts under Knapp–Hartung, F(2, 10) = 0.966, p = 0.413.
  it('the subgroup test under Knapp–Hartung is the moderator F test, and names its distribution', async () => {
    const res = await t.app.inject({
      url: '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE&subgroup=allocation&test=knha',
    });
    expect(res.statusCode, res.body).toBe(200);
    const { subgroupTest } = res.json();
    expect(subgroupTest.distribution).toBe('F');
    expect([subgroupTest.df, subgroupTest.dfResidual]).toEqual([2, 10]);
    expectClose(subgroupTest.statistic, bcg.subgroup_alloc_moderator_REML_KH.QM_F, 'F');
    expectClose(subgroupTest.pValue, bcg.subgroup_alloc_moderator_REML_KH.QMp, 'p');
    expect(subgroupTest.qBetween).toBeUndefined();
    const z = (
      await t.app.inject({
        url: '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE&subgroup=allocation',
      })
    ).json().subgroupTest;
    expect(z.distribution).toBe('CHI_SQUARE');
    expect(z.statistic).toBe(z.qBetween);
    expect(z.dfResidual).toBeNull();
  });

  it('lists studies missing a moderator, and answers with a reason when too few remain', async () => {
    const body = await get('moderators=cellsPerKg');
    expect(body.k).toBe(0);
    expect(body.excluded).toHaveLength(13);
    expect(body.excluded.every((e) => e.reason === 'MODERATOR_NOT_REPORTED')).toBe(true);
    expect(body.coefficients).toEqual([]);
    expect(body.reason).toMatch(/needs k > p/);
  });

  it('refuses an unknown moderator and a missing list with a 400', async () => {
    for (const query of ['moderators=latitude', '']) {
      const res = await t.app.inject({ url: `${BASE}&${query}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].path).toMatch(/^\/query\/moderators/);
    }
  });
});
