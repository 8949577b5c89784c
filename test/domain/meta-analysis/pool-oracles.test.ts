import { describe, expect, it } from 'vitest';
import { pool } from '../../../src/domain/meta-analysis';
import { at, expectPooledMatches, oracleCases, oracles, toleranceFor } from '../../helpers/metafor-oracles';

// The reference values are R metafor fits iterated to full convergence; "published" strings name
// the printed sources they agree with.
const provenance = oracles.provenance.split('.')[0];

describe(`pool() reproduces R metafor rma.uni()/predict() (${provenance})`, () => {
  for (const c of oracleCases) {
    describe(`${c.name}: ${c.source}`, () => {
      const effects = c.yi.map((yi, i) => ({ yi, vi: at(c.vi, i) }));

      for (const [fitKey, fit] of Object.entries(c.fits)) {
        it(`${c.name} ${fitKey} (method ${fit.method}, test ${fit.test}) matches metafor`, () => {
          const result = pool(effects, { method: fit.method, test: fit.test });
          expect(result.k).toBe(fit.k);
          expect(result.method).toBe(fit.method);
          expect(result.test).toBe(fit.test);
          expect(result.qDf).toBe(fit.k - 1);
          expectPooledMatches(result, fit, `${c.name} ${fitKey}`);
        });
      }
    });
  }

  it('covers every data set and fit in the oracle file', () => {
    const names = oracleCases.map((c) => c.name);
    expect(names).toEqual([
      'bcg_logRR',
      'normand1999_MD_unpooled',
      'normand1999_MD_pooledSD',
      'normand1999_SMD',
      'raudenbush1985_SMD',
      'morris2008_prepost MC',
      'morris2008_prepost SMCR',
      'morris2008_prepost SMCC',
      'normand1999_MN_group1',
    ]);
    for (const c of oracleCases) {
      expect(Object.keys(c.fits).sort(), c.name).toEqual([
        'DL',
        'DL_KH',
        'EE',
        'PM',
        'PM_KH',
        'REML',
        'REML_KH',
      ]);
    }
  });

  it('honours level: bcg_logRR REML 90% CI is estimate ± z_0.95·se (z_0.95 = 1.6448536270 from tables)', () => {
    const { input, fits } = oracles.bcg_logRR;
    const reml = fits.REML;
    if (reml === undefined) throw new Error('fixture lacks bcg_logRR REML');
    const effects = input.yi.map((yi, i) => ({ yi, vi: at(input.vi, i) }));
    const result = pool(effects, { method: 'REML', test: 'z', level: 0.9 });
    const z95 = 1.644853627;
    expect(result.ciLower).toBeCloseTo(reml.estimate - z95 * reml.se, 8);
    expect(result.ciUpper).toBeCloseTo(reml.estimate + z95 * reml.se, 8);
    // The p-value does not depend on the level.
    expect(Math.abs(result.pValue - reml.pval)).toBeLessThanOrEqual(toleranceFor(reml.pval));
  });
});
