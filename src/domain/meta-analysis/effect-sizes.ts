import gammaln from '@stdlib/math-base-special-gammaln';
import type { EffectSize } from './types';

/** Summary statistics of one study arm. */
export interface ArmSummary {
  n: number;
  mean: number;
  sd: number;
}

/** Single-arm mean (metafor escalc measure "MN"): yi = mean, vi = sd²/n. */
export function rawMean(mean: number, sd: number, n: number): EffectSize {
  checkArm({ n, mean, sd }, 'arm');
  return { yi: mean, vi: (sd * sd) / n };
}

/**
 * Raw mean difference g1 − g2 (escalc "MD", default vtype "LS"): vi = sd1²/n1 + sd2²/n2, which
 * does not assume equal variances in the two arms.
 */
export function meanDifference(g1: ArmSummary, g2: ArmSummary): EffectSize {
  checkArm(g1, 'g1');
  checkArm(g2, 'g2');
  return { yi: g1.mean - g2.mean, vi: (g1.sd * g1.sd) / g1.n + (g2.sd * g2.sd) / g2.n };
}

/**
 * Standardized mean difference g1 − g2 with Hedges' small-sample correction (escalc "SMD",
 * vtype "LS"). The exact correction J(m) = Γ(m/2) / (√(m/2) Γ((m−1)/2)), m = n1 + n2 − 2, is used
 * rather than the 1 − 3/(4m − 1) approximation, as metafor does; it goes through log-gamma because
 * Γ overflows for m above ~340.
 */
export function hedgesG(g1: ArmSummary, g2: ArmSummary): EffectSize {
  checkArm(g1, 'g1');
  checkArm(g2, 'g2');
  const m = g1.n + g2.n - 2;
  if (!(m > 1)) throw new RangeError('hedgesG needs n1 + n2 > 3 for the small-sample correction');
  const pooledSd = Math.sqrt(((g1.n - 1) * g1.sd ** 2 + (g2.n - 1) * g2.sd ** 2) / m);
  if (!(pooledSd > 0)) throw new RangeError('hedgesG needs a positive pooled standard deviation');
  const j = Math.exp(gammaln(m / 2) - 0.5 * Math.log(m / 2) - gammaln((m - 1) / 2));
  const g = (j * (g1.mean - g2.mean)) / pooledSd;
  return { yi: g, vi: 1 / g1.n + 1 / g2.n + (g * g) / (2 * (g1.n + g2.n)) };
}

function checkArm({ n, mean, sd }: ArmSummary, label: string): void {
  if (!(Number.isFinite(n) && n > 0)) throw new RangeError(`${label}: n must be a positive number`);
  if (!Number.isFinite(mean)) throw new RangeError(`${label}: mean must be finite`);
  if (!(Number.isFinite(sd) && sd >= 0)) throw new RangeError(`${label}: sd must be finite and >= 0`);
}
