import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

type Rng = ReturnType<typeof xoroshiro128plus>;

export interface Table<T> {
  values: T[];
  cumulative: number[];
  total: number;
}

/** A weighted choice table, built once; `entries` are [value, relative weight]. */
export function table<T>(entries: [T, number][]): Table<T> {
  let total = 0;
  const cumulative = entries.map(([, weight]) => {
    total += weight;
    return total;
  });
  return { values: entries.map(([value]) => value), cumulative, total };
}

export function tableOf<T extends string>(weights: Record<T, number>): Table<T> {
  return table(Object.entries(weights) as [T, number][]);
}

export class Draw {
  constructor(private readonly rng: Rng) {}

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return uniformInt(this.rng, lo, hi);
  }

  unit(): number {
    return uniformFloat64(this.rng);
  }

  between(lo: number, hi: number): number {
    return lo + (hi - lo) * uniformFloat64(this.rng);
  }

  /** Symmetric triangular draw on [lo, hi): most values near the middle, none outside. */
  triangular(lo: number, hi: number): number {
    return lo + ((hi - lo) * (uniformFloat64(this.rng) + uniformFloat64(this.rng))) / 2;
  }

  chance(p: number): boolean {
    return uniformFloat64(this.rng) < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[uniformInt(this.rng, 0, items.length - 1)] as T;
  }

  from<T>(t: Table<T>): T {
    const x = uniformFloat64(this.rng) * t.total;
    const { cumulative, values } = t;
    for (let i = 0; i < cumulative.length; i++) if (x < (cumulative[i] as number)) return values[i] as T;
    return values[values.length - 1] as T;
  }

  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = uniformInt(this.rng, 0, i);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}

/** Marks one index in every block of `k` consecutive calls, at a random position within the block. */
export class OneIn {
  private calls = 0;
  private slot = 0;

  constructor(
    private readonly d: Draw,
    private readonly k: number,
  ) {}

  next(): boolean {
    const i = this.calls++ % this.k;
    if (i === 0) this.slot = this.d.int(0, this.k - 1);
    return i === this.slot;
  }
}

/** Rounds to `decimals` places, never returning −0 (JSON would print it as 0). */
export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f + 0;
}

const tCache: number[] = [];
/** t quantile 0.975 on df degrees of freedom, the one the API uses to turn a 95% CI back into an SD. */
export function t975(df: number): number {
  let t = tCache[df];
  if (t === undefined) {
    t = tQuantile(0.975, df);
    tCache[df] = t;
  }
  return t;
}
