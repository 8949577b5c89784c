import type { Vocab } from '../vocabularies';
import type { ProvenanceKind } from './evidence-report';
import {
  type ArmSummary,
  combineManyGroups,
  type EffectSize,
  hedgesG,
  meanDifference,
} from './meta-analysis';

type Statistic = Vocab<'statistic'>;
type MeasurementMethod = Vocab<'method'>;

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

/** Preference order when several measurement methods could be compared: DXA first. */
export const METHOD_PREFERENCE: readonly MeasurementMethod[] = ['DXA', 'QCT', 'OTHER', 'NOT_REPORTED'];

export function compareArms(
  trials: readonly ComparisonTrial[],
  arms: readonly ComparisonArm[],
  results: readonly ComparisonResult[],
  options: ComparisonOptions,
): ComparisonSet {
  const armsOf = groupBy(arms, (a) => a.trialId);
  const resultsOf = groupBy(results, (r) => r.armId);
  const units = trials.map((trial) => {
    const own = armsOf.get(trial.id) ?? [];
    const side = (role: ComparisonArm['role']) =>
      own.filter((a) => a.role === role).map((arm) => ({ arm, results: resultsOf.get(arm.id) ?? [] }));
    return { trial, cells: side('cell'), controls: side('control') };
  });
  const method = chooseMethod(units, options.methods);
  const comparisons: Comparison[] = [];
  const excluded: Exclusion[] = [];
  for (const unit of units) {
    const outcome = compareTrial(unit, method, options);
    if ('reason' in outcome) excluded.push({ trialId: unit.trial.id, title: unit.trial.title, ...outcome });
    else comparisons.push(outcome);
  }
  return { method, comparisons, excluded };
}

interface Side {
  arm: ComparisonArm;
  results: ComparisonResult[];
}

interface Unit {
  trial: ComparisonTrial;
  cells: Side[];
  controls: Side[];
}

type Outcome = Comparison | { reason: ExclusionReason; detail: string };

const isMean = (r: ComparisonResult) => r.statistic !== 'MEDIAN';

/** Latest timepoint at which a cell arm and the control report the same method and statistic. */
function latestCommon(
  cells: readonly Side[],
  control: Side,
  keep: (r: ComparisonResult) => boolean,
): { months: number; method: string } | null {
  const keyOf = (r: ComparisonResult) => `${r.method}|${r.statistic}|${r.timepointMonths}`;
  const controlKeys = new Set(control.results.filter(keep).map(keyOf));
  let best: { months: number; method: string } | null = null;
  for (const r of cells.flatMap((c) => c.results)) {
    if (!keep(r) || !controlKeys.has(keyOf(r))) continue;
    if (best === null || r.timepointMonths > best.months)
      best = { months: r.timepointMonths, method: r.method };
  }
  return best;
}

function chooseMethod(units: readonly Unit[], requested: readonly string[]): MeasurementMethod | null {
  const candidates = METHOD_PREFERENCE.filter((m) => requested.length === 0 || requested.includes(m));
  if (candidates.length === 1) return candidates[0] as MeasurementMethod;
  const comparable = units.filter((u) => u.cells.length > 0 && u.controls.length === 1);
  return (
    candidates.find((m) =>
      comparable.some((u) =>
        latestCommon(u.cells, u.controls[0] as Side, (r) => r.method === m && isMean(r)),
      ),
    ) ?? null
  );
}

function compareTrial(unit: Unit, method: MeasurementMethod | null, options: ComparisonOptions): Outcome {
  const { cells, controls } = unit;
  if (cells.length === 0)
    return { reason: 'NO_CELL_ARM', detail: 'No cell-therapy arm of this trial matches the filters.' };
  if (controls.length === 0)
    return {
      reason: 'NO_CONTROL_ARM',
      detail: 'The trial has no control (non-cell) arm matching the filters.',
    };
  if (controls.length > 1)
    return {
      reason: 'MULTIPLE_CONTROLS',
      detail: `${controls.length} control arms are selected; narrow them with comparator.`,
    };
  const control = controls[0] as Side;
  const inMethod = (r: ComparisonResult) => method === null || r.method === method;
  const common = latestCommon(cells, control, (r) => inMethod(r) && isMean(r));
  if (common === null) return noCommonTimepoint(cells, control, method, inMethod);

  const chosen = choosePair(cells, control, common.months, common.method);
  const used = [...chosen.cells, chosen.control];
  if (used.some((r) => r.sdEffective === null))
    return {
      reason: 'NO_SD',
      detail: `At ${common.months} months an arm reports no SD (nor an SE or CI to derive one from).`,
    };
  const summary = (r: ComparisonResult): ArmSummary => ({
    n: r.n,
    mean: r.mean,
    sd: r.sdEffective as number,
  });
  let effect: EffectSize;
  try {
    const g1 = combineManyGroups(chosen.cells.map(summary));
    const g2 = summary(chosen.control);
    effect = options.effect === 'MD' ? meanDifference(g1, g2) : hedgesG(g1, g2);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { reason: 'EFFECT_NOT_ESTIMABLE', detail: error.message };
  }
  if (!(Number.isFinite(effect.yi) && effect.vi > 0 && Number.isFinite(1 / effect.vi)))
    return {
      reason: 'EFFECT_NOT_ESTIMABLE',
      detail: 'The sampling variance is zero or not finite (every SD used is 0).',
    };
  const cellArmIds = chosen.cells.map((r) => r.armId);
  return {
    trialId: unit.trial.id,
    title: unit.trial.title,
    provenance: unit.trial.provenance,
    timepointMonths: common.months,
    statistic: chosen.control.statistic,
    yi: effect.yi,
    vi: effect.vi,
    n1: chosen.cells.reduce((s, r) => s + r.n, 0),
    n2: chosen.control.n,
    cellArmIds,
    controlArmId: control.arm.id,
    resultIds: used.map((r) => r.id),
    lsMeanFromSe: used.filter((r) => r.statistic === 'LS_MEAN' && r.sdSource === 'FROM_SE').length,
    subgroup: subgroupOf(unit, cellArmIds, options.subgroupLevel),
  };
}

function noCommonTimepoint(
  cells: readonly Side[],
  control: Side,
  method: MeasurementMethod | null,
  inMethod: (r: ComparisonResult) => boolean,
): Outcome {
  if (latestCommon(cells, control, inMethod))
    return {
      reason: 'MEDIAN_ONLY',
      detail: 'The arms report this site and metric together only as medians, which are never pooled.',
    };
  const elsewhere = latestCommon(cells, control, isMean);
  if (elsewhere)
    return {
      reason: 'OTHER_METHOD',
      detail: `The arms report this site and metric together only by ${elsewhere.method}, not ${method}.`,
    };
  return {
    reason: 'NO_COMMON_TIMEPOINT',
    detail:
      'No timepoint in the window at which a cell-therapy arm and the control both report this site and metric.',
  };
}

/** Orders results: a reported SD first, then a derived one, then none; ties by the lowest id. */
function sdRank(r: ComparisonResult): number {
  return r.sd !== null ? 0 : r.sdEffective !== null ? 1 : 2;
}

function better(a: ComparisonResult, b: ComparisonResult): number {
  return sdRank(a) - sdRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The results to compare at the chosen timepoint and method. Both sides use one statistic (a mean
 * is never set against an LS-mean); among the statistics both report, the one whose results carry
 * a reported SD wins, then the lowest control result id.
 */
function choosePair(cells: readonly Side[], control: Side, months: number, method: string) {
  const at = (s: Side, statistic: string) =>
    s.results
      .filter((r) => r.timepointMonths === months && r.method === method && r.statistic === statistic)
      .sort(better)[0];
  const options = [...new Set(control.results.filter(isMean).map((r) => r.statistic))].flatMap(
    (statistic) => {
      const c = at(control, statistic);
      const cs = cells.map((s) => at(s, statistic)).filter((r): r is ComparisonResult => r !== undefined);
      if (!c || cs.length === 0) return [];
      return [{ control: c, cells: cs, rank: Math.max(sdRank(c), ...cs.map(sdRank)) }];
    },
  );
  options.sort((a, b) => a.rank - b.rank || better(a.control, b.control));
  return options[0] as { control: ComparisonResult; cells: ComparisonResult[] };
}

function subgroupOf(unit: Unit, cellArmIds: readonly string[], level: SubgroupLevel | undefined): string {
  if (level === undefined) return 'ALL';
  if (level === 'trial') return unit.trial.subgroup ?? 'NOT_REPORTED';
  if (level === 'control') return unit.controls[0]?.arm.subgroup ?? 'NOT_REPORTED';
  const values = new Set(
    unit.cells.filter((c) => cellArmIds.includes(c.arm.id)).map((c) => c.arm.subgroup ?? 'NOT_REPORTED'),
  );
  return values.size === 1 ? ([...values][0] as string) : 'MIXED';
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
