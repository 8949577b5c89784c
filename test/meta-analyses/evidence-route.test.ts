import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { evidence } from '../helpers/evidence-oracles';
import { expectClose, oracles } from '../helpers/metafor-oracles';
import { addTrials, cellArm, controlArm, result, testTrial } from './catalogue';

/**
 * A published data set's effects entered as controlled trials: a cell-therapy and a control arm of
 * 100 each, means yᵢ and 0 and equal SDs √(50·vᵢ), so the mean difference and its variance are
 * exactly the data set's yᵢ and vᵢ. Test data, not real trials.
 */
function trialsOf(name: string, yi: number[], vi: number[], years: number[]) {
  return yi.map((y, i) => {
    const sd = Math.sqrt(50 * (vi[i] as number));
    // Month and day keep studies of one year in data-set order, as metafor's cumul(order = year) does.
    const month = String(1 + Math.floor(i / 28)).padStart(2, '0');
    const day = String(1 + (i % 28)).padStart(2, '0');
    return testTrial(`${name} study ${i + 1}`, {
      startDate: `${years[i]}-${month}-${day}`,
      allocation: 'RANDOMIZED',
      arms: [cellArm('Cells'), controlArm('Control')],
      bmdResults: [result('Cells', 100, y, sd), result('Control', 100, 0, sd)],
    });
  });
}

const QUERY = 'site=LUMBAR_SPINE&metric=PERCENT_CHANGE';

// Oracles: metafor 3.8.1 on dat.bcg (leave1out, cumul by year) and dat.hackshaw1998 (regtest,
// ranktest, trimfill), test/fixtures/evidence-oracles.json; the same yi/vi reach them through the API.
describe('evidence analyses through the API, on dat.bcg entered as controlled trials', () => {
  let t: TestApp;
  const { bcg } = evidence;

  beforeAll(async () => {
    t = await buildTestApp();
    addTrials(t.db, trialsOf('dat.bcg', bcg.input.yi, bcg.input.vi, bcg.input.year));
  });
  afterAll(() => t.close());

  it('leave-one-out reproduces leave1out() row by row', async () => {
    const res = await t.app.inject({ url: `/meta-analyses/bmd/leave-one-out?${QUERY}` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.k).toBe(13);
    // One row per study in the meta-analysis's own study order; each is matched to its data-set row.
    const meta = (await t.app.inject({ url: `/meta-analyses/bmd?${QUERY}` })).json();
    expect(body.omitted.map((o: { trialId: string }) => o.trialId)).toEqual(
      meta.studies.map((s: { trialId: string }) => s.trialId),
    );
    body.omitted.forEach((row: { title: string; pooled: Record<string, number> }) => {
      const i = Number(/study (\d+)$/.exec(row.title)?.[1]) - 1;
      expectClose(row.pooled.estimate, bcg.leave1out_REML.estimate[i] as number, `estimate without ${i + 1}`);
      expectClose(row.pooled.tau2, bcg.leave1out_REML.tau2[i] as number, `tau2 without ${i + 1}`);
      expectClose(row.pooled.i2, bcg.leave1out_REML.I2[i] as number, `I2 without ${i + 1}`);
    });
    expect(body.warnings).toEqual([]);
  });

  it('cumulative orders by start date and reproduces cumul()', async () => {
    const res = await t.app.inject({ url: `/meta-analyses/bmd/cumulative?${QUERY}` });
    expect(res.statusCode, res.body).toBe(200);
    const steps = res.json().steps as { title: string; pooled: Record<string, number> }[];
    expect(steps.map((s) => s.title)).toEqual(
      bcg.cumul_REML_by_year.order_trial.map((n) => `Test data: dat.bcg study ${n}`),
    );
    steps.forEach((step, j) => {
      expectClose(
        step.pooled.estimate,
        bcg.cumul_REML_by_year.estimate[j] as number,
        `step ${j + 1} estimate`,
      );
      expectClose(step.pooled.ciLower, bcg.cumul_REML_by_year.ci_lb[j] as number, `step ${j + 1} ci.lb`);
    });
  });

  it('draws the cumulative plot and the funnel as SVG', async () => {
    for (const path of ['cumulative.svg', 'funnel.svg']) {
      const res = await t.app.inject({ url: `/meta-analyses/bmd/${path}?${QUERY}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(res.body).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
    }
    const funnel = await t.app.inject({ url: `/meta-analyses/bmd/funnel.svg?${QUERY}` });
    expect(funnel.body.match(/class="study"/g)).toHaveLength(13);
  });

  // The rules applied to dat.bcg: randomised (starts HIGH); no trial has a risk-of-bias judgement
  // (100% of the weight unassessed: −1); metafor's REML fit has I² = 92.2% and a prediction interval
  // of (−1.87, 0.44), across no effect (−2); its CI (−1.07, −0.36) excludes no effect and 13 × 200
  // participants exceed 786 (0); one population (0); with 13 studies Egger's test is read:
  // metafor regtest(model = "lm") gives p = 0.1887 (0). HIGH − 3 = VERY_LOW.
  it('summary of findings: the pooled row and its suggested certainty, each downgrade with its reason', async () => {
    const res = await t.app.inject({ url: '/meta-analyses/bmd/summary-of-findings' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.suggestion).toMatch(/suggestions/);
    expect(body.rows).toHaveLength(1);
    const [row] = body.rows;
    expect([row.site, row.metric, row.method, row.k, row.participants]).toEqual([
      'LUMBAR_SPINE',
      'PERCENT_CHANGE',
      'DXA',
      13,
      2600,
    ]);
    expectClose(row.pooled.estimate, oracles.bcg_logRR.fits.REML?.estimate as number, 'pooled estimate');
    expect(row.startingCertainty).toBe('HIGH');
    expect(
      Object.fromEntries(
        Object.entries(row.domains).map(([k, d]) => [k, (d as { downgrade: number }).downgrade]),
      ),
    ).toEqual({ riskOfBias: 1, inconsistency: 2, indirectness: 0, imprecision: 0, publicationBias: 0 });
    expect(row.domains.publicationBias.reason).toBe("Egger's test p = 0.19.");
    expect(row.certainty).toBe('VERY_LOW');

    const csv = await t.app.inject({ url: '/meta-analyses/bmd/summary-of-findings?format=csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [cells] = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect([cells?.certainty, cells?.k, cells?.inconsistencyDowngrade]).toEqual(['VERY_LOW', '13', '2']);
  });

  it('refuses more studies than ANALYSIS_MAX_STUDIES, saying so', async () => {
    const small = await buildTestApp({ ANALYSIS_MAX_STUDIES: 5 });
    addTrials(small.db, trialsOf('dat.bcg', bcg.input.yi, bcg.input.vi, bcg.input.year));
    const res = await small.app.inject({ url: `/meta-analyses/bmd/leave-one-out?${QUERY}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().detail).toMatch(/at most 5 studies \(ANALYSIS_MAX_STUDIES\); this query pools 13/);
    await small.close();
  });
});

describe('small-study effects through the API, on dat.hackshaw1998 entered as controlled trials', () => {
  let t: TestApp;
  const { hackshaw1998 } = evidence;

  beforeAll(async () => {
    t = await buildTestApp();
    addTrials(
      t.db,
      trialsOf('dat.hackshaw1998', hackshaw1998.input.yi, hackshaw1998.input.vi, hackshaw1998.input.year),
    );
  });
  afterAll(() => t.close());

  it('Egger, Begg and trim-and-fill (REML) agree with regtest, ranktest and trimfill', async () => {
    const res = await t.app.inject({ url: `/meta-analyses/bmd/small-study-effects?${QUERY}` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.k).toBe(37);
    expectClose(body.egger.statistic, hackshaw1998.egger_lm_EE.zval_or_tval, 'Egger t');
    expectClose(body.egger.pValue, hackshaw1998.egger_lm_EE.pval, 'Egger p');
    expectClose(body.egger.limitEstimate, hackshaw1998.egger_lm_EE.est_limit, 'Egger limit');
    expectClose(body.begg.kendallTau, hackshaw1998.begg_ranktest_REML.tau, 'Begg tau');
    expectClose(body.begg.pValue, hackshaw1998.begg_ranktest_REML.pval, 'Begg p');
    expect(body.trimFill.k0).toBe(hackshaw1998.trimfill_REML.k0);
    expect(body.trimFill.side).toBe('left');
    expectClose(body.trimFill.pooled.estimate, hackshaw1998.trimfill_REML.estimate, 'trim-and-fill estimate');
    expect(body.warnings.map((w: { code: string }) => w.code)).not.toContain(
      'FEW_STUDIES_FOR_SMALL_STUDY_TESTS',
    );
  });

  it('trim-and-fill follows the requested estimator (EE)', async () => {
    const res = await t.app.inject({ url: `/meta-analyses/bmd/small-study-effects?${QUERY}&method=EE` });
    expectClose(res.json().trimFill.pooled.estimate, hackshaw1998.trimfill_EE.estimate, 'EE estimate');
  });

  it('warns below 10 studies and says why a test cannot run', async () => {
    const few = await buildTestApp();
    addTrials(few.db, trialsOf('few', [0.1, 0.3], [0.01, 0.02], [2001, 2002]));
    const body = (await few.app.inject({ url: `/meta-analyses/bmd/small-study-effects?${QUERY}` })).json();
    expect(body.warnings.map((w: { code: string }) => w.code)).toContain('FEW_STUDIES_FOR_SMALL_STUDY_TESTS');
    expect(body.egger).toBeNull();
    expect(body.eggerReason).toMatch(/at least 3 studies/);
    await few.close();
  });
});
