import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from './catalogue';

// Made-up controlled trials (test data) for issue 11, items 12 and 17.
let t: TestApp;
let ids: Record<string, string>;
let armIds: Record<string, string>;

beforeAll(async () => {
  t = await buildTestApp();
  const names = ['Tiny SD', 'Plain', 'Steady', 'Two doses'];
  const created = addTrials(t.db, [
    // SDs of 1e-160: the pooled SD is ~1e-160, g ~ 1e160 and g² overflows, so vi = Infinity.
    testTrial('Tiny SD', {
      arms: [cellArm('Cells'), controlArm('Placebo')],
      bmdResults: [result('Cells', 10, 3, 1e-160), result('Placebo', 10, 1, 1e-160)],
    }),
    testTrial('Plain', {
      arms: [cellArm('Cells'), controlArm('Placebo')],
      bmdResults: [result('Cells', 12, 4.5, 1.2), result('Placebo', 12, 1, 1.4)],
    }),
    testTrial('Steady', {
      arms: [cellArm('Cells'), controlArm('Placebo')],
      bmdResults: [result('Cells', 15, 2, 1.5), result('Placebo', 14, 0.5, 1.1)],
    }),
    // Item 17 (femoral neck, so the lumbar-spine analysis holds the three trials above only): the
    // high-dose arm reports only at 6 months, the compared timepoint is 12 months.
    testTrial('Two doses', {
      arms: [cellArm('Low dose'), cellArm('High dose'), controlArm('Placebo')],
      bmdResults: [
        result('Low dose', 10, 3, 1, { site: 'FEMORAL_NECK' }),
        result('High dose', 10, 5, 1, { site: 'FEMORAL_NECK', timepointMonths: 6 }),
        result('Placebo', 10, 1, 1, { site: 'FEMORAL_NECK' }),
        result('Placebo', 10, 0.5, 1, { site: 'FEMORAL_NECK', timepointMonths: 6 }),
      ],
    }),
  ]);
  ids = Object.fromEntries(names.map((n, i) => [n, created[i] as string]));
  const rows = t.db.$client.prepare('SELECT id, trial_id AS trialId, label FROM arms').all() as {
    id: string;
    trialId: string;
    label: string;
  }[];
  armIds = Object.fromEntries(rows.map((r) => [`${r.trialId}|${r.label}`, r.id]));
});
afterAll(() => t.close());

async function analyse(query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/meta-analyses/bmd?metric=PERCENT_CHANGE${query}` });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.body).not.toMatch(/NaN|Infinity/);
  return res.json();
}

describe('issue 11 item 12: an effect that overflows is excluded, the rest pool', () => {
  it('excludes the 1e-160 SD trial as EFFECT_NOT_ESTIMABLE and pools the other two as metafor does', async () => {
    const body = await analyse('&site=LUMBAR_SPINE&effect=SMD');
    // R 4 / metafor: escalc("SMD", m1i=c(3,4.5,2), sd1i=c(1e-160,1.2,1.5), n1i=c(10,12,15),
    //   m2i=c(1,1,0.5), sd2i=c(1e-160,1.4,1.1), n2i=c(10,12,14)); study 1 gets yi/vi NA and
    //   rma(yi, vi) ("Studies with NAs omitted") pools k = 2 by REML:
    const R = {
      yi: [2.5916339881321599, 1.1022854618940292],
      vi: [0.30659514017587092, 0.15904408705218523],
      estimate: 1.7974242903837079,
      se: 0.74302489787893444,
      ciLower: 0.34112225092444493,
      ciUpper: 3.2537263298429711,
      tau2: 0.87625990268981813,
      pValue: 0.015560530471987513,
      i2: 79.00785198973557,
      q: 4.7636859244277208,
    };
    expect(body.excluded).toMatchObject([{ trialId: ids['Tiny SD'], reason: 'EFFECT_NOT_ESTIMABLE' }]);
    expect(body.studies.map((s: { trialId: string }) => s.trialId).sort()).toEqual(
      [ids.Plain, ids.Steady].sort(),
    );
    const byId = new Map(body.studies.map((s: { trialId: string }) => [s.trialId, s]));
    const plain = byId.get(ids.Plain) as { yi: number; vi: number };
    const steady = byId.get(ids.Steady) as { yi: number; vi: number };
    expect(plain.yi).toBeCloseTo(R.yi[0] as number, 10);
    expect(plain.vi).toBeCloseTo(R.vi[0] as number, 10);
    expect(steady.yi).toBeCloseTo(R.yi[1] as number, 10);
    expect(steady.vi).toBeCloseTo(R.vi[1] as number, 10);
    expect(body.pooled.k).toBe(2);
    expect(body.pooled.estimate).toBeCloseTo(R.estimate, 6);
    expect(body.pooled.se).toBeCloseTo(R.se, 6);
    expect(body.pooled.ciLower).toBeCloseTo(R.ciLower, 6);
    expect(body.pooled.ciUpper).toBeCloseTo(R.ciUpper, 6);
    expect(body.pooled.tau2).toBeCloseTo(R.tau2, 6);
    expect(body.pooled.pValue).toBeCloseTo(R.pValue, 6);
    expect(body.pooled.i2).toBeCloseTo(R.i2, 4);
    expect(body.pooled.q).toBeCloseTo(R.q, 8);
  });
});

describe('issue 11 item 17: cell-therapy arms left out of a trial’s combined group are named', () => {
  it('warns CELL_ARMS_LEFT_OUT naming the high-dose arm, and compares the low-dose arm alone', async () => {
    const body = await analyse('&site=FEMORAL_NECK');
    const trialId = ids['Two doses'] as string;
    expect(body.studies).toHaveLength(1);
    const [study] = body.studies;
    const low = armIds[`${trialId}|Low dose`];
    const high = armIds[`${trialId}|High dose`] as string;
    expect(study).toMatchObject({ trialId, timepointMonths: 12, cellArmIds: [low], yi: 2, n1: 10 });
    const warning = body.warnings.find((w: { code: string }) => w.code === 'CELL_ARMS_LEFT_OUT');
    expect(warning?.message).toContain('“High dose”');
    expect(warning?.message).toContain(high);
    expect(warning?.message).toContain(trialId);
    expect(warning?.message).not.toContain('“Low dose”');
  });

  it('gives no such warning when every cell-therapy arm contributes', async () => {
    const body = await analyse('&site=LUMBAR_SPINE');
    expect(body.warnings.map((w: { code: string }) => w.code)).not.toContain('CELL_ARMS_LEFT_OUT');
  });
});
