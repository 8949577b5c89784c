import { z } from 'zod';
import { checkSortRules, ListShape } from './pagination';
import { checkFilterRules, FilterShape } from './params';

/** `format`: the answer as JSON or as CSV, on every read that offers both. */
export const FormatShape = {
  format: z
    .enum(['json', 'csv'], { error: () => 'must be json or csv' })
    .optional()
    .meta({
      description:
        'csv returns text/csv with a header row (so does Accept: text/csv); a missing value is NA, the ' +
        'vocabulary value NA is NOT_APPLICABLE.',
    }),
};

/** Query of a filtered, paginated list: every shared filter plus paging, sort and format. */
export const ListQuery = z
  .strictObject({ ...FilterShape, ...ListShape, ...FormatShape })
  .superRefine((query, ctx) => {
    checkFilterRules(query, ctx);
    checkSortRules(query, ctx);
  });
export type ListQuery = z.output<typeof ListQuery>;

/** The filter part of a list query, without paging or output options. */
export function filtersOf(query: ListQuery) {
  const { limit: _l, cursor: _c, sort: _s, countTotal: _t, format: _f, ...filters } = query;
  return filters;
}
