import { describe, expect, it } from 'vitest';
import { beggTest } from '../../../src/domain/evidence/begg';
import { interceptColumn } from '../../../src/domain/evidence/design';
import { eggerTest } from '../../../src/domain/evidence/egger';
import { kendallTest } from '../../../src/domain/evidence/kendall';
import { metaRegression } from '../../../src/domain/evidence/meta-regression';
import { trimAndFill } from '../../../src/domain/evidence/trim-and-fill';
import { effectsOf, evidence } from '../../helpers/evidence-oracles';
import { expectClose } from '../../helpers/metafor-oracles';

const { hackshaw1998 } = evidence;
const effects = effectsOf(hackshaw1998.input);

// Oracles: metafor 3.8.1 on dat.hackshaw1998 (test/fixtures/evidence-oracles.json).
describe("Egger's regression test", () => {
  it('regtest(model = "lm"): t, df, p and the limit estimate', () => {
    const oracle = hackshaw1998.egger_lm_EE;
    const egger = eggerTest(effects);
    expectClose(egger.statistic, oracle.zval_or_tval, 't');
    expect(egger.df).toBe(oracle.dfs);
    expectClose(egger.pValue, oracle.pval, 'p');
    expectClose(egger.limitEstimate, oracle.est_limit, 'limit estimate');
  });

  it('regtest(model = "rma", predictor = "sei") on REML is the meta-regression on the standard error', () => {
    const oracle = hackshaw1998.egger_rma_REML_sei;
    const sei = { term: 'sei', values: effects.map(({ vi }) => Math.sqrt(vi)) };
    const fit = metaRegression(effects, [interceptColumn(effects.length), sei], {
      method: 'REML',
      test: 'z',
    });
    const [intercept, slope] = fit.coefficients;
    expectClose(slope?.statistic, oracle.zval, 'z');
    expectClose(slope?.pValue, oracle.pval, 'p');
    expectClose(intercept?.estimate, oracle.est_limit, 'limit estimate');
    expectClose(intercept?.ciLower, oracle.ci_lb, 'ci.lb');
    expectClose(intercept?.ciUpper, oracle.ci_ub, 'ci.ub');
  });

  it('needs three studies', () => {
    expect(() => eggerTest(effects.slice(0, 2))).toThrow(/at least 3/);
  });
});

describe("Begg's rank correlation test", () => {
  it('ranktest(): Kendall τ and the exact p (k = 37 < 50, no ties)', () => {
    const oracle = hackshaw1998.begg_ranktest_REML;
    const begg = beggTest(effects);
    expectClose(begg.tau, oracle.tau, 'tau');
    expectClose(begg.pValue, oracle.pval, 'p');
    expect(begg.exact).toBe(true);
  });

  // R 4.2.2: cor.test(c(1, 2, 3, 4, 5), c(3, 1, 2, 5, 4), method = "kendall") gives T = 7, tau = 0.4,
  // p-value = 0.483333333333333.
  it('the exact distribution of a small sample, as cor.test() prints it', () => {
    const test = kendallTest([1, 2, 3, 4, 5], [3, 1, 2, 5, 4]);
    expectClose(test.tau, 0.4, 'tau');
    expectClose(test.pValue, 0.483333333333333, 'p');
  });

  // R 4.2.2: cor.test(c(1, 2, 2, 4, 5, 6), c(1, 3, 2, 4, 6, 5), method = "kendall") warns that it
  // cannot compute exact p-values with ties and gives tau = 0.828078671210825, p = 0.0217173025540909.
  it('falls back to the normal approximation with ties, τ_b and its tie-corrected variance', () => {
    const test = kendallTest([1, 2, 2, 4, 5, 6], [1, 3, 2, 4, 6, 5]);
    expect(test.exact).toBe(false);
    expectClose(test.tau, 0.828078671210825, 'tau_b');
    expectClose(test.pValue, 0.0217173025540909, 'p');
  });

  // R 4.2.2: i <- 1:300; x <- i %% 17; y <- (i %% 13) + ((i * 7) %% 11) + x / 2;
  // cor.test(x, y, method = "kendall", exact = FALSE) gives tau = 0.299365829400623,
  // p-value = 1.01561248644147e-13. Hundreds of values in many tie groups: the score is counted by
  // sorting, not pair by pair, and must still be the pairwise count exactly.
  it('a large sample with many ties, as cor.test() gives it', () => {
    const i = Array.from({ length: 300 }, (_, k) => k + 1);
    const x = i.map((v) => v % 17);
    const y = i.map((v, k) => (v % 13) + ((v * 7) % 11) + (x[k] as number) / 2);
    const test = kendallTest(x, y);
    expect(test.exact).toBe(false);
    expectClose(test.tau, 0.299365829400623, 'tau_b');
    expectClose(test.pValue, 1.01561248644147e-13, 'p');
  });
});

describe('trim-and-fill', () => {
  it('trimfill() on an EE fit: k0, side and the filled estimate', () => {
    const oracle = hackshaw1998.trimfill_EE;
    const result = trimAndFill(effects, { method: 'EE', test: 'z' });
    expect(result.k0).toBe(oracle.k0);
    expect(result.side).toBe(oracle.side);
    expectClose(result.pooled.estimate, oracle.estimate, 'estimate');
    expectClose(result.pooled.se, oracle.se, 'se');
    expectClose(result.pooled.ciLower, oracle.ci_lb, 'ci.lb');
    expectClose(result.pooled.ciUpper, oracle.ci_ub, 'ci.ub');
    expect(result.pooled.tau2).toBe(0);
  });

  it('trimfill() on a REML fit: every iteration refitted by REML, and the filled studies', () => {
    const oracle = hackshaw1998.trimfill_REML;
    const result = trimAndFill(effects, { method: 'REML', test: 'z' });
    expect(result.k0).toBe(oracle.k0);
    expect(result.side).toBe(oracle.side);
    expectClose(result.pooled.estimate, oracle.estimate, 'estimate');
    expectClose(result.pooled.se, oracle.se, 'se');
    expectClose(result.pooled.tau2, oracle.tau2, 'tau2');
    expect(result.filled).toHaveLength(oracle.k0);
    result.filled.forEach((study, i) => {
      expectClose(study.yi, oracle.filled_yi[i] as number, `filled yi ${i}`);
      expectClose(study.vi, oracle.filled_vi[i] as number, `filled vi ${i}`);
    });
  });
});
