import { latestCommon } from './common-timepoint';
import type { ResultPair } from './result-pair';
import type { Side, Unit } from './trial-units';
import type { ExclusionReason, MeasurementMethod } from './types';

/** Why one trial gives no comparison; the detail is shown to the reader as it is. */
export interface Excluded {
  reason: ExclusionReason;
  detail: string;
}

const NO_CELL_ARM: Excluded = {
  reason: 'NO_CELL_ARM',
  detail: 'No cell-therapy arm of this trial matches the filters.',
};
const NO_CONTROL_ARM: Excluded = {
  reason: 'NO_CONTROL_ARM',
  detail: 'The trial has no control (non-cell) arm matching the filters.',
};

/** What armCountExclusion says of a selected trial with a cell-therapy arm and no control arm. */
export function noControlArm(): Excluded {
  return { ...NO_CONTROL_ARM };
}

/** A trial is compared only with at least one cell-therapy arm against exactly one control arm. */
export function armCountExclusion({ cells, controls }: Unit): Excluded | null {
  if (cells.length === 0) return { ...NO_CELL_ARM };
  if (controls.length === 0) return noControlArm();
  if (controls.length > 1)
    return {
      reason: 'MULTIPLE_CONTROLS',
      detail: `${controls.length} control arms are selected; narrow them with comparator.`,
    };
  return null;
}

/** Tells apart why the arms share no timepoint: only medians, only another method, or nothing at all. */
export function noCommonTimepoint(
  cells: readonly Side[],
  control: Side,
  method: MeasurementMethod | null,
): Excluded {
  if (latestCommon(cells, control, { method, meanOnly: false }))
    return {
      reason: 'MEDIAN_ONLY',
      detail: 'The arms report this site and metric together only as medians, which are never pooled.',
    };
  const elsewhere = latestCommon(cells, control, { method: null, meanOnly: true });
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

export function missingSd(pair: ResultPair, months: number): Excluded | null {
  if (pair.control.sdEffective !== null && pair.cells.every((r) => r.sdEffective !== null)) return null;
  return {
    reason: 'NO_SD',
    detail: `At ${months} months an arm reports no SD (nor an SE or CI to derive one from).`,
  };
}

export function notEstimable(detail: string): Excluded {
  return { reason: 'EFFECT_NOT_ESTIMABLE', detail };
}
