import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import { MASKED_FACETS, type MaskedFacet } from '../../domain/facet-masks';
import type { Filters } from '../../filters/params';
import { hasCellFilters, type SqlPart } from '../../filters/sql';
import { vocabularies } from '../../vocabularies';

export interface MaskCount {
  value: string;
  trials: number;
}

/**
 * Whether a facet can be counted from the bit sets on the trial row (trials_counts_idx) rather
 * than by joining arms or phases: always for phases (a trial's own list), and for cell source and
 * route when no cell-arm filter narrows which of a trial's cell arms count.
 */
export function countsFromMask(facet: string, filters: Filters): facet is MaskedFacet {
  if (facet === 'phase') return true;
  return (facet === 'cellSource' || facet === 'route') && !hasCellFilters(filters);
}

/** Trials per value of a masked facet over the selected trials (`t`), as counts answers them. */
export function countMaskedFacet(db: Db, selection: SqlPart, facet: MaskedFacet): MaskCount[] {
  const { column, vocabulary } = MASKED_FACETS[facet];
  const values: readonly string[] = vocabularies[vocabulary].values;
  const bits = values.map((_, i) => `sum((t.${column} >> ${i}) & 1) AS b${i}`).join(', ');
  const row = prepared(db.$client, `SELECT ${bits} FROM trials t WHERE ${selection.sql}`).get(
    ...selection.params,
  ) as Record<string, number | null>;
  return values
    .map((value, i) => ({ value, trials: row[`b${i}`] ?? 0 }))
    .filter((c) => c.trials > 0)
    .sort((a, b) => b.trials - a.trials || (a.value < b.value ? -1 : 1));
}
