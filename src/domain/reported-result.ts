/**
 * The fields that state a reported BMD result: where and how it was measured, when, and its
 * numbers. Two results of an arm with all of them equal are the same reported result: the note
 * quotes the source rather than adding a value, and sdEffective and sdSource are derived from
 * these fields. In the order of the bmd_results columns.
 */
export const REPORTED_RESULT_FIELDS = [
  'site',
  'metric',
  'method',
  'statistic',
  'timepointMonths',
  'n',
  'mean',
  'sd',
  'se',
  'ciLower',
  'ciUpper',
] as const;

export type ReportedResultField = (typeof REPORTED_RESULT_FIELDS)[number];

/** A result's reported values, in REPORTED_RESULT_FIELDS order. */
export function reportedValues(result: Readonly<Record<ReportedResultField, unknown>>): unknown[] {
  return REPORTED_RESULT_FIELDS.map((field) => result[field]);
}

/** A key that two results of one arm share exactly when they are the same reported result. */
export function reportedResultKey(result: Readonly<Record<ReportedResultField, unknown>>): string {
  return JSON.stringify(reportedValues(result));
}
