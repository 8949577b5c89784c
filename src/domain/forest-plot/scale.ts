import type { ForestPooled, ForestStudy } from './types';

/** At most this many tick intervals before the outermost ticks are rounded outwards. */
export const TARGET_INTERVALS = 6;

/** The smallest step of the form {1, 2, 5} × 10ⁿ that is at least `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const base = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5]) if (m * base >= rough * (1 - 1e-9)) return m * base;
  return 10 * base;
}

export interface Ticks {
  values: number[];
  step: number;
}

/**
 * "Nice" ticks covering [lo, hi]: step = niceStep((hi − lo) / TARGET_INTERVALS), first tick = the
 * largest multiple of the step ≤ lo, last tick = the smallest multiple ≥ hi. So the ticks always
 * span the range and the axis limits are the outermost ticks.
 * Example: [−3.2, 7.9] → span 11.1, 11.1 / 6 = 1.85 → step 2 → −4, −2, 0, 2, 4, 6, 8.
 * A degenerate range (lo = hi) is widened by 1 on each side.
 */
export function niceTicks(lo: number, hi: number): Ticks {
  let a = Number.isFinite(lo) ? lo : -1;
  let b = Number.isFinite(hi) ? hi : 1;
  if (a > b) [a, b] = [b, a];
  if (b - a <= Math.max(Math.abs(a), Math.abs(b)) * 1e-12) {
    a -= 1;
    b += 1;
  }
  const step = niceStep((b - a) / TARGET_INTERVALS);
  const first = Math.floor(a / step + 1e-9);
  const last = Math.ceil(b / step - 1e-9);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(Number((i * step).toFixed(decimals)) + 0);
  return { values, step };
}

export type Scale = (value: number) => number;

/** Linear map of [d0, d1] onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * k;
}

/**
 * The data range the axis must show, before rounding to ticks. It always contains 0, every study
 * estimate and the pooled confidence interval. Study CIs and the prediction interval widen it, but
 * by at most one "reach" beyond that core on each side, reach = max(core width / 2, median study
 * CI width): a typical study at the edge of the core still fits, while one very imprecise study is
 * clipped (drawn with an arrow) instead of squashing all the others into a few pixels.
 */
export function dataRange(studies: readonly ForestStudy[], pooled: ForestPooled | null): [number, number] {
  const core = [0, ...studies.map((s) => s.estimate)];
  if (pooled) core.push(pooled.estimate, pooled.ciLower, pooled.ciUpper);
  const coreValues = core.filter(Number.isFinite);
  const coreLo = Math.min(...coreValues);
  const coreHi = Math.max(...coreValues);

  const widths = studies.map((s) => s.ciUpper - s.ciLower).filter((w) => Number.isFinite(w) && w > 0);
  const reach = Math.max((coreHi - coreLo) / 2, median(widths));

  const outer = studies.flatMap((s) => [s.ciLower, s.ciUpper]);
  if (pooled) outer.push(pooled.predictionLower ?? Number.NaN, pooled.predictionUpper ?? Number.NaN);
  // ±Infinity bounds are left out here; they are drawn clipped at the axis limits.
  const all = [...coreValues, ...outer.filter(Number.isFinite)];
  return [Math.max(Math.min(...all), coreLo - reach), Math.min(Math.max(...all), coreHi + reach)];
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}
