import { normalCritical, normalTwoSidedP, tCritical, tTwoSidedP } from './distributions';
import { CannotPoolError } from './errors';
import { estimateTau2 } from './estimate-tau2';
import { heterogeneity } from './heterogeneity';
import { asColumns, centred, weightedFit } from './inverse-variance';
import { type Convergence, tau2RemlEstimate } from './tau2-reml';
import type { EffectColumns, Effects, Pooled, TauMethod, TestKind } from './types';

export interface PoolOptions {
  method: TauMethod;
  test: TestKind;
  /** Confidence (and prediction) level; 0.95 when omitted. */
  level?: number;
  /** How far REML is iterated; to convergence unless an analysis is defined by metafor's defaults. */
  convergence?: Convergence;
}

/**
 * Intercept-only meta-analysis reproducing metafor's rma.uni(yi, vi, method, test) together with
 * predict() for the prediction interval.
 *
 * - k = 0, a non-finite yᵢ, or a vᵢ that is not a positive finite number: CannotPoolError.
 * - k = 1: there is nothing to estimate heterogeneity from, so τ² = 0, Q/I²/H² are null, the
 *   prediction interval is the confidence interval, and the z-test is used even when Knapp–Hartung
 *   is asked for (its t distribution would have k − 1 = 0 degrees of freedom, which is undefined);
 *   `test` then reports 'z', the test actually used.
 * - Knapp–Hartung with all estimates identical: the KH standard error is exactly 0. The limits are
 *   returned (CI and prediction interval collapse to the estimate, p = 0, or 1 when the estimate
 *   itself is 0) instead of metafor's Inf/NaN statistics.
 */
export function pool(studies: Effects, options: PoolOptions): Pooled {
  const { method, test } = options;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie in (0, 1), got ${level}`);
  const effects = asColumns(studies);
  assertPoolable(effects);

  const k = effects.y.length;
  if (k === 1) return assertFinite(singleStudy(effects, method, level));

  const shifted = centred(effects);
  // REML says when Fisher scoring missed the maximum and a search of the likelihood found it.
  const reml = method === 'REML' ? tau2RemlEstimate(shifted, options.convergence) : null;
  const tau2 = reml ? reml.tau2 : estimateTau2(shifted, method, options.convergence);
  const fit = weightedFit(effects, tau2);
  const estimate = fit.mean;

  let se: number;
  let crit: number;
  let pValue: number;
  if (test === 'knha') {
    // Not truncated at the z-based SE (metafor's default; the "ad hoc" variant would be max(1, ·)).
    se = Math.sqrt(fit.rss / ((k - 1) * fit.sumW));
    crit = tCritical(level, k - 1);
    pValue = se > 0 ? tTwoSidedP(estimate / se, k - 1) : degenerateP(estimate);
  } else {
    se = Math.sqrt(1 / fit.sumW);
    crit = normalCritical(level);
    pValue = normalTwoSidedP(estimate / se);
  }
  const ciLower = estimate - crit * se;
  const ciUpper = estimate + crit * se;

  // metafor's predict(): same critical value as the CI, widened by τ². Under EE there is no
  // between-study variance, so the prediction interval is the confidence interval.
  const piHalfWidth = method === 'EE' ? crit * se : crit * Math.sqrt(se * se + tau2);

  const h = heterogeneity(shifted, tau2, method);
  return assertFinite({
    k,
    estimate,
    se,
    ciLower,
    ciUpper,
    pValue,
    tau2,
    i2: h.i2,
    h2: h.h2,
    q: h.q,
    qDf: h.qDf,
    qPValue: h.qPValue,
    predictionLower: estimate - piHalfWidth,
    predictionUpper: estimate + piHalfWidth,
    method,
    test,
    ...(reml?.searched ? { tau2Searched: true as const } : {}),
  });
}

function singleStudy({ y, v }: EffectColumns, method: TauMethod, level: number): Pooled {
  const yi = y[0] as number;
  const se = Math.sqrt(v[0] as number);
  const crit = normalCritical(level);
  const ciLower = yi - crit * se;
  const ciUpper = yi + crit * se;
  return {
    k: 1,
    estimate: yi,
    se,
    ciLower,
    ciUpper,
    pValue: normalTwoSidedP(yi / se),
    tau2: 0,
    i2: null,
    h2: null,
    q: null,
    qDf: 0,
    qPValue: null,
    predictionLower: ciLower,
    predictionUpper: ciUpper,
    method,
    test: 'z',
  };
}

/** Limit of the two-sided p-value as the standard error goes to 0. */
function degenerateP(estimate: number): number {
  return estimate === 0 ? 1 : 0;
}

function assertPoolable({ y, v }: EffectColumns): void {
  if (y.length === 0) throw new CannotPoolError('no effects to pool');
  if (v.length !== y.length) throw new RangeError('effect columns differ in length');
  for (let i = 0; i < y.length; i++) {
    const yi = y[i] as number;
    const vi = v[i] as number;
    if (!Number.isFinite(yi)) throw new CannotPoolError(`effect ${i}: estimate is not finite`);
    // 1/vᵢ must be finite too: a subnormal variance would give an infinite weight.
    if (!(vi > 0 && Number.isFinite(vi) && Number.isFinite(1 / vi))) {
      throw new CannotPoolError(`effect ${i}: sampling variance must be positive and finite, got ${vi}`);
    }
  }
}

/** Last line of defence: extreme inputs can still overflow, and callers must never see NaN/Inf. */
function assertFinite(result: Pooled): Pooled {
  for (const [key, value] of Object.entries(result)) {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new CannotPoolError(`${key} is not finite for these effects`);
    }
  }
  return result;
}
