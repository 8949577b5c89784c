import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { expectPooledMatches, oracles } from '../helpers/metafor-oracles';
import { addNormand1999, NORMAND_SOURCE } from '../meta-analyses/catalogue';

/**
 * End to end: the cell-therapy arms of dat.normand1999 (group 1) pooled as raw arm means through
 * GET /summaries/bmd-change must give metafor's rma(measure = "MN") fits (normand1999_MN_group1).
 */

const set = oracles.normand1999_MN_group1;
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  addNormand1999(t.db);
});
afterAll(() => t.close());

async function lumbarGroup(query = '') {
  const res = await t.app.inject({ method: 'GET', url: `/summaries/bmd-change?site=LUMBAR_SPINE${query}` });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(body.groups).toHaveLength(1);
  return { body, group: body.groups[0] };
}

describe(`GET /summaries/bmd-change reproduces metafor MN pooling of group 1 of ${NORMAND_SOURCE}`, () => {
  for (const [fitKey, fit] of Object.entries(set.fits)) {
    it(`normand1999_MN_group1 ${fitKey}: method=${fit.method}&test=${fit.test} matches rma(measure="MN")`, async () => {
      const { group } = await lumbarGroup(`&method=${fit.method}&test=${fit.test}`);
      expect(group.pooled).toMatchObject({ k: 9, qDf: 8, method: fit.method, test: fit.test });
      expectPooledMatches(group.pooled, fit, `normand1999_MN_group1 ${fitKey}`);
    });
  }

  it('normand1999_MN_group1: describes the nine cell arms at their latest timepoint (worked by hand)', async () => {
    const { body, group } = await lumbarGroup();
    expect(group.key).toEqual({
      site: 'LUMBAR_SPINE',
      metric: 'PERCENT_CHANGE',
      method: 'DXA',
      statistic: 'MEAN',
    });
    // Control arms are not cell-therapy arms; the 6-month rows are earlier than 12 months.
    expect(group).toMatchObject({ trials: 9, arms: 9, armsWithoutSd: 0, min: 14, max: 66, median: 30 });
    expect(group.timepoints).toEqual([{ months: 12, arms: 9 }]);
    // Σn = 548; mean of the means 348/9; Σn·mean = 22423.
    expect(group.participants).toBe(548);
    expect(group.mean).toBeCloseTo(348 / 9, 12);
    expect(group.weightedMean).toBeCloseTo(22423 / 548, 12);
    expect(body.provenance).toEqual({ REGISTRY: 0, PUBLICATION: 0, ILLUSTRATIVE: 0, USER: 9 });
    expect(body.warnings).toEqual([]);
  });
});
