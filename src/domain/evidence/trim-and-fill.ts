import { CannotPoolError, type EffectSize, type Pooled, type PoolOptions, pool } from '../meta-analysis';
import { tau2WithModerators } from './tau2-with-moderators';
import { fitWeighted } from './weighted-regression';

export type FunnelSide = 'left' | 'right';

export interface TrimFill {
  /** Studies estimated missing (estimator L0). */
  k0: number;
  /** The side of the funnel they were filled on. */
  side: FunnelSide;
  /** The pooled result with the filled studies added. */
  pooled: Pooled;
  filled: EffectSize[];
}

const MAX_ITERATIONS = 100;

/** R's round(): halves go to the even neighbour (IEC 60559), which k0 = (4S − k(k + 1))/(2k − 1) can hit. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The side missing studies are expected on, as metafor's trimfill() decides it: from the slope of
 * a meta-regression on sqrt(vᵢ) with the same τ² estimator; a negative slope means small studies
 * show smaller effects, so the gap is on the right. With every vᵢ equal there is no slope: left.
 */
function missingSide(effects: readonly EffectSize[], options: PoolOptions): FunnelSide {
  const design = effects.map(({ vi }) => [1, Math.sqrt(vi)]);
  const fit = fitWeighted(effects, design, 0);
  if (!fit || effects.length < 3) return 'left';
  const tau2 = tau2WithModerators(effects, design, options.method);
  const slope = fitWeighted(effects, design, tau2)?.beta[1];
  return slope !== undefined && slope < 0 ? 'right' : 'left';
}

/**
 * S⁺: the sum of the ranks of |yᵢ − centre| over the effects above the centre; ties ranked by
 * position (R's ties.method = "first"), and a difference of 0 counts for neither side. Typed arrays
 * and an index sort, as this runs once per iteration over every study.
 */
function positiveRankSum(sorted: readonly EffectSize[], centre: number): number {
  const k = sorted.length;
  const centred = new Float64Array(k);
  const size = new Float64Array(k);
  const order = new Uint32Array(k);
  for (let i = 0; i < k; i++) {
    const c = (sorted[i] as EffectSize).yi - centre;
    centred[i] = c;
    size[i] = Math.abs(c);
    order[i] = i;
  }
  // Ties by index: the order a stable sort by size gives.
  order.sort((a, b) => (size[a] as number) - (size[b] as number) || a - b);
  let sum = 0;
  for (let r = 0; r < k; r++) {
    const i = order[r] as number;
    if ((centred[i] as number) > 0) sum += r + 1;
  }
  return sum;
}

/**
 * Duval and Tweedie's trim-and-fill exactly as metafor's trimfill() runs it with estimator L0:
 * the effects (flipped when filling on the right) sorted ascending; repeatedly, the k − k0
 * smallest pooled with the requested method, the signed ranks of the centred effects giving
 * k0 = max(0, round((4·S⁺ − k(k + 1))/(2k − 1))), until k0 repeats; then the k0 largest mirrored
 * about the last trimmed estimate, and all of them pooled again with that method.
 */
export function trimAndFill(effects: readonly EffectSize[], requested: PoolOptions): TrimFill {
  const k = effects.length;
  // metafor's trimfill() refits every step, and the filled data, without the model's `control`
  // settings, so each REML fit stops at metafor's default convergence; so does this, so that the
  // published trimfill() output is reproduced (the difference is near 1e-6 relative).
  const options: PoolOptions = { ...requested, convergence: 'metafor-default' };
  if (k < 2) throw new CannotPoolError(`trim-and-fill needs at least 2 studies, got ${k}`);
  const side = missingSide(effects, requested);
  const flip = side === 'right' ? -1 : 1;
  // A stable sort, like R's sort(index.return = TRUE), so tied effects keep their study order.
  const sorted = effects.map(({ yi, vi }) => ({ yi: flip * yi, vi })).sort((a, b) => a.yi - b.yi);

  let k0 = 0;
  let previous = -1;
  let centre = 0;
  for (let iteration = 0; k0 !== previous; iteration++) {
    if (iteration >= MAX_ITERATIONS) throw new CannotPoolError('trim-and-fill did not converge');
    previous = k0;
    centre = pool(sorted.slice(0, k - k0), options).estimate;
    k0 = Math.max(0, roundHalfEven((4 * positiveRankSum(sorted, centre) - k * (k + 1)) / (2 * k - 1)));
  }

  const filled = sorted.slice(k - k0).map(({ yi, vi }) => ({ yi: flip * (2 * centre - yi), vi }));
  return { k0, side, pooled: pool([...effects, ...filled], options), filled };
}
