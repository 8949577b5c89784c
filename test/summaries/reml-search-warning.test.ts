import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { expectClose } from '../helpers/metafor-oracles';
import { addTrials, cellArm, result, testTrial } from '../meta-analyses/catalogue';

/**
 * Three cell-therapy arms whose within-arm means and variances (n = 100, vᵢ = sd²/n) are the case
 * REML's Fisher scoring misses: yi 0.01, 2, 0.05 with vi 1.6e-6, 0.667, 4.5e-4. Reference: R 4.2.2,
 * metafor 3.8.1, rma(yi, vi, control = list(tau2.init = 6e-4, threshold = 1e-12)) gives
 * τ² = 0.000608468818319255 and an estimate of 0.025769683735007154. Test data, not real trials.
 */
const ARMS = [
  [0.01, 1.6e-6],
  [2, 0.667],
  [0.05, 4.5e-4],
] as const;

describe('a pool whose REML maximum Fisher scoring misses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    addTrials(
      t.db,
      ARMS.map(([mean, vi], i) =>
        testTrial(`REML edge ${i + 1}`, {
          arms: [cellArm('Cells')],
          bmdResults: [result('Cells', 100, mean, Math.sqrt(vi * 100))],
        }),
      ),
    );
  });
  afterAll(() => t.close());

  it('pools at the likelihood’s maximum, flags it, and warns REML_MAXIMUM_BY_SEARCH', async () => {
    const body = (await t.app.inject({ url: '/summaries/bmd-change' })).json();
    const [group] = body.groups;
    expectClose(group.pooled.tau2, 0.000608468818319255, 'tau2');
    expectClose(group.pooled.estimate, 0.025769683735007154, 'estimate');
    expect(group.pooled.tau2Searched).toBe(true);
    expect(body.warnings.map((w: { code: string }) => w.code)).toContain('REML_MAXIMUM_BY_SEARCH');
  });
});
