import { normalTwoSidedP } from '../meta-analysis/distributions';

export interface KendallTest {
  /** Kendall's τ_b. */
  tau: number;
  pValue: number;
  exact: boolean;
}

/** Group sizes of tied values, for the tie corrections. */
function tieGroups(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].filter((n) => n > 1);
}

/** S = Σᵢ<ⱼ sign(xⱼ − xᵢ)·sign(yⱼ − yᵢ) pair by pair: the definition, kept for non-finite values. */
function pairwiseScore(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      s += Math.sign((x[j] as number) - (x[i] as number)) * Math.sign((y[j] as number) - (y[i] as number));
  return s;
}

/**
 * The same S in O(n log n) (Knight 1966): sorted by x, then y, the discordant pairs are exactly the
 * inversions of y, and S = (pairs tied in neither) − 2 · discordant, `tiedX` and `tiedY` being the
 * pairs tied in x and in y. Every term is an integer far
 * below 2⁵³, so S is the pairwise sum exactly; thousands of studies would take millions of pairs.
 */
function kendallScore(x: readonly number[], y: readonly number[], tiedX: number, tiedY: number): number {
  const n = x.length;
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(x[i] as number) || !Number.isFinite(y[i] as number)) return pairwiseScore(x, y);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (x[a] as number) - (x[b] as number) || (y[a] as number) - (y[b] as number),
  );
  let tiedBoth = 0;
  for (let i = 1, run = 1; i <= n; i++) {
    const a = order[i - 1] as number;
    const b = order[i];
    if (b !== undefined && x[a] === x[b] && y[a] === y[b]) run += 1;
    else {
      tiedBoth += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  const ys = Float64Array.from(order, (i) => y[i] as number);
  return (n * (n - 1)) / 2 - tiedX - tiedY + tiedBoth - 2 * inversions(ys);
}

/** Pairs i < j with values[i] > values[j] (equal values are no inversion), by bottom-up merge sort. */
function inversions(values: Float64Array): number {
  const n = values.length;
  let from: Float64Array = values;
  let to: Float64Array = new Float64Array(n);
  let count = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if ((from[j] as number) < (from[i] as number)) {
          count += mid - i;
          to[k++] = from[j++] as number;
        } else to[k++] = from[i++] as number;
      }
      while (i < mid) to[k++] = from[i++] as number;
      while (j < hi) to[k++] = from[j++] as number;
    }
    [from, to] = [to, from];
  }
  return count;
}

/**
 * The number of permutations of n items with exactly q inversions, for q = 0 … n(n−1)/2 (the
 * Mahonian numbers), as probabilities: the exact null distribution of Kendall's statistic that R's
 * ckendall() counts. Kept as doubles divided by n! step by step so they never overflow.
 */
function inversionDistribution(n: number): Float64Array {
  let dist = new Float64Array([1]);
  for (let m = 2; m <= n; m++) {
    const next = new Float64Array(dist.length + m - 1);
    // Adding the m-th item creates 0 … m−1 new inversions, each equally likely.
    let window = 0;
    for (let q = 0; q < next.length; q++) {
      window += dist[q] ?? 0;
      if (q - m >= 0) window -= dist[q - m] ?? 0;
      next[q] = window / m;
    }
    dist = next;
  }
  return dist;
}

/**
 * Kendall's rank correlation test as R's cor.test(x, y, method = "kendall") computes it: τ_b, and
 * the exact two-sided p-value when n < 50 and neither variable has ties, else the normal
 * approximation with tie-corrected variance and no continuity correction. (metafor's ranktest()
 * passes exact = TRUE, which R honours above 50 too; below 50 the two agree, and the catalogue
 * follows the documented n < 50 rule so large analyses stay cheap.)
 */
export function kendallTest(x: readonly number[], y: readonly number[]): KendallTest {
  const n = x.length;
  const xTies = tieGroups(x);
  const yTies = tieGroups(y);
  const pairs = (n * (n - 1)) / 2;
  const tiedX = xTies.reduce((sum, t) => sum + (t * (t - 1)) / 2, 0);
  const tiedY = yTies.reduce((sum, t) => sum + (t * (t - 1)) / 2, 0);
  const s = kendallScore(x, y, tiedX, tiedY);
  const tau = s / Math.sqrt((pairs - tiedX) * (pairs - tiedY));

  if (n < 50 && xTies.length === 0 && yTies.length === 0) {
    // R: q = round((τ + 1) n(n − 1)/4) concordant pairs; two-sided from the nearer tail, doubled.
    const q = Math.round(((tau + 1) * n * (n - 1)) / 4);
    const dist = inversionDistribution(n);
    const cdf = (upTo: number) => {
      let sum = 0;
      for (let i = 0; i <= upTo; i++) sum += dist[i] ?? 0;
      return sum;
    };
    const p = q > (n * (n - 1)) / 4 ? 1 - cdf(q - 1) : cdf(q);
    return { tau, pValue: Math.min(1, 2 * p), exact: true };
  }
  const sum = (groups: number[], f: (t: number) => number) => groups.reduce((acc, t) => acc + f(t), 0);
  const v0 = n * (n - 1) * (2 * n + 5);
  const vt = sum(xTies, (t) => t * (t - 1) * (2 * t + 5));
  const vu = sum(yTies, (t) => t * (t - 1) * (2 * t + 5));
  const v1 = sum(xTies, (t) => t * (t - 1)) * sum(yTies, (t) => t * (t - 1));
  const v2 = sum(xTies, (t) => t * (t - 1) * (t - 2)) * sum(yTies, (t) => t * (t - 1) * (t - 2));
  const variance = (v0 - vt - vu) / 18 + v1 / (2 * n * (n - 1)) + v2 / (9 * n * (n - 1) * (n - 2));
  return { tau, pValue: normalTwoSidedP(s / Math.sqrt(variance)), exact: false };
}
