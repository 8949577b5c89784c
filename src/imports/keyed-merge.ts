import { REPORTED_RESULT_FIELDS, type ReportedResultField } from '../domain/reported-result';
import { sameJson } from '../domain/trial-comparison';
import type { Trial } from '../schemas/trial';
import type { BmdResultInput } from '../schemas/trial-input';
import type { Curation } from './curated-values';

/** How the items of one list of a trial are told apart across a refresh. */
export interface KeyedList<T> {
  /** What makes two items "the same item" whose values may differ (a result's arm, site, metric…). */
  keyOf: (item: T) => string;
  /** The list as a stored trial (or a revision's snapshot) holds it, in the registry items' form. */
  itemsOf: (trial: Trial) => T[];
}

/** An item a curator set (or removed) that the registry now gives otherwise. */
export interface KeptItem<T> {
  /** The kept item's position in the merged list; null when the curator had removed it. */
  index: number | null;
  kept: T | undefined;
  registry: T;
}

/** Items by key; a key that repeats is told apart by its occurrence (`k`, `k#2`, …). */
function byKey<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    let unique = key;
    for (let n = 2; map.has(unique); n += 1) unique = `${key}#${n}`;
    map.set(unique, item);
  }
  return map;
}

/**
 * Merges the registry's items into a stored list, item by item: where the two differ, an item (or
 * its absence) a curator set stays, anything else takes the registry's. Stored items keep their
 * order and new registry items follow in the registry's, so a refresh that brings nothing new
 * gives back the stored list as it is.
 */
export function mergeKeyedList<T>(
  list: KeyedList<T>,
  registry: readonly T[],
  stored: Trial,
  curation: Curation,
): { items: T[]; kept: KeptItem<T>[] } {
  const cache = new WeakMap<Trial, Map<string, T>>();
  const indexOf = (trial: Trial): Map<string, T> => {
    let index = cache.get(trial);
    if (!index) {
      index = byKey(list.itemsOf(trial), list.keyOf);
      cache.set(trial, index);
    }
    return index;
  };
  const storedItems = indexOf(stored);
  const registryItems = byKey(registry, list.keyOf);
  const keys = [...storedItems.keys(), ...[...registryItems.keys()].filter((key) => !storedItems.has(key))];
  const items: T[] = [];
  const kept: { item: T | undefined; registry: T }[] = [];
  for (const key of keys) {
    const storedItem = storedItems.get(key);
    const registryItem = registryItems.get(key);
    let chosen = registryItem;
    if (!sameJson(storedItem, registryItem) && curation.isCurated((trial) => indexOf(trial).get(key))) {
      chosen = storedItem;
      if (registryItem !== undefined) kept.push({ item: storedItem, registry: registryItem });
    }
    if (chosen !== undefined) items.push(chosen);
  }
  return {
    items,
    kept: kept.map(({ item, registry: r }) => ({
      index: item === undefined ? null : items.indexOf(item),
      kept: item,
      registry: r,
    })),
  };
}

/** A BMD result in write form, tied to its arm by label, without what the server assigns or derives. */
export function resultByLabel(
  result: Pick<BmdResultInput, ReportedResultField | 'note'>,
  armLabel: string | undefined,
): BmdResultInput {
  const reported = Object.fromEntries(REPORTED_RESULT_FIELDS.map((field) => [field, result[field]]));
  return { armLabel, ...reported, note: result.note } as BmdResultInput;
}

/** Results are the same result when they are of one arm, site, metric, method, statistic and timepoint. */
export const BMD_RESULTS: KeyedList<BmdResultInput> = {
  keyOf: (r) => JSON.stringify([r.armLabel, r.site, r.metric, r.method, r.statistic, r.timepointMonths]),
  itemsOf: (trial) => {
    const labelOf = new Map(trial.arms.map((arm) => [arm.id, arm.label]));
    return trial.bmdResults.map((r) => resultByLabel(r, labelOf.get(r.armId)));
  },
};

type ReferenceItem = Trial['references'][number];

/** References are the same publication when they share a PMID, else a DOI, else the citation. */
export const REFERENCES: KeyedList<ReferenceItem> = {
  keyOf: (ref) =>
    ref.pmid ? `pmid:${ref.pmid}` : ref.doi ? `doi:${ref.doi.toLowerCase()}` : `citation:${ref.citation}`,
  itemsOf: (trial) => trial.references,
};
