import { CannotPoolError } from './errors';
import { weightedFit } from './inverse-variance';
import type { EffectColumns } from './types';

const MAX_ITERATIONS = 1000;

/**
 * Paule–Mandel estimator: the τ² at which the generalized Q, Σ wᵢ(τ²)(yᵢ − μ̂(τ²))², equals its
 * expectation k − 1; 0 when Q already falls below k − 1 at τ² = 0. Needs k ≥ 2.
 *
 * Q(τ²) is strictly decreasing, so the root is unique and bisection finds it reliably. It is run to
 * machine precision: metafor's default uniroot() tolerance (≈1.2e-4) would leave the result off in
 * the 4th to 6th significant digit.
 */
export function tau2PauleMandel(effects: EffectColumns): number {
  const { y } = effects;
  const k = y.length;
  const target = k - 1;
  const excess = (tau2: number) => weightedFit(effects, tau2).rss - target;
  if (excess(0) <= 0) return 0;

  // Guaranteed upper bracket: Σwᵢ(yᵢ − μ̂)² ≤ Σwᵢ(yᵢ − ȳ)² < Σ(yᵢ − ȳ)²/τ², so at
  // τ² = Σ(yᵢ − ȳ)²/(k − 1) the generalized Q is already below k − 1.
  let mean = 0;
  for (let i = 0; i < k; i++) mean += (y[i] as number) / k;
  let sumSq = 0;
  for (let i = 0; i < k; i++) sumSq += ((y[i] as number) - mean) ** 2;
  let lo = 0;
  let hi = sumSq / target;

  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi || hi - lo <= 1e-15 * hi) return mid;
    if (excess(mid) > 0) lo = mid;
    else hi = mid;
  }
  throw new CannotPoolError('Paule–Mandel estimator did not converge');
}
