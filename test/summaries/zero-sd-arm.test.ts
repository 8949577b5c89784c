import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { addTrials, cellArm, result, testTrial } from '../meta-analyses/catalogue';

// Issue 11 item 13. Made-up single-arm trials (test data): one group of five cell-therapy arms, two
// of them with a spread of 0 (an SD of 0, and an SE of 0, so sd = se·√n = 0: vᵢ = 0 either way).
let t: TestApp;
let ids: string[];

beforeAll(async () => {
  t = await buildTestApp();
  ids = addTrials(t.db, [
    testTrial('A', { arms: [cellArm('Cells A')], bmdResults: [result('Cells A', 10, 2, 1)] }),
    testTrial('B', { arms: [cellArm('Cells B')], bmdResults: [result('Cells B', 20, 3, 1.5)] }),
    testTrial('E', { arms: [cellArm('Cells E')], bmdResults: [result('Cells E', 8, 5, 2)] }),
    testTrial('Zero SD', { arms: [cellArm('Zero SD arm')], bmdResults: [result('Zero SD arm', 15, 4, 0)] }),
    testTrial('Zero SE', {
      arms: [cellArm('Zero SE arm')],
      bmdResults: [result('Zero SE arm', 12, 2.5, null, { se: 0 })],
    }),
  ]);
});
afterAll(() => t.close());

describe('GET /summaries/bmd-change with an arm whose SD is 0', () => {
  it('leaves the zero-SD arms out of the pooling, names them, and pools the rest as metafor does', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/summaries/bmd-change' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toMatch(/NaN|Infinity/);
    const body = res.json();
    expect(body.groups).toHaveLength(1);
    const [group] = body.groups;
    // The descriptive numbers still count all five arms.
    expect(group).toMatchObject({ trials: 5, arms: 5, participants: 65, armsWithoutSd: 0, min: 2, max: 5 });
    // R 4 / metafor: escalc("MN", mi=c(2,3,5), sdi=c(1,1.5,2), ni=c(10,20,8)); rma(yi, vi) (REML):
    const R = {
      k: 3,
      estimate: 3.2354508437947773,
      se: 0.83942683981598265,
      ciLower: 1.5902044700991784,
      ciUpper: 4.8806972174903764,
      tau2: 1.8916687715559362,
      i2: 91.98124087933634,
      q: 16.276595744680854,
    };
    expect(group.pooledReason).toBeNull();
    expect(group.pooled.k).toBe(R.k);
    expect(group.pooled.estimate).toBeCloseTo(R.estimate, 6);
    expect(group.pooled.se).toBeCloseTo(R.se, 6);
    expect(group.pooled.ciLower).toBeCloseTo(R.ciLower, 6);
    expect(group.pooled.ciUpper).toBeCloseTo(R.ciUpper, 6);
    expect(group.pooled.tau2).toBeCloseTo(R.tau2, 6);
    expect(group.pooled.i2).toBeCloseTo(R.i2, 4);
    expect(group.pooled.q).toBeCloseTo(R.q, 8);

    const warning = body.warnings.find((w: { code: string }) => w.code === 'ZERO_SD_EXCLUDED');
    expect(warning?.message).toMatch(/^2 arm results have an SD \(or SE\) of 0/);
    for (const named of ['“Zero SD arm”', '“Zero SE arm”', ids[3], ids[4]])
      expect(warning?.message).toContain(named);
    expect(warning?.message).not.toContain('“Cells A”');
  });

  it('says why when every arm with an SD has an SD of 0', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/summaries/bmd-change?q=Zero' });
    expect(res.statusCode, res.body).toBe(200);
    const [group] = res.json().groups;
    expect(group.arms).toBe(2);
    expect(group.pooled).toBeNull();
    expect(group.pooledReason).toMatch(/SD of 0/);
  });
});
