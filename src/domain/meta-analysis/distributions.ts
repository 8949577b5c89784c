import gammaln from '@stdlib/math-base-special-gammaln';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Upper critical value z_{1−α/2} of the standard normal for a two-sided interval of `level`. */
export function normalCritical(level: number): number {
  return normalQuantile(1 - (1 - level) / 2, 0, 1);
}

/** Upper critical value t_{1−α/2, df} for a two-sided interval of `level`. */
export function tCritical(level: number, df: number): number {
  return tQuantile(1 - (1 - level) / 2, df);
}

/**
 * Two-sided normal p-value. Taken from the lower tail at −|z| because 2·(1 − Φ(|z|)) cancels to 0
 * long before the true value underflows (bcg's EE fit has p ≈ 2e-26).
 */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}

/** Two-sided t p-value, from the lower tail for the same reason as normalTwoSidedP. */
export function tTwoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/**
 * Upper tail P(X > x) of a chi-square with `df` degrees of freedom (R's
 * pchisq(x, df, lower.tail = FALSE)). The stdlib package only gives the lower tail, and 1 − cdf
 * loses every significant digit once the tail is below ~1e-16, which heterogeneity Q values
 * routinely reach. Far in the tail we therefore evaluate the regularized upper incomplete gamma
 * Q(a, x/2), a = df/2, directly by its continued fraction (modified Lentz); nearer the centre,
 * where the tail is large, 1 − cdf is accurate and the continued fraction converges slowly.
 */
export function chiSquareUpperTail(x: number, df: number): number {
  if (x <= 0) return 1;
  const a = df / 2;
  const h = x / 2;
  if (h < a + 1) return 1 - chisquareCdf(x, df);
  return upperIncompleteGammaFraction(a, h);
}

function upperIncompleteGammaFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let f = d;
  for (let i = 1; i <= 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - gammaln(a)) * f;
}
