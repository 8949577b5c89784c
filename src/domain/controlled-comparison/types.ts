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
  /** The overall risk-of-bias judgement; null (or absent) when not assessed. */
  riskOfBias?: Vocab<'riskOfBias'> | null;
}

/** An arm's dose as reported: any part may be missing. */
export interface ArmDose {
  cells?: number | null;
  cellsPerKg?: number | null;
  administrations?: number | null;
}

export interface ComparisonArm {
  id: string;
  trialId: string;
  role: 'cell' | 'control';
  /** The arm's label, to name it to the reader (absent: the arm is named by its id). */
  label?: string;
  /** The arm's value of the subgroup facet, when the facet is an arm field. */
  subgroup: string | null;
  // The arm's own fields the study's moderators are read from; absent counts as not reported. A
  // caller may leave `dose` out and supply the compared arms' doses afterwards (withDoses).
  cellSource?: Vocab<'cellSource'> | null;
  cellType?: Vocab<'cellType'> | null;
  donor?: Vocab<'donor'> | null;
  route?: Vocab<'route'> | null;
  comparator?: Vocab<'comparator'> | null;
  dose?: ArmDose | null;
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

/**
 * What a reviewer explains differences between studies by. Cell fields are those of the combined
 * cell-therapy arms (the shared value, or MIXED when they differ); the comparator is the control
 * arm's; a dose part is the n-weighted mean over the combined arms, or null unless every one of
 * them reports it.
 */
export interface StudyModerators {
  cellSource: Vocab<'cellSource'> | 'MIXED';
  cellType: Vocab<'cellType'> | 'MIXED';
  donor: Vocab<'donor'> | 'MIXED';
  route: Vocab<'route'> | 'MIXED';
  comparator: Vocab<'comparator'> | null;
  cellsPerKg: number | null;
  cells: number | null;
  administrations: number | null;
  provenanceKind: ProvenanceKind;
  riskOfBias: Vocab<'riskOfBias'> | 'NOT_ASSESSED';
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
  /** n of the result each combined cell-therapy arm gives, in `cellArmIds` order. */
  cellArmSizes: number[];
  controlArmId: string;
  resultIds: string[];
  /** How many of the results used are LS-means with an SD derived from their SE. */
  lsMeanFromSe: number;
  /**
   * The trial's selected cell-therapy arms that give no result at the compared timepoint, method
   * and statistic, so are not in the combined group (absent or empty: every one contributes).
   */
  cellArmsLeftOut?: { id: string; label: string }[];
  subgroup: string;
  moderators: StudyModerators;
}

export interface ComparisonSet {
  /** The one measurement method compared, or null when no trial offered any comparison. */
  method: MeasurementMethod | null;
  comparisons: Comparison[];
  excluded: Exclusion[];
}
