import { type Vocab, vocabularies } from '../vocabularies';
import {
  CannotPoolError,
  type Effects,
  effectCount,
  type Pooled,
  pool,
  type TauMethod,
  type TestKind,
} from './meta-analysis';

/**
 * Pieces every evidence summary reports the same way: which kinds of record fed it, the warnings a
 * reader must see, and a pooled estimate that is either finite numbers or an explicit reason.
 */

export type ProvenanceKind = Vocab<'provenanceKind'>;
export type ProvenanceCounts = Record<ProvenanceKind, number>;

export interface AnalysisWarning {
  code: string;
  message: string;
}

export interface PoolingOutcome {
  pooled: Pooled | null;
  /** Why `pooled` is null; null when it is not. */
  reason: string | null;
}

/** Zero records of every provenance kind. */
export function noProvenance(): ProvenanceCounts {
  return Object.fromEntries(vocabularies.provenanceKind.values.map((k) => [k, 0])) as ProvenanceCounts;
}

/** Trial records used, counted once each by provenance kind; every kind is present, zero or not. */
export function countProvenance(trials: Iterable<{ trialId: string; provenance: ProvenanceKind }>) {
  const counts = noProvenance();
  const seen = new Set<string>();
  for (const { trialId, provenance } of trials) {
    if (seen.has(trialId)) continue;
    seen.add(trialId);
    counts[provenance] += 1;
  }
  return counts;
}

export function illustrativeWarning(counts: ProvenanceCounts): AnalysisWarning[] {
  const n = counts.ILLUSTRATIVE;
  if (n === 0) return [];
  return [
    {
      code: 'ILLUSTRATIVE_DATA',
      message:
        `${n} of the trial records used ${n === 1 ? 'is' : 'are'} ILLUSTRATIVE: made up for demonstration, ` +
        'not real data. Filter provenance=REGISTRY,PUBLICATION to leave them out.',
    },
  ];
}

/** An LS-mean's SE reflects the model's adjustment, so an SD rebuilt from it as se·√n may be too small. */
export function lsMeanFromSeWarning(count: number): AnalysisWarning[] {
  if (count === 0) return [];
  return [
    {
      code: 'LS_MEAN_SD_FROM_SE',
      message:
        `${count} pooled result${count === 1 ? ' is a least-squares mean' : 's are least-squares means'} ` +
        'whose SD was derived from the standard error (sd = se·√n); that SD may understate the spread.',
    },
  ];
}

/**
 * A pool of one study keeps metafor's values for k = 1 (the study's own estimate and CI, τ² = 0,
 * no heterogeneity statistics, the prediction interval equal to the CI), and the reader is told
 * that nothing was combined. `pools` names what was pooled from one study each.
 */
export function singleStudyWarning(
  pools: readonly string[],
  unit: 'study' | 'arm' = 'study',
): AnalysisWarning[] {
  if (pools.length === 0) return [];
  const [first = ''] = pools;
  const named = pools.length > 5 ? [...pools.slice(0, 5), `${pools.length - 5} more`] : pools;
  const which =
    pools.length === 1
      ? `${first.charAt(0).toUpperCase()}${first.slice(1)}`
      : `${pools.length} pools (${named.join('; ')})`;
  return [
    {
      code: 'SINGLE_STUDY',
      message:
        `${which} ${pools.length === 1 ? 'rests' : 'each rest'} on a single ${unit} (k = 1): the estimate and its ` +
        `confidence interval are that ${unit}’s own, with no heterogeneity to estimate (τ² = 0; I², H² and Q ` +
        'undefined) and a prediction interval equal to the confidence interval.',
    },
  ];
}

/** True for the one result kind that carries the LS-mean warning wherever it is pooled. */
export function isLsMeanFromSe(r: { statistic: string; sdSource: string | null }): boolean {
  return r.statistic === 'LS_MEAN' && r.sdSource === 'FROM_SE';
}

/**
 * Pools the effects, or says why not: no effects at all, or numbers the estimator cannot turn into
 * finite results. Never throws for data reasons, so no answer carries NaN or fails with a 500.
 */
export function tryPool(
  effects: Effects,
  options: { method: TauMethod; test: TestKind },
  emptyReason: string,
): PoolingOutcome {
  if (effectCount(effects) === 0) return { pooled: null, reason: emptyReason };
  try {
    return { pooled: pool(effects, options), reason: null };
  } catch (error) {
    if (error instanceof CannotPoolError)
      return { pooled: null, reason: `These effects cannot be pooled: ${error.message}.` };
    throw error;
  }
}

/** Where REML's Fisher scoring missed the maximum and a search found it, the reader is told where. */
export function remlSearchWarning(where: readonly string[]): AnalysisWarning[] {
  if (!where.length) return [];
  return [
    {
      code: 'REML_MAXIMUM_BY_SEARCH',
      message:
        `For ${where.join(', ')}, REML's Fisher scoring (metafor's algorithm) failed or stopped at τ² = 0 below ` +
        "the restricted likelihood's maximum; τ² is the maximum a search of the likelihood found. metafor started " +
        'near it (control = list(tau2.init = …)) agrees.',
    },
  ];
}
