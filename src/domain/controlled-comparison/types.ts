import type { Vocab } from '../../vocabularies';
import type { ProvenanceKind } from '../evidence-report';
import type { EffectSize } from '../meta-analysis';

export type Statistic = Vocab<'statistic'>;
export type MeasurementMethod = Vocab<'method'>;

/**
 * Within each trial, the cell-therapy arm(s) against the control arm at one site and metric.
 * Inputs are the candidate rows the repository selected: the trials, their selected arms, and the
 * arms' results at the site and metric inside the timepoint window (timepoint > 0).
 */
export interface ComparisonTrial {
  id: string;
  title: string;
  provenance: ProvenanceKind;
  /** The trial's value of the subgroup facet, when the facet is a trial field. */
  subgroup: string | null;
}

export interface ComparisonArm {
  id: string;
  trialId: string;
  role: 'cell' | 'control';
  /** The arm's value of the subgroup facet, when the facet is an arm field. */
  subgroup: string | null;
}

export interface ComparisonResult {
  id: string;
  trialId: string;
  armId: string;
  method: MeasurementMethod;
  statistic: Statistic;
  timepointMonths: number;
  n: number;
  mean: number;
  sd: number | null;
  sdEffective: number | null;
  sdSource: string | null;
}

export type EffectMeasure = 'MD' | 'SMD';
export type SubgroupLevel = 'trial' | 'cell' | 'control';

export interface ComparisonOptions {
  effect: EffectMeasure;
  /** Measurement methods asked for; empty means any (one is chosen, DXA first). */
  methods: readonly string[];
  subgroupLevel?: SubgroupLevel;
}

export const EXCLUSION_REASONS = [
  'NO_CELL_ARM',
  'NO_CONTROL_ARM',
  'MULTIPLE_CONTROLS',
  'NO_COMMON_TIMEPOINT',
  'OTHER_METHOD',
  'MEDIAN_ONLY',
  'NO_SD',
  'EFFECT_NOT_ESTIMABLE',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface Exclusion {
  trialId: string;
  title: string;
  reason: ExclusionReason;
  detail: string;
}

export interface Comparison extends EffectSize {
  trialId: string;
  title: string;
  provenance: ProvenanceKind;
  timepointMonths: number;
  statistic: Statistic;
  n1: number;
  n2: number;
  cellArmIds: string[];
  controlArmId: string;
  resultIds: string[];
  /** How many of the results used are LS-means with an SD derived from their SE. */
  lsMeanFromSe: number;
  subgroup: string;
}

export interface ComparisonSet {
  /** The one measurement method compared, or null when no trial offered any comparison. */
  method: MeasurementMethod | null;
  comparisons: Comparison[];
  excluded: Exclusion[];
}
