import { tCritical } from './distributions';

/** Where an effective SD came from. */
export type SdSource = 'REPORTED' | 'FROM_SE' | 'FROM_CI';

export interface SdInput {
  n: number;
  sd: number | null;
  se: number | null;
  ciLower: number | null;
  ciUpper: number | null;
}

export interface DerivedSd {
  sdEffective: number | null;
  sdSource: SdSource | null;
}

/**
 * Standard deviation of a group mean, reported or recovered (Cochrane Handbook 6.5.2), in order of
 * preference:
 * 1. the reported SD;
 * 2. SE·√n (6.5.2.2);
 * 3. √n·(upper − lower)/(2·t_{0.975, n−1}) from a 95% CI of the mean (6.5.2.2). The t quantile is
 *    used at every n: the Handbook's 3.92 is its large-sample limit, and t is right for small
 *    trials, which most stem-cell trials are.
 * Derivations need n ≥ 2 (the t distribution needs n − 1 ≥ 1 df). A value that cannot be an SD
 * (negative, non-finite, an inverted CI) is skipped in favour of the next source, so a bad entry
 * never masquerades as a usable SD; when nothing usable remains both fields are null.
 */
export function deriveSd(r: SdInput): DerivedSd {
  if (isUsableSd(r.sd)) return { sdEffective: r.sd, sdSource: 'REPORTED' };
  if (Number.isFinite(r.n) && r.n >= 2) {
    if (r.se !== null) {
      const fromSe = r.se * Math.sqrt(r.n);
      if (isUsableSd(fromSe)) return { sdEffective: fromSe, sdSource: 'FROM_SE' };
    }
    if (r.ciLower !== null && r.ciUpper !== null && r.ciUpper >= r.ciLower) {
      const fromCi = (Math.sqrt(r.n) * (r.ciUpper - r.ciLower)) / (2 * tCritical(0.95, r.n - 1));
      if (isUsableSd(fromCi)) return { sdEffective: fromCi, sdSource: 'FROM_CI' };
    }
  }
  return { sdEffective: null, sdSource: null };
}

function isUsableSd(value: number | null): value is number {
  return value !== null && Number.isFinite(value) && value >= 0;
}
