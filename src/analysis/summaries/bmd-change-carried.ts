import type { GroupByFacet } from '../../filters/facets';
import type { Filters } from '../../filters/params';
import {
  and,
  inList,
  RESULT_FILTERS as RESULT_ROW_FILTERS,
  resultConditions,
  type SqlPart,
} from '../../filters/sql';

/**
 * The BMD-change summary's commonest questions (a status × population, a cell source or route,
 * grouped by those) are answered from keys carried on each result row (migration 0013) and one
 * covering index, `bmd_results_change_idx`, instead of joining every result to its arm and trial.
 * Any other filter or facet needs the arm and trial rows, and the general query answers it.
 */
const CARRIED_FILTERS = {
  status: 'r.trial_status',
  population: 'r.trial_population',
  provenance: 'r.trial_provenance',
  cellSource: 'r.arm_cell_source',
  route: 'r.arm_route',
} as const satisfies Partial<Record<keyof Filters, string>>;

/** Filters on the result row itself, and `asOf`, which chooses the catalogue rather than rows. */
const RESULT_FILTERS: readonly (keyof Filters)[] = [...RESULT_ROW_FILTERS, 'asOf'];

const CARRIED_FACETS: Partial<Record<GroupByFacet, string>> = {
  cellSource: 'k.arm_cell_source',
  route: 'k.arm_route',
  status: 'k.trial_status',
  population: 'k.trial_population',
  provenance: 'k.trial_provenance',
};

export interface CarriedSelection {
  /** The result rows selected (alias `r`), before a result is chosen per arm and key. */
  where: SqlPart;
  /** The SQL of each groupBy facet's value over the chosen row (alias `k`). */
  facetValues: string[];
  /** A timepoint window is asked for, so the result read per arm is ranked in the query. */
  windowed: boolean;
}

/**
 * The selection over carried keys, or null when the question needs more. Only questions that name
 * a status and a population take it: the index is ordered by them first, so the range read is
 * exactly the selected rows.
 */
export function carriedSelection(
  filters: Filters,
  inWindow: Filters,
  groupBy: readonly GroupByFacet[],
): CarriedSelection | null {
  if (!filters.status || !filters.population) return null;
  const present = (Object.keys(filters) as (keyof Filters)[]).filter((key) => filters[key] !== undefined);
  if (present.some((key) => !(key in CARRIED_FILTERS) && !RESULT_FILTERS.includes(key))) return null;
  const facetValues = groupBy.map((facet) => CARRIED_FACETS[facet]);
  if (facetValues.some((value) => value === undefined)) return null;
  const carried = (Object.entries(CARRIED_FILTERS) as [keyof typeof CARRIED_FILTERS, string][]).map(
    ([key, column]) => {
      return inList(column, filters[key]);
    },
  );
  return {
    // A cell-therapy arm's result: the summary covers those only.
    where: and([
      ...carried,
      { sql: 'r.arm_cell_source IS NOT NULL', params: [] },
      resultConditions(inWindow, 'r'),
    ]),
    facetValues: facetValues as string[],
    windowed: filters.timepointMin !== undefined || filters.timepointMax !== undefined,
  };
}
