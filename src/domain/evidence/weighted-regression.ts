import type { EffectSize } from '../meta-analysis';
import {
  at,
  invertSpd,
  type Matrix,
  multiply,
  multiplyVector,
  trace,
  weightedCrossProducts,
} from './linear-algebra';

/** A weighted least-squares fit of the effects on a design, with weights 1/(vᵢ + τ²). */
export interface WeightedRegressionFit {
  beta: number[];
  /** (X′WX)⁻¹: the coefficients' covariance when the weights are known. */
  inverse: Matrix;
  weights: number[];
  residuals: number[];
  /** Σ wᵢ rᵢ²: Cochran's Q of the residuals at this τ². */
  rss: number;
}

/** Null when the design is singular at these weights (a redundant term: drop it first). */
export function fitWeighted(
  effects: readonly EffectSize[],
  design: readonly (readonly number[])[],
  tau2: number,
): WeightedRegressionFit | null {
  const weights = effects.map(({ vi }) => 1 / (vi + tau2));
  const y = effects.map(({ yi }) => yi);
  const { xtwx, xtwy } = weightedCrossProducts(design, weights, y);
  const inverse = invertSpd(xtwx);
  if (!inverse) return null;
  const beta = multiplyVector(inverse, xtwy);
  const residuals = design.map((x, i) => at(y, i) - x.reduce((sum, xij, j) => sum + xij * at(beta, j), 0));
  const rss = residuals.reduce((sum, r, i) => sum + at(weights, i) * r * r, 0);
  return { beta, inverse, weights, residuals, rss };
}

/**
 * tr(P) and tr(PP) for P = W − WX(X′WX)⁻¹X′W, from p × p products only:
 * tr P = Σw − tr(A·X′W²X), tr PP = Σw² − 2 tr(A·X′W³X) + tr((A·X′W²X)²), A = (X′WX)⁻¹.
 */
export function projectionTraces(
  fit: WeightedRegressionFit,
  design: readonly (readonly number[])[],
): { trP: number; trPP: number } {
  const w2 = fit.weights.map((w) => w * w);
  const w3 = fit.weights.map((w) => w * w * w);
  const zeros = fit.weights.map(() => 0);
  const ab2 = multiply(fit.inverse, weightedCrossProducts(design, w2, zeros).xtwx);
  const ab3 = multiply(fit.inverse, weightedCrossProducts(design, w3, zeros).xtwx);
  const sumW = fit.weights.reduce((s, w) => s + w, 0);
  const sumW2 = w2.reduce((s, w) => s + w, 0);
  return { trP: sumW - trace(ab2), trPP: sumW2 - 2 * trace(ab3) + trace(multiply(ab2, ab2)) };
}
