import { isMean, latestCommon } from './common-timepoint';
import { armCountExclusion, type Excluded, missingSd, noCommonTimepoint } from './exclusions';
import { studyModerators } from './moderators';
import { pairEffect } from './pair-effect';
import { choosePair } from './result-pair';
import { subgroupOf } from './subgroup';
import type { Side, Unit } from './trial-units';
import type { Comparison, ComparisonOptions, ComparisonResult, MeasurementMethod } from './types';

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
  const inMethod = (r: ComparisonResult) => method === null || r.method === method;
  const common = latestCommon(cells, control, (r) => inMethod(r) && isMean(r));
  if (common === null) return noCommonTimepoint(cells, control, method, inMethod);

  const chosen = choosePair(cells, control, common.months, common.method);
  const withoutSd = missingSd(chosen, common.months);
  if (withoutSd) return withoutSd;
  const effect = pairEffect(chosen, options.effect);
  if ('reason' in effect) return effect;

  const used = [...chosen.cells, chosen.control];
  const cellArmIds = chosen.cells.map((r) => r.armId);
  const cellArmsLeftOut = cells
    .filter((s) => !cellArmIds.includes(s.arm.id))
    .map(({ arm }) => ({ id: arm.id, label: arm.label ?? arm.id }));
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
    cellArmSizes: chosen.cells.map((r) => r.n),
    controlArmId: control.arm.id,
    resultIds: used.map((r) => r.id),
    cellArmsLeftOut,
    lsMeanFromSe: used.filter((r) => r.statistic === 'LS_MEAN' && r.sdSource === 'FROM_SE').length,
    subgroup: subgroupOf(unit, cellArmIds, options.subgroupLevel),
    moderators: studyModerators(unit, chosen.cells, control),
  };
}
