import { describe, expect, it } from 'vitest';
import { asColumns } from '../../../src/domain/meta-analysis';
import { likelihoodGainAtZero } from '../../../src/domain/meta-analysis/tau2-reml';
import { evidence } from '../../helpers/evidence-oracles';

/** The same difference summed the plain way: one logarithm per study at each τ². */
function plainGain(y: number[], v: number[], tau2: number): number {
  const logLik = (t: number) => {
    const w = v.map((vi) => 1 / (vi + t));
    const sumW = w.reduce((a, b) => a + b, 0);
    const mu = y.reduce((a, yi, i) => a + (w[i] as number) * yi, 0) / sumW;
    const rss = y.reduce((a, yi, i) => a + (w[i] as number) * (yi - mu) ** 2, 0);
    const logs = v.reduce((a, vi) => a + Math.log(vi + t), 0);
    return -0.5 * logs - 0.5 * Math.log(sumW) - 0.5 * rss;
  };
  return logLik(0) - logLik(tau2);
}

describe('the restricted likelihood at τ² = 0 against a converged τ²', () => {
  // Reference: R 4.2.2, metafor 3.8.1, on dat.bcg's log risk ratios (escalc(measure = "RR")):
  // logLik(rma(yi, vi, method = "REML", tau2 = 0)) − logLik(rma(yi, vi, method = "REML", tau2 = t)).
  const { yi, vi } = evidence.bcg.input;
  const bcg = asColumns(yi.map((y, i) => ({ yi: y, vi: vi[i] as number })));

  it('matches metafor’s log-likelihoods on dat.bcg', () => {
    expect(likelihoodGainAtZero(bcg, 0.3132432581364859)).toBeCloseTo(-59.02626940430055, 10);
    expect(likelihoodGainAtZero(bcg, 0.5)).toBeCloseTo(-58.66536740644819, 10);
  });

  it('keeps its precision where the running products of the variance ratios must be flushed', () => {
    // 3,000 precise studies under a large τ² (each ratio near 5·10⁴) and one whose ratio alone
    // exceeds 10¹⁰⁰: the product path flushes every few studies and takes that one's log apart.
    // Equal estimates leave no residual terms, so the difference is the logarithms' alone.
    const y = Array.from({ length: 3001 }, () => 0.5);
    const v = Array.from({ length: 3001 }, (_, i) => (i === 1500 ? 1e-200 : 1e-3 * (1 + (i % 7))));
    const columns = asColumns(y.map((yi, i) => ({ yi, vi: v[i] as number })));
    const expected = plainGain(y, v, 50);
    expect(Math.abs(likelihoodGainAtZero(columns, 50) - expected)).toBeLessThan(1e-12 * Math.abs(expected));
  });
});
