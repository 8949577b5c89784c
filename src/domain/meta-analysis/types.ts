/** How the between-study variance τ² is estimated. EE = equal (common) effect, τ² fixed at 0. */
export type TauMethod = 'EE' | 'DL' | 'REML' | 'PM';

/** Inference for the pooled estimate: Wald z, or Knapp–Hartung t with k−1 df. */
export type TestKind = 'z' | 'knha';

/** One study's effect estimate `yi` and its sampling variance `vi` (metafor's naming). */
export interface EffectSize {
  yi: number;
  vi: number;
}

/**
 * Effects as two columns, estimates `y` and variances `v` of equal length: the form the estimators
 * loop over. The analyses that pool many subsets of one set of studies (leave-one-out, cumulative,
 * trim-and-fill) pool thousands of them, and numbers read from typed arrays cost less than the same
 * numbers read from objects; a prefix is a view, not a copy.
 */
export interface EffectColumns {
  readonly y: Float64Array;
  readonly v: Float64Array;
}

/** What pool() accepts: effects one object per study, or as columns. */
export type Effects = readonly EffectSize[] | EffectColumns;

/**
 * Result of an intercept-only meta-analysis, field for field what metafor's rma.uni() and
 * predict() report. Heterogeneity fields are null when they are not defined (k = 1).
 */
export interface Pooled {
  k: number;
  estimate: number;
  se: number;
  ciLower: number;
  ciUpper: number;
  pValue: number;
  tau2: number;
  /** I² in percent. */
  i2: number | null;
  h2: number | null;
  /** Cochran's Q, always with inverse sampling-variance weights whatever the method. */
  q: number | null;
  qDf: number;
  qPValue: number | null;
  predictionLower: number;
  predictionUpper: number;
  method: TauMethod;
  /** The test actually used; 'z' when 'knha' was asked for but k = 1 (see pool.ts). */
  test: TestKind;
  /** Present when REML's Fisher scoring missed the likelihood's maximum and a search found it. */
  tau2Searched?: true;
}
