import { isLsMeanFromSe } from '../evidence-report';
import { latestCommon } from './common-timepoint';
import { armCountExclusion, type Excluded, missingSd, noCommonTimepoint } from './exclusions';
import { studyModerators } from './moderators';
import { pairEffect } from './pair-effect';
import { choosePair } from './result-pair';
import { subgroupOf } from './subgroup';
import type { Side, Unit } from './trial-units';
import type { Comparison, ComparisonOptions, MeasurementMethod } from './types';

/**
 * One trial's cell-therapy arms against its control at the latest timepoint both report by the
 * chosen method; or the first reason, in the order checked, why the trial cannot be compared.
 */
export function compareTrial(
  unit: Unit,
  method: MeasurementMethod | null,
  options: ComparisonOptions,
): Comparison | Excluded {
  const wrongArms = armCountExclusion(unit);
  if (wrongArms) return wrongArms;
  const { cells } = unit;
  const control = unit.controls[0] as Side;
  const common = latestCommon(cells, control, { method, meanOnly: true });
  if (common === null) return noCommonTimepoint(cells, control, method);

  const chosen = choosePair(cells, control, common.months, common.method);
  const withoutSd = missingSd(chosen, common.months);
  if (withoutSd) return withoutSd;
  const effect = pairEffect(chosen, options.effect);
  if ('reason' in effect) return effect;

  // Plain loops: this runs once per trial, thousands of times per analysis.
  const cellArmIds: string[] = [];
  const cellArmSizes: number[] = [];
  const resultIds: string[] = [];
  let n1 = 0;
  let lsMeanFromSe = isLsMeanFromSe(chosen.control) ? 1 : 0;
  for (const r of chosen.cells) {
    cellArmIds.push(r.armId);
    cellArmSizes.push(r.n);
    resultIds.push(r.id);
    n1 += r.n;
    if (isLsMeanFromSe(r)) lsMeanFromSe += 1;
  }
  resultIds.push(chosen.control.id);
  const cellArmsLeftOut: { id: string; label: string }[] = [];
  for (const { arm } of cells)
    if (!cellArmIds.includes(arm.id)) cellArmsLeftOut.push({ id: arm.id, label: arm.label ?? arm.id });
  return {
    trialId: unit.trial.id,
    title: unit.trial.title,
    provenance: unit.trial.provenance,
    timepointMonths: common.months,
    statistic: chosen.control.statistic,
    yi: effect.yi,
    vi: effect.vi,
    n1,
    n2: chosen.control.n,
    cellArmIds,
    cellArmSizes,
    controlArmId: control.arm.id,
    resultIds,
    cellArmsLeftOut,
    lsMeanFromSe,
    subgroup: subgroupOf(unit, cellArmIds, options.subgroupLevel),
    moderators: studyModerators(unit, chosen.cells, control),
  };
}
