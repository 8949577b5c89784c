import { describe, expect, it } from 'vitest';
import { dummyColumns } from '../../../src/domain/evidence/design';
import { metaRegression } from '../../../src/domain/evidence/meta-regression';
import { effectsOf, evidence, type MetaregOracle } from '../../helpers/evidence-oracles';
import { expectClose } from '../../helpers/metafor-oracles';

const { bcg } = evidence;
const effects = effectsOf(bcg.input);
const intercept = { term: 'intercept', values: effects.map(() => 1) };
const ablat = { term: 'ablat', values: bcg.input.ablat };
const year = { term: 'year', values: bcg.input.year };

function expectCoefficients(fit: ReturnType<typeof metaRegression>, oracle: MetaregOracle, label: string) {
  expect(fit.coefficients).toHaveLength(oracle.coef.length);
  fit.coefficients.forEach((c, j) => {
    expectClose(c.estimate, oracle.coef[j] as number, `${label} coef ${c.term}`);
    expectClose(c.se, oracle.se[j] as number, `${label} se ${c.term}`);
    if (oracle.pval) expectClose(c.pValue, oracle.pval[j] as number, `${label} pval ${c.term}`);
    const statistic = oracle.zval ?? oracle.tval;
    if (statistic) expectClose(c.statistic, statistic[j] as number, `${label} statistic ${c.term}`);
    if (oracle.ci_lb) expectClose(c.ciLower, oracle.ci_lb[j] as number, `${label} ci.lb ${c.term}`);
    if (oracle.ci_ub) expectClose(c.ciUpper, oracle.ci_ub[j] as number, `${label} ci.ub ${c.term}`);
  });
}

// Oracle: metafor 3.8.1, rma(yi, vi, mods = ..., data = dat.bcg) (test/fixtures/evidence-oracles.json).
describe('meta-regression against metafor on dat.bcg', () => {
  it('mods = ~ ablat, REML, z tests: coefficients, τ², I², H², R², QM and QE', () => {
    const oracle = bcg.metareg_ablat_REML;
    const fit = metaRegression(effects, [intercept, ablat], { method: 'REML', test: 'z' });
    expectCoefficients(fit, oracle, 'ablat REML');
    expectClose(fit.tau2, oracle.tau2, 'tau2');
    expectClose(fit.i2, oracle.I2 as number, 'I2');
    expectClose(fit.h2, oracle.H2 as number, 'H2');
    expectClose(fit.r2, oracle.R2 as number, 'R2');
    expectClose(fit.qm, oracle.QM as number, 'QM');
    expect([fit.qmDf, fit.qmDfResidual]).toEqual([1, null]);
    expectClose(fit.qmPValue, oracle.QMp, 'QMp');
    expectClose(fit.qe, oracle.QE as number, 'QE');
    expectClose(fit.qePValue, oracle.QEp as number, 'QEp');
    expect(fit.qeDf).toBe(11);
  });

  it('mods = ~ ablat under Knapp–Hartung: t on k − p df and QM as F(1, 11)', () => {
    const oracle = bcg.metareg_ablat_REML_KH;
    const fit = metaRegression(effects, [intercept, ablat], { method: 'REML', test: 'knha' });
    expectCoefficients(fit, oracle, 'ablat REML KH');
    expectClose(fit.qm, oracle.QM as number, 'QM (F)');
    expect([fit.qmDf, fit.qmDfResidual]).toEqual([1, 11]);
    expectClose(fit.qmPValue, oracle.QMp, 'QMp');
    expectClose(fit.tau2, oracle.tau2, 'tau2');
  });

  it('mods = ~ ablat + year, REML', () => {
    const oracle = bcg.metareg_ablat_year_REML;
    const fit = metaRegression(effects, [intercept, ablat, year], { method: 'REML', test: 'z' });
    expectCoefficients(fit, oracle, 'ablat + year');
    expectClose(fit.tau2, oracle.tau2, 'tau2');
    expectClose(fit.r2, oracle.R2 as number, 'R2');
    expectClose(fit.qm, oracle.QM as number, 'QM');
    expect(fit.qmDf).toBe(2);
    expectClose(fit.qmPValue, oracle.QMp, 'QMp');
  });

  it('drops a redundant term, as lm() and metafor do, and reports it', () => {
    const doubled = { term: 'ablatTwice', values: bcg.input.ablat.map((a) => 2 * a) };
    const fit = metaRegression(effects, [intercept, ablat, doubled], { method: 'REML', test: 'z' });
    expect(fit.droppedTerms).toEqual(['ablatTwice']);
    expectCoefficients(fit, bcg.metareg_ablat_REML, 'ablat with a redundant copy');
  });

  it('refuses a model with as many coefficients as studies', () => {
    const few = effects.slice(0, 2);
    expect(() =>
      metaRegression(
        few,
        [
          { term: 'intercept', values: [1, 1] },
          { term: 'ablat', values: [44, 55] },
        ],
        {
          method: 'REML',
          test: 'z',
        },
      ),
    ).toThrow(/needs k > p/);
  });
});

// Oracle: metafor 3.8.1, rma(yi, vi, mods = ~ factor(alloc), data = dat.bcg), z and test = "knha".
describe('a categorical moderator against metafor on dat.bcg (alloc)', () => {
  const { levels, columns } = dummyColumns('alloc', bcg.input.alloc);

  it('codes the levels against the first in code-point order, as factor() does', () => {
    expect(levels).toEqual(bcg.subgroup_alloc_moderator_REML.levels);
    expect(columns.map((c) => c.term)).toEqual(['alloc:random', 'alloc:systematic']);
  });

  it('χ² moderator test under z', () => {
    const oracle = bcg.subgroup_alloc_moderator_REML;
    const fit = metaRegression(effects, [intercept, ...columns], { method: 'REML', test: 'z' });
    expectCoefficients(fit, oracle, 'alloc');
    expectClose(fit.qm, oracle.QM as number, 'QM');
    expect([fit.qmDf, fit.qmDfResidual]).toEqual([2, null]);
    expectClose(fit.qmPValue, oracle.QMp, 'QMp');
    expectClose(fit.tau2, oracle.tau2, 'tau2');
  });

  it('F(2, 10) moderator test under Knapp–Hartung', () => {
    const oracle = bcg.subgroup_alloc_moderator_REML_KH;
    const fit = metaRegression(effects, [intercept, ...columns], { method: 'REML', test: 'knha' });
    expectCoefficients(fit, oracle, 'alloc KH');
    expectClose(fit.qm, oracle.QM_F, 'QM (F)');
    expect([fit.qmDf, fit.qmDfResidual]).toEqual([2, 10]);
    expectClose(fit.qmPValue, oracle.QMp, 'QMp');
  });
});
