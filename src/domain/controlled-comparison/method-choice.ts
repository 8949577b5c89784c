import { latestCommon } from './common-timepoint';
import type { Side, Unit } from './trial-units';
import type { MeasurementMethod } from './types';

/** Preference order when several measurement methods could be compared: DXA first. */
export const METHOD_PREFERENCE: readonly MeasurementMethod[] = ['DXA', 'QCT', 'OTHER', 'NOT_REPORTED'];

/**
 * The one measurement method every trial is compared by, so that effects measured by different
 * methods are never pooled: the most preferred of those asked for that at least one comparable
 * trial reports as a mean on both sides.
 */
export function chooseMethod(units: readonly Unit[], requested: readonly string[]): MeasurementMethod | null {
  const candidates = METHOD_PREFERENCE.filter((m) => requested.length === 0 || requested.includes(m));
  if (candidates.length === 1) return candidates[0] as MeasurementMethod;
  for (const method of candidates) {
    const criterion = { method, meanOnly: true };
    for (const u of units)
      if (
        u.cells.length > 0 &&
        u.controls.length === 1 &&
        latestCommon(u.cells, u.controls[0] as Side, criterion) !== null
      )
        return method;
  }
  return null;
}
