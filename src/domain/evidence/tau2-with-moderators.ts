import { CannotPoolError, type EffectSize, type TauMethod } from '../meta-analysis';
import { at } from './linear-algebra';
import { fitWeighted, projectionTraces, type WeightedRegressionFit } from './weighted-regression';

const MAX_ITERATIONS = 1000;
const THRESHOLD = 1e-12;

type Design = readonly (readonly number[])[];

function fitOrThrow(effects: readonly EffectSize[], design: Design, tau2: number): WeightedRegressionFit {
  const fit = fitWeighted(effects, design, tau2);
  if (!fit) throw new CannotPoolError('the moderators are linearly dependent');
  return fit;
}

/** Residual τ² of a mixed-effects meta-regression, by metafor's rma.uni(mods =) estimators. Needs k > p. */
export function tau2WithModerators(
  effects: readonly EffectSize[],
  design: Design,
  method: TauMethod,
): number {
  switch (method) {
    case 'EE':
      return 0;
    case 'DL':
      return tau2DerSimonianLairdMods(effects, design);
    case 'PM':
      return tau2PauleMandelMods(effects, design);
    case 'REML':
      return tau2RemlMods(effects, design);
  }
}

/** The generalised DerSimonian–Laird estimator: (QE − (k − p)) / tr P at τ² = 0, floored at 0. */
function tau2DerSimonianLairdMods(effects: readonly EffectSize[], design: Design): number {
  const fit = fitOrThrow(effects, design, 0);
  const p = design[0]?.length ?? 0;
  const { trP } = projectionTraces(fit, design);
  return Math.max(0, (fit.rss - (effects.length - p)) / trP);
}

/**
 * Paule–Mandel: the τ² at which the generalised Q equals its degrees of freedom k − p. Q falls as τ²
 * grows, so bisection finds the root to machine precision; 0 when Q is already below k − p there.
 */
function tau2PauleMandelMods(effects: readonly EffectSize[], design: Design): number {
  const df = effects.length - (design[0]?.length ?? 0);
  const excess = (tau2: number) => fitOrThrow(effects, design, tau2).rss - df;
  if (excess(0) <= 0) return 0;
  let lo = 0;
  let hi = 1;
  for (let i = 0; excess(hi) > 0; i++) {
    if (i > 200) throw new CannotPoolError('Paule–Mandel found no upper bound for τ²');
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 200 && hi - lo > THRESHOLD * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (excess(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Hedges' estimator with moderators, metafor's start value: (RSS_OLS − tr(P_OLS V)) / (k − p), floored at 0. */
function tau2HedgesMods(effects: readonly EffectSize[], design: Design): number {
  const k = effects.length;
  const p = design[0]?.length ?? 0;
  // OLS is WLS with equal weights: vᵢ + τ² = 1 for every study.
  const ols = fitOrThrow(
    effects.map(({ yi }) => ({ yi, vi: 1 })),
    design,
    0,
  );
  // tr(P_OLS V) = Σvᵢ − Σᵢ vᵢ xᵢ′(X′X)⁻¹xᵢ.
  let trPV = 0;
  design.forEach((x, i) => {
    let leverage = 0;
    for (let a = 0; a < p; a++)
      for (let b = 0; b < p; b++) leverage += at(x, a) * ols.inverse.get(a, b) * at(x, b);
    trPV += (effects[i] as EffectSize).vi * (1 - leverage);
  });
  return Math.max(0, (ols.rss - trPV) / (k - p));
}

/**
 * REML by Fisher scoring as metafor does it, (y′PPy − tr P)/tr PP per step with step halving at 0,
 * iterated to full convergence; like the intercept-only estimator it prefers τ² = 0 when the
 * restricted likelihood is higher there.
 */
function tau2RemlMods(effects: readonly EffectSize[], design: Design): number {
  let tau2 = tau2HedgesMods(effects, design);
  let converged = false;
  for (let i = 0; i < MAX_ITERATIONS && !converged; i++) {
    const fit = fitOrThrow(effects, design, tau2);
    const { trP, trPP } = projectionTraces(fit, design);
    const yPPy = fit.residuals.reduce((sum, r, j) => sum + (at(fit.weights, j) * r) ** 2, 0);
    let adj = (yPPy - trP) / trPP;
    while (tau2 + adj < 0) adj /= 2;
    const next = tau2 + adj;
    converged = Math.abs(next - tau2) <= THRESHOLD * Math.max(1, next);
    tau2 = next;
  }
  if (!converged || !Number.isFinite(tau2)) throw new CannotPoolError('REML Fisher scoring did not converge');
  if (
    tau2 > THRESHOLD &&
    restrictedLogLik(effects, design, 0) - restrictedLogLik(effects, design, tau2) > THRESHOLD
  )
    return 0;
  return tau2;
}

/** The restricted log-likelihood of the mixed-effects model at τ², up to a constant. */
function restrictedLogLik(effects: readonly EffectSize[], design: Design, tau2: number): number {
  const fit = fitOrThrow(effects, design, tau2);
  const logDetV = effects.reduce((sum, { vi }) => sum + Math.log(vi + tau2), 0);
  // log det(X′WX) = −log det((X′WX)⁻¹); the Cholesky-based inverse is SPD, so its determinant is positive.
  return -0.5 * logDetV + 0.5 * logDeterminant(fit) - 0.5 * fit.rss;
}

function logDeterminant(fit: WeightedRegressionFit): number {
  // det((X′WX)⁻¹) by Gaussian elimination on a copy; p is small.
  const n = fit.inverse.rows;
  const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => fit.inverse.get(i, j)));
  let logDet = 0;
  for (let c = 0; c < n; c++) {
    const pivotRow = m[c] as number[];
    const pivot = at(pivotRow, c);
    logDet += Math.log(Math.abs(pivot));
    for (let r = c + 1; r < n; r++) {
      const row = m[r] as number[];
      const factor = at(row, c) / pivot;
      for (let j = c; j < n; j++) row[j] = at(row, j) - factor * at(pivotRow, j);
    }
  }
  return logDet;
}
