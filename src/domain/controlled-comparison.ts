// The public face of the controlled comparison; its parts live in ./controlled-comparison/, one job
// each. Importers use this module only, so the parts can be rearranged without touching them.
import { compareTrial } from './controlled-comparison/compare-trial';
import { chooseMethod } from './controlled-comparison/method-choice';
import { groupIntoUnits, type Unit } from './controlled-comparison/trial-units';
import type {
  Comparison,
  ComparisonArm,
  ComparisonOptions,
  ComparisonResult,
  ComparisonSet,
  ComparisonTrial,
  Exclusion,
} from './controlled-comparison/types';
import { codeUnitOrder } from './text-order';

export { noControlArm } from './controlled-comparison/exclusions';
export { METHOD_PREFERENCE } from './controlled-comparison/method-choice';
export { withDoses } from './controlled-comparison/moderators';
export type { Side, Unit } from './controlled-comparison/trial-units';
export {
  type ArmDose,
  type Comparison,
  type ComparisonArm,
  type ComparisonOptions,
  type ComparisonResult,
  type ComparisonSet,
  type ComparisonTrial,
  type EffectMeasure,
  EXCLUSION_REASONS,
  type Exclusion,
  type ExclusionReason,
  type StudyModerators,
  type SubgroupLevel,
} from './controlled-comparison/types';

/**
 * Compares, within each trial, the cell-therapy arm(s) against the control arm, all trials by one
 * measurement method; every trial gives either a comparison or the reason it is excluded.
 */
export function compareArms(
  trials: readonly ComparisonTrial[],
  arms: readonly ComparisonArm[],
  results: readonly ComparisonResult[],
  options: ComparisonOptions,
): ComparisonSet {
  return compareUnits(groupIntoUnits(trials, arms, results), options);
}

/** compareArms for candidates already gathered trial by trial (as the stored inputs give them). */
export function compareUnits(
  units: readonly Unit[],
  options: ComparisonOptions,
  leftOut: readonly Exclusion[] = [],
): ComparisonSet {
  const method = chooseMethod(units, options.methods);
  const comparisons: Comparison[] = [];
  const excluded: Exclusion[] = [];
  // `leftOut`: trials already known to be excluded (in trial-id order, as the units are), merged
  // in so that every exclusion keeps its place in that order.
  let next = 0;
  for (const unit of units) {
    while (next < leftOut.length && codeUnitOrder((leftOut[next] as Exclusion).trialId, unit.trial.id) < 0)
      excluded.push(leftOut[next++] as Exclusion);
    const outcome = compareTrial(unit, method, options);
    if ('reason' in outcome) excluded.push({ trialId: unit.trial.id, title: unit.trial.title, ...outcome });
    else comparisons.push(outcome);
  }
  while (next < leftOut.length) excluded.push(leftOut[next++] as Exclusion);
  return { method, comparisons, excluded };
}
