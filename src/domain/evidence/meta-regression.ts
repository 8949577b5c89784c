import betainc from '@stdlib/math-base-special-betainc';
import { CannotPoolError, type EffectSize, pool, type TauMethod, type TestKind } from '../meta-analysis';
import {
  chiSquareUpperTail,
  normalCritical,
  normalTwoSidedP,
  tCritical,
  tTwoSidedP,
} from '../meta-analysis/distributions';
import {
  at,
  invertSpd,
  type Matrix,
  multiplyVector,
  subMatrix,
  weightedCrossProducts,
} from './linear-algebra';
import { tau2WithModerators } from './tau2-with-moderators';
import { fitWeighted, projectionTraces } from './weighted-regression';

/** One column of the design: its term name and its value in each study. */
export interface DesignColumn {
  term: string;
  values: readonly number[];
}

export interface Coefficient {
  term: string;
  estimate: number;
  se: number;
  /** z, or t on k − p df under Knapp–Hartung. */
  statistic: number;
  pValue: number;
  ciLower: number;
  ciUpper: number;
}

export interface MetaRegression {
  k: number;
  coefficients: Coefficient[];
  /** Terms left out because earlier columns already determine them, as R's lm() and metafor do. */
  droppedTerms: string[];
  tau2: number;
  i2: number;
  h2: number;
  /** Percent of the intercept-only model's τ² the moderators account for (metafor's R²). */
  r2: number;
  qm: number;
  qmDf: number;
  qmDfResidual: number | null;
  qmPValue: number;
  qe: number;
  qeDf: number;
  qePValue: number;
  method: TauMethod;
  test: TestKind;
}

/** Upper tail of F(d1, d2): the regularised incomplete beta I_{d2/(d2 + d1·x)}(d2/2, d1/2). */
export function fUpperTail(x: number, d1: number, d2: number): number {
  if (x <= 0) return 1;
  return betainc(d2 / (d2 + d1 * x), d2 / 2, d1 / 2);
}

/**
 * Keeps the columns not determined by earlier ones, in order: the rule of R's lm() that metafor
 * follows when a model matrix is not of full rank (later redundant terms are dropped).
 */
function independentColumns(columns: readonly DesignColumn[], k: number) {
  const kept: DesignColumn[] = [];
  const dropped: string[] = [];
  const ones = Array.from({ length: k }, () => 1);
  for (const column of columns) {
    const candidate = [...kept, column];
    const rows = designRows(candidate, k);
    if (invertSpd(weightedCrossProducts(rows, ones, ones).xtwx)) kept.push(column);
    else dropped.push(column.term);
  }
  return { kept, dropped };
}

const designRows = (columns: readonly DesignColumn[], k: number): number[][] =>
  Array.from({ length: k }, (_, i) => columns.map((c) => at(c.values, i)));

export interface RegressionOptions {
  method: TauMethod;
  test: TestKind;
  level?: number;
}

/**
 * A mixed-effects meta-regression reproducing metafor's rma.uni(yi, vi, mods = ~ …): τ² by the
 * chosen estimator, coefficients by weighted least squares with weights 1/(vᵢ + τ²), Wald z or
 * Knapp–Hartung t tests (the latter on k − p df, the covariance scaled by the weighted residual
 * variance, not truncated), the omnibus test of the moderators QM (χ² on m df; F on (m, k − p) df
 * under Knapp–Hartung), the residual heterogeneity test QE, I², H² and R². `columns` is the whole
 * design; an intercept, when wanted, is a column of ones named `intercept`, and it is left out of QM.
 */
export function metaRegression(
  effects: readonly EffectSize[],
  columns: readonly DesignColumn[],
  options: RegressionOptions,
): MetaRegression {
  const { method, test } = options;
  const level = options.level ?? 0.95;
  const k = effects.length;
  const { kept, dropped } = independentColumns(columns, k);
  const p = kept.length;
  const hasIntercept = kept[0]?.term === 'intercept';
  const tested = kept.map((_, j) => j).filter((j) => !(hasIntercept && j === 0));
  if (tested.length === 0) throw new CannotPoolError('no moderator term is left to test');
  if (k <= p) throw new CannotPoolError(`${k} studies cannot estimate ${p} coefficients (needs k > p)`);

  const design = designRows(kept, k);
  const tau2 = tau2WithModerators(effects, design, method);
  const fit = fitWeighted(effects, design, tau2);
  if (!fit) throw new CannotPoolError('the moderators are linearly dependent');
  const dfResidual = k - p;
  const knha = test === 'knha';
  // Knapp–Hartung scales the covariance by the weighted residual variance (not truncated at 1).
  const scale = knha ? fit.rss / dfResidual : 1;
  if (!(scale > Number.EPSILON))
    throw new CannotPoolError('every residual is 0, so Knapp–Hartung has no scale');
  const crit = knha ? tCritical(level, dfResidual) : normalCritical(level);

  const coefficients = kept.map((column, j): Coefficient => {
    const estimate = at(fit.beta, j);
    const se = Math.sqrt(scale * fit.inverse.get(j, j));
    const statistic = estimate / se;
    return {
      term: column.term,
      estimate,
      se,
      statistic,
      pValue: knha ? tTwoSidedP(statistic, dfResidual) : normalTwoSidedP(statistic),
      ciLower: estimate - crit * se,
      ciUpper: estimate + crit * se,
    };
  });

  const qm = omnibusStatistic(fit.beta, fit.inverse, tested, scale) / (knha ? tested.length : 1);
  const fixed = fitWeighted(effects, design, 0);
  if (!fixed) throw new CannotPoolError('the moderators are linearly dependent');
  const qe = Math.max(0, fixed.rss);
  const { i2, h2 } = residualHeterogeneity(qe, tau2, dfResidual, projectionTraces(fixed, design).trP, method);

  return {
    k,
    coefficients,
    droppedTerms: dropped,
    tau2,
    i2,
    h2,
    r2: hasIntercept ? pseudoR2(effects, design, tau2, fixed.rss, options) : 0,
    qm,
    qmDf: tested.length,
    qmDfResidual: knha ? dfResidual : null,
    qmPValue: knha ? fUpperTail(qm, tested.length, dfResidual) : chiSquareUpperTail(qm, tested.length),
    qe,
    qeDf: dfResidual,
    qePValue: chiSquareUpperTail(qe, dfResidual),
    method,
    test,
  };
}

/** b′V⁻¹b over the tested terms, V the (scaled) covariance of their coefficients. */
function omnibusStatistic(
  beta: readonly number[],
  inverse: Matrix,
  tested: readonly number[],
  scale: number,
): number {
  const covariance = subMatrix(inverse, tested);
  const precision = invertSpd(covariance);
  if (!precision) throw new CannotPoolError('the moderators’ covariance is singular');
  const b = tested.map((j) => at(beta, j));
  const pb = multiplyVector(precision, b);
  return b.reduce((sum, bj, i) => sum + bj * at(pb, i), 0) / scale;
}

/**
 * metafor's I² and H² of a meta-regression: from τ² and the typical sampling variance
 * (k − p)/tr P at τ² = 0; under EE, from QE itself.
 */
function residualHeterogeneity(qe: number, tau2: number, df: number, trP: number, method: TauMethod) {
  if (method === 'EE') return { i2: qe > 0 ? Math.max(0, (100 * (qe - df)) / qe) : 0, h2: qe / df };
  const typical = df / trP;
  return { i2: (100 * tau2) / (typical + tau2), h2: tau2 / typical + 1 };
}

/**
 * metafor's pseudo R² (its default definition): the share of the intercept-only model's τ² that the
 * moderators account for, floored at 0 (0 when that τ² is 0). Under EE, where there is no τ², metafor
 * reports the adjusted R² of the weighted least-squares fit instead, and so does this.
 */
function pseudoR2(
  effects: readonly EffectSize[],
  design: readonly (readonly number[])[],
  tau2: number,
  residualSs: number,
  options: RegressionOptions,
): number {
  const k = effects.length;
  const p = design[0]?.length ?? 0;
  if (options.method === 'EE') {
    const weights = effects.map(({ vi }) => 1 / vi);
    const sumW = weights.reduce((s, w) => s + w, 0);
    const mean = effects.reduce((s, { yi }, i) => s + at(weights, i) * yi, 0) / sumW;
    const total = effects.reduce((s, { yi }, i) => s + at(weights, i) * (yi - mean) ** 2, 0);
    if (total === 0) return 0;
    const adjusted = 1 - ((residualSs / total) * (k - 1)) / (k - p);
    return Math.max(0, 100 * adjusted);
  }
  const intercept = pool(effects, { method: options.method, test: 'z' }).tau2;
  if (intercept === 0) return 0;
  return Math.max(0, (100 * (intercept - tau2)) / intercept);
}
