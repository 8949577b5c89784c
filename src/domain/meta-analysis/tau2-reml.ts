import { CannotPoolError } from './errors';
import type { EffectColumns } from './types';

const MAX_ITERATIONS = 1000;
/** Relative (absolute below 1) change in τ² at which Fisher scoring is taken to have converged. */
const THRESHOLD = 1e-12;

/**
 * When Fisher scoring stops: `full` iterates to convergence; `metafor-default` stops as metafor's
 * rma.uni() does without a `control` argument (once τ² moves by less than 1e-5, at most 100 steps),
 * for the few analyses whose published definition is metafor's own output with those settings.
 */
export type Convergence = 'full' | 'metafor-default';

/** A REML estimate, and whether Fisher scoring missed the maximum so that a search found it. */
export interface RemlEstimate {
  tau2: number;
  searched: boolean;
}

/**
 * Restricted maximum-likelihood τ², by Fisher scoring exactly as metafor's rma.uni() does it, by
 * default iterated to full convergence (metafor stops by default once τ² moves by less than 1e-5).
 * Needs k ≥ 2.
 */
export function tau2Reml(effects: EffectColumns, convergence: Convergence = 'full'): number {
  return tau2RemlEstimate(effects, convergence).tau2;
}

/**
 * Fisher scoring from metafor's start can fail to converge, or stop at the boundary τ² = 0 below the
 * restricted likelihood's maximum (with one very precise study among imprecise ones it steps there
 * while the maximum is elsewhere). With full convergence, when scoring fails or ends at 0, its
 * estimate is checked against a search of the whole likelihood (a log-spaced grid, refined by golden
 * sections), and the search's maximum is taken, flagged, when it is higher. An interior estimate is a
 * stationary point the scoring converged to and is kept, and so is 0 where the likelihood falls from
 * it, so the usual pool pays nothing extra.
 * metafor's default convergence keeps metafor's behaviour exactly, for the analyses defined by it.
 */
export function tau2RemlEstimate(effects: EffectColumns, convergence: Convergence = 'full'): RemlEstimate {
  const scored = fisherScoring(effects, convergence);
  if (convergence !== 'full') {
    if (scored === null) throw new CannotPoolError('REML Fisher scoring did not converge');
    return { tau2: scored, searched: false };
  }
  if (scored !== null && scored > 0) return { tau2: scored, searched: false };
  // At the boundary the likelihood must rise from τ² = 0 for a higher maximum to exist nearby; where
  // the score there points down, 0 stands without a search (the common homogeneous case).
  if (scored === 0 && !(scoringSteps(effects, 0).fisher > 0)) return { tau2: 0, searched: false };
  const searched = searchMaximum(effects);
  if (scored === null) {
    if (!Number.isFinite(searched))
      throw new CannotPoolError('REML found no maximum of the restricted likelihood');
    return { tau2: searched, searched: true };
  }
  const gain = remlLogLik(effects, searched) - remlLogLik(effects, scored);
  if (gain > 1e-9 * Math.max(1, Math.abs(remlLogLik(effects, scored))))
    return { tau2: searched, searched: true };
  return { tau2: scored, searched: false };
}

/**
 * Fisher scoring from the Hedges estimate; null when it does not converge to a finite value.
 *
 * With full convergence each step where the observed information is positive takes Newton's
 * increment instead (same direction as Fisher's, at most four times as long): it converges
 * quadratically where scoring converges linearly, about 5 steps instead of 8 on large pools, which
 * leave-one-out and cumulative analyses repeat thousands of times. The stopping rule is still
 * Fisher scoring's own (its increment below 1e-12, relative above 1 and absolute below), so the
 * estimate is the same fixed point within that tolerance. metafor's default convergence keeps pure
 * Fisher scoring: where it stops at 1e-5 the path decides the digits.
 */
function fisherScoring(effects: EffectColumns, convergence: Convergence): number | null {
  const full = convergence === 'full';
  const threshold = full ? THRESHOLD : 1e-5;
  const maxIterations = full ? MAX_ITERATIONS : 100;
  // metafor starts from the Hedges (HE) estimate, floored at 0.
  let tau2 = Math.max(0, tau2Hedges(effects));

  let converged = false;
  for (let i = 0; i < maxIterations && !converged; i++) {
    const step = scoringSteps(effects, tau2);
    let adj = step.fisher;
    // Step-halving keeps τ² inside the parameter space, as metafor does.
    while (tau2 + adj < 0) adj /= 2;
    let next = tau2 + adj;
    converged = Math.abs(next - tau2) <= threshold * (full ? Math.max(1, next) : 1);
    if (full && !converged && acceptsNewton(step, tau2)) next = tau2 + step.newton;
    tau2 = next;
  }
  if (!converged || !Number.isFinite(tau2)) return null;

  // Fisher scoring can stop on a local maximum; like metafor, prefer τ² = 0 when the restricted
  // likelihood is higher there.
  if (tau2 > THRESHOLD && likelihoodGainAtZero(effects, tau2) > THRESHOLD) return 0;
  return tau2;
}

/** Newton's increment is taken only where it is defined, keeps τ² positive and agrees with scoring's. */
function acceptsNewton({ fisher, newton }: ScoringSteps, tau2: number): boolean {
  return (
    Number.isFinite(newton) &&
    tau2 + newton > 0 &&
    Math.sign(newton) === Math.sign(fisher) &&
    Math.abs(newton) <= 4 * Math.abs(fisher)
  );
}

const GRID_POINTS = 80;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * The τ² maximising the restricted likelihood over [0, upper]: the best of 0 and a log-spaced grid
 * from far below the smallest vᵢ to ten times the spread of the data, then golden-section refinement
 * between the best point's neighbours.
 */
function searchMaximum(effects: EffectColumns): number {
  const { y, v } = effects;
  const k = y.length;
  let sum = 0;
  for (let i = 0; i < k; i++) sum += y[i] as number;
  const mean = sum / k;
  let squares = 0;
  for (let i = 0; i < k; i++) squares += ((y[i] as number) - mean) ** 2;
  const spread = squares / (k - 1);
  let minV = Number.POSITIVE_INFINITY;
  let maxV = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    minV = Math.min(minV, v[i] as number);
    maxV = Math.max(maxV, v[i] as number);
  }
  const lo = Math.log10(Math.max(minV * 1e-6, Number.MIN_VALUE));
  const hi = Math.log10(10 * (spread + maxV));
  const grid = [
    0,
    ...Array.from({ length: GRID_POINTS }, (_, i) => 10 ** (lo + ((hi - lo) * i) / (GRID_POINTS - 1))),
  ];
  const values = grid.map((t) => remlLogLik(effects, t));
  let best = 0;
  values.forEach((v, i) => {
    if (v > (values[best] ?? Number.NEGATIVE_INFINITY)) best = i;
  });
  if (best === 0 && (values[1] ?? Number.NEGATIVE_INFINITY) <= (values[0] ?? 0)) return 0;
  let a = grid[Math.max(0, best - 1)] ?? 0;
  let b = grid[Math.min(grid.length - 1, best + 1)] ?? 0;
  for (let i = 0; i < 200 && b - a > 1e-15 * Math.max(b, Number.MIN_VALUE); i++) {
    const c = b - GOLDEN * (b - a);
    const d = a + GOLDEN * (b - a);
    if (remlLogLik(effects, c) >= remlLogLik(effects, d)) b = d;
    else a = c;
  }
  const found = (a + b) / 2;
  return remlLogLik(effects, found) >= (values[best] ?? Number.NEGATIVE_INFINITY) ? found : (grid[best] ?? 0);
}

/**
 * Hedges' unweighted moment estimator, (Σ(yᵢ − ȳ)² − (1 − 1/k)Σvᵢ)/(k − 1): metafor's start value.
 */
function tau2Hedges(effects: EffectColumns): number {
  const { y, v } = effects;
  const k = y.length;
  let mean = 0;
  for (let i = 0; i < k; i++) mean += (y[i] as number) / k;
  let rss = 0;
  let sumV = 0;
  for (let i = 0; i < k; i++) {
    rss += ((y[i] as number) - mean) ** 2;
    sumV += v[i] as number;
  }
  return (rss - (1 - 1 / k) * sumV) / (k - 1);
}

/** The increments of one step at τ²: Fisher scoring's, and Newton's (NaN where the observed information is not positive). */
interface ScoringSteps {
  fisher: number;
  newton: number;
}

/**
 * One Fisher-scoring increment, (y′PPy − tr P) / tr(PP), with P = W − wwᵀ/Σw the projection
 * metafor forms as a k×k matrix. For an intercept-only model it reduces to sums:
 * Py = w∘(y − μ̂), tr P = Σw − Σw²/Σw, tr(PP) = Σw² − 2Σw³/Σw + (Σw²/Σw)².
 * Newton's uses the observed information 2y′PPPy − tr(PP) instead of the expected tr(PP) (the
 * restricted log-likelihood's second derivative is ½tr(PP) − y′PPPy), where, with r = Py,
 * y′PPPy = r′Pr = Σwr² − (Σwr)²/Σw.
 */
function scoringSteps({ y, v }: EffectColumns, tau2: number): ScoringSteps {
  const k = y.length;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let sWy = 0;
  for (let i = 0; i < k; i++) {
    const w = 1 / ((v[i] as number) + tau2);
    s1 += w;
    s2 += w * w;
    s3 += w * w * w;
    sWy += w * (y[i] as number);
  }
  const mu = sWy / s1;
  let yPPy = 0;
  let sWrr = 0;
  let sWr = 0;
  for (let i = 0; i < k; i++) {
    const w = 1 / ((v[i] as number) + tau2);
    const r = w * ((y[i] as number) - mu);
    yPPy += r * r;
    sWrr += w * r * r;
    sWr += w * r;
  }
  const trP = s1 - s2 / s1;
  const trPP = s2 - (2 * s3) / s1 + (s2 / s1) ** 2;
  const observed = 2 * (sWrr - (sWr * sWr) / s1) - trPP;
  return { fisher: (yPPy - trP) / trPP, newton: observed > 0 ? (yPPy - trP) / observed : Number.NaN };
}

/** Restricted log-likelihood of the intercept-only random-effects model at τ². */
function remlLogLik({ y, v }: EffectColumns, tau2: number): number {
  const k = y.length;
  let sumW = 0;
  let sumWy = 0;
  let sumLogV = 0;
  for (let i = 0; i < k; i++) {
    const w = 1 / ((v[i] as number) + tau2);
    sumW += w;
    sumWy += w * (y[i] as number);
    sumLogV += Math.log((v[i] as number) + tau2);
  }
  const mu = sumWy / sumW;
  let rss = 0;
  for (let i = 0; i < k; i++) rss += ((y[i] as number) - mu) ** 2 / ((v[i] as number) + tau2);
  return -0.5 * (k - 1) * Math.log(2 * Math.PI) - 0.5 * sumLogV - 0.5 * Math.log(sumW) - 0.5 * rss;
}

/**
 * remlLogLik(0) − remlLogLik(τ²), the check every converged pool makes, computed as one difference:
 * −½Σlog vᵢ + ½Σlog(vᵢ + τ²) is ½Σlog(1 + τ²/vᵢ), summed as logs of running products of the
 * ratios (each ≥ 1), so a pool of k studies takes a few logarithms rather than 2k; the rounding is
 * that of summing k logarithms.
 */
export function likelihoodGainAtZero({ y, v }: EffectColumns, tau2: number): number {
  const k = y.length;
  let logRatios = 0;
  let product = 1;
  let sumW0 = 0;
  let sumWy0 = 0;
  let sumW = 0;
  let sumWy = 0;
  for (let i = 0; i < k; i++) {
    const vi = v[i] as number;
    const yi = y[i] as number;
    const ratio = 1 + tau2 / vi;
    if (ratio > 1e100) logRatios += Math.log(ratio);
    else {
      product *= ratio;
      if (product > 1e100) {
        logRatios += Math.log(product);
        product = 1;
      }
    }
    sumW0 += 1 / vi;
    sumWy0 += yi / vi;
    const w = 1 / (vi + tau2);
    sumW += w;
    sumWy += w * yi;
  }
  logRatios += Math.log(product);
  const mu0 = sumWy0 / sumW0;
  const mu = sumWy / sumW;
  let rss0 = 0;
  let rss = 0;
  for (let i = 0; i < k; i++) {
    const vi = v[i] as number;
    const yi = y[i] as number;
    rss0 += (yi - mu0) ** 2 / vi;
    rss += (yi - mu) ** 2 / (vi + tau2);
  }
  return 0.5 * logRatios - 0.5 * Math.log(sumW0 / sumW) - 0.5 * (rss0 - rss);
}
