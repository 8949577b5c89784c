import { describe, expect, it } from 'vitest';
import { cumulative, leaveOneOut } from '../../../src/domain/evidence/sensitivity';
import { effectsOf, evidence } from '../../helpers/evidence-oracles';
import { expectClose } from '../../helpers/metafor-oracles';

const { bcg } = evidence;
const effects = effectsOf(bcg.input);

// Oracle: metafor 3.8.1, leave1out(rma(yi, vi, data = dat.bcg)) (test/fixtures/evidence-oracles.json).
describe('leave-one-out against metafor on dat.bcg (REML)', () => {
  const rows = leaveOneOut(effects, { method: 'REML', test: 'z' });
  const oracle = bcg.leave1out_REML;

  it('has one row per study, in study order', () => {
    expect(rows).toHaveLength(13);
    expect(oracle.omitted).toEqual(bcg.input.trial);
  });

  it.each(bcg.input.trial.map((trial, i) => [trial, i] as const))('omitting trial %i', (_trial, i) => {
    const row = rows[i];
    const field = (name: keyof typeof oracle) => oracle[name][i] as number;
    expectClose(row?.estimate, field('estimate'), 'estimate');
    expectClose(row?.se, field('se'), 'se');
    expectClose(row?.ciLower, field('ci_lb'), 'ci.lb');
    expectClose(row?.ciUpper, field('ci_ub'), 'ci.ub');
    expectClose(row?.tau2, field('tau2'), 'tau2');
    expectClose(row?.i2, field('I2'), 'I2');
    expectClose(row?.h2, field('H2'), 'H2');
    expectClose(row?.q, field('Q'), 'Q');
    expectClose(row?.qPValue, field('Qp'), 'Qp');
  });
});

// Oracle: metafor 3.8.1, cumul(rma(yi, vi, data = dat.bcg), order = year).
describe('cumulative meta-analysis against metafor on dat.bcg (REML, by year)', () => {
  const oracle = bcg.cumul_REML_by_year;
  const ordered = oracle.order_trial.map(
    (trial) => effects[bcg.input.trial.indexOf(trial)] as (typeof effects)[0],
  );
  const steps = cumulative(ordered, { method: 'REML', test: 'z' });

  it.each(oracle.order_trial.map((trial, j) => [j + 1, trial, j] as const))(
    'step %i (adds trial %i)',
    (_step, _trial, j) => {
      const step = steps[j];
      const field = (name: keyof typeof oracle) => oracle[name][j] as number;
      expect(step?.k).toBe(j + 1);
      expectClose(step?.estimate, field('estimate'), 'estimate');
      expectClose(step?.se, field('se'), 'se');
      expectClose(step?.ciLower, field('ci_lb'), 'ci.lb');
      expectClose(step?.ciUpper, field('ci_ub'), 'ci.ub');
      expectClose(step?.tau2, field('tau2'), 'tau2');
      // With one study metafor prints I² = 0; the catalogue reports no heterogeneity at all (null).
      if (j === 0) expect(step?.i2).toBeNull();
      else expectClose(step?.i2, field('I2'), 'I2');
    },
  );
});
