import { describe, expect, it } from 'vitest';
import { asColumns, pool } from '../../../src/domain/meta-analysis';
import { tau2RemlEstimate } from '../../../src/domain/meta-analysis/tau2-reml';
import { evidence } from '../../helpers/evidence-oracles';
import { expectClose } from '../../helpers/metafor-oracles';

/**
 * One very precise study among imprecise ones: from its default start metafor's Fisher scoring
 * does not converge here, and with tight settings it steps to τ² = 0, below the restricted
 * likelihood's maximum. Reference: R 4.2.2, metafor 3.8.1,
 * rma(c(0.01, 2, 0.05), c(1.6e-6, 0.667, 4.5e-4), control = list(tau2.init = 6e-4,
 * threshold = 1e-12, maxiter = 1000)) gives τ² = 0.000608468818319255, estimate
 * 0.025769683735007154, se 0.019666840791596508.
 */
const effects = [
  { yi: 0.01, vi: 1.6e-6 },
  { yi: 2, vi: 0.667 },
  { yi: 0.05, vi: 4.5e-4 },
];

describe('REML finds the restricted likelihood’s maximum where Fisher scoring misses it', () => {
  it('searches, says so, and agrees with metafor started near the maximum', () => {
    const estimate = tau2RemlEstimate(asColumns(effects));
    expect(estimate.searched).toBe(true);
    expectClose(estimate.tau2, 0.000608468818319255, 'tau2');
    const pooled = pool(effects, { method: 'REML', test: 'z' });
    expectClose(pooled.estimate, 0.025769683735007154, 'estimate');
    expectClose(pooled.se, 0.019666840791596508, 'se');
  });

  it('leaves a scored estimate alone where it is the maximum (dat.bcg, dat.hackshaw1998)', () => {
    for (const input of [evidence.bcg.input, evidence.hackshaw1998.input]) {
      const data = input.yi.map((yi, i) => ({ yi, vi: input.vi[i] as number }));
      expect(tau2RemlEstimate(asColumns(data)).searched).toBe(false);
    }
  });
});
