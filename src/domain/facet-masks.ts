import { type VocabularyName, vocabularies } from '../vocabularies';

/**
 * A set of vocabulary values as an integer: bit i stands for the vocabulary's i-th value. The
 * order of a vocabulary is therefore part of the stored data: new values go at the end.
 */
export const MASKED_FACETS = {
  phase: { column: 'phase_mask', vocabulary: 'phase' },
  cellSource: { column: 'cell_source_mask', vocabulary: 'cellSource' },
  route: { column: 'route_mask', vocabulary: 'route' },
} as const satisfies Record<string, { column: string; vocabulary: VocabularyName }>;

export type MaskedFacet = keyof typeof MASKED_FACETS;

export function maskOf(vocabulary: VocabularyName, values: Iterable<string | null>): number {
  const order: readonly string[] = vocabularies[vocabulary].values;
  let mask = 0;
  for (const value of values) if (value !== null) mask |= 1 << order.indexOf(value);
  return mask;
}

/** The values a mask holds, in vocabulary order. */
export function valuesOfMask(vocabulary: VocabularyName, mask: number): string[] {
  return vocabularies[vocabulary].values.filter((_, i) => (mask >> i) & 1);
}
