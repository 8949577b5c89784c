import type { BmdResult, Trial } from '../schemas/trial';
import type { TrialInput } from '../schemas/trial-input';
import { materializeTrial } from './trial-record';

/** Deep equality of JSON-like values; a key holding `undefined` counts as absent, as in JSON. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((value, i) => sameJson(value, b[i]));
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const key of keys) if (!sameJson(x[key], y[key])) return false;
  return true;
}

/** A trial without what the server assigns or derives: ids, versions, timestamps, sdEffective/sdSource. */
function comparable(trial: Trial) {
  const labelOf = new Map(trial.arms.map((arm) => [arm.id, arm.label]));
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, arms, bmdResults, ...rest } = trial;
  return {
    ...rest,
    arms: arms.map(({ id: _armId, ...arm }) => arm),
    bmdResults: bmdResults.map(
      ({ id: _resultId, armId, sdEffective: _e, sdSource: _s, ...r }: BmdResult) => ({
        ...r,
        arm: labelOf.get(armId),
      }),
    ),
  };
}

/**
 * True when writing `input` over `stored` would change nothing a client sent: the input is
 * normalised exactly as a write would store it, then compared field by field.
 */
export function sameTrial(input: TrialInput, stored: Trial): boolean {
  const candidate = materializeTrial(input, stored);
  return sameJson(comparable(candidate), comparable(stored));
}

/** The stored trial as a write body: read-only fields dropped, results tied to their arm ids. */
export function storedAsInput(stored: Trial) {
  const { version: _v, createdAt: _c, updatedAt: _u, bmdResults, ...rest } = stored;
  return {
    ...rest,
    bmdResults: bmdResults.map(({ id: _id, sdEffective: _e, sdSource: _s, ...r }) => r),
  };
}
