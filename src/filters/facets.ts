import type { VocabularyName } from '../vocabularies';

/**
 * Where a facet's value lives: on the trial row (alias `t`), on an arm (alias `a`: a cell-therapy
 * arm, a control arm, or any arm), or on a reported result (alias `r`).
 */
export type FacetLevel = 'trial' | 'cell-arm' | 'control-arm' | 'arm' | 'result';

export interface FacetDefinition {
  level: FacetLevel;
  /**
   * The SQL giving one value per trial or arm row, for the analyses that group or split by it;
   * absent when a trial can hold several values that cannot be joined into one (countries).
   */
  value?: string;
  /**
   * How counting reaches every value when a trial holds several: the join from `t` and the value
   * expression over it. Without it, counting uses `value` over the level's own rows.
   */
  each?: { join: string; value: string };
  /** The vocabulary its values come from; a facet without one (years, booleans, codes) never splits groups. */
  vocabulary?: VocabularyName;
  /** SQLite has no booleans: turns the stored value into the answer's. */
  decode?: (stored: unknown) => string | number | boolean;
  /** A categorical moderator of `GET /meta-analyses/bmd/regression` (a study-level property). */
  moderator?: true;
}

/**
 * Every facet, declared once; their order is the order counts answer in. Only these
 * whitelisted SQL fragments are ever pasted into a query.
 */
export const FACETS = {
  cellSource: { level: 'cell-arm', value: 'a.cell_source', vocabulary: 'cellSource', moderator: true },
  cellType: { level: 'cell-arm', value: 'a.cell_type', vocabulary: 'cellType', moderator: true },
  donor: { level: 'cell-arm', value: 'a.donor', vocabulary: 'donor', moderator: true },
  route: { level: 'cell-arm', value: 'a.route', vocabulary: 'route', moderator: true },
  comparator: { level: 'control-arm', value: 'a.comparator', vocabulary: 'comparator', moderator: true },
  armType: { level: 'arm', value: 'a.type', vocabulary: 'armType' },
  phase: {
    level: 'trial',
    // One trial's phases joined in a stable order, e.g. PHASE1/PHASE2: the value a group is keyed by.
    value: "(SELECT group_concat(p.phase, '/' ORDER BY p.phase) FROM trial_phases p WHERE p.trial_id = t.id)",
    each: { join: 'JOIN trial_phases p ON p.trial_id = t.id', value: 'p.phase' },
    vocabulary: 'phase',
  },
  status: { level: 'trial', value: 't.overall_status', vocabulary: 'overallStatus' },
  studyType: { level: 'trial', value: 't.study_type', vocabulary: 'studyType' },
  allocation: { level: 'trial', value: 't.allocation', vocabulary: 'allocation', moderator: true },
  population: { level: 'trial', value: 't.population', vocabulary: 'population', moderator: true },
  country: {
    level: 'trial',
    each: { join: 'JOIN trial_countries c ON c.trial_id = t.id', value: 'c.country' },
  },
  provenance: { level: 'trial', value: 't.provenance_kind', vocabulary: 'provenanceKind' },
  riskOfBias: {
    level: 'trial',
    value: "coalesce(t.risk_of_bias, 'NOT_ASSESSED')",
    vocabulary: 'riskOfBias',
    moderator: true,
  },
  site: { level: 'result', value: 'r.site', vocabulary: 'site' },
  metric: { level: 'result', value: 'r.metric', vocabulary: 'metric' },
  method: { level: 'result', value: 'r.method', vocabulary: 'method' },
  hasBmdResults: { level: 'trial', value: 't.has_bmd_results', decode: (stored) => stored === 1 },
  startYear: { level: 'trial', value: 't.start_year' },
} as const satisfies Record<string, FacetDefinition>;

export type FacetName = keyof typeof FACETS;

type Entry = readonly [FacetName, FacetDefinition];
const ENTRIES = Object.entries(FACETS) as unknown as readonly Entry[];

/** The facets at these levels that can key a group: categorical, with one value per trial or arm. */
type SplittingFacet<L extends FacetLevel> = {
  [K in FacetName]: (typeof FACETS)[K] extends { level: L; value: string; vocabulary: string } ? K : never;
}[FacetName];

/** The same rule as SplittingFacet, at run time: the lists below are derived, never written out. */
function splittingFacets<L extends FacetLevel>(levels: readonly L[]) {
  return ENTRIES.filter(
    ([, def]) => def.value !== undefined && def.vocabulary !== undefined && levels.includes(def.level as L),
  ).map(([name]) => name) as unknown as readonly [SplittingFacet<L>, ...SplittingFacet<L>[]];
}

/** `/summaries/counts?facets=`: every facet. */
export const COUNT_FACETS = Object.keys(FACETS) as [FacetName, ...FacetName[]];

/**
 * `/summaries/bmd-change?groupBy=`: facets of the summarised (cell-therapy) arm and its trial.
 * Result facets are not offered: site, metric and method are always part of the key.
 */
export const GROUP_BY_FACETS = splittingFacets(['cell-arm', 'arm', 'trial'] as const);
export type GroupByFacet = (typeof GROUP_BY_FACETS)[number];

/** `/meta-analyses/bmd?subgroup=`: facets of the compared cell-therapy arms, the control or the trial. */
export const SUBGROUP_FACETS = splittingFacets(['cell-arm', 'control-arm', 'trial'] as const);
export type SubgroupFacet = (typeof SUBGROUP_FACETS)[number];

/** The SQL giving the value of a facet that splits groups. */
export function facetValueSql(name: GroupByFacet | SubgroupFacet): string {
  return FACETS[name].value;
}

export function facetLevel<N extends FacetName>(name: N): (typeof FACETS)[N]['level'] {
  return FACETS[name].level;
}

type ModeratorFacet = {
  [K in SubgroupFacet]: (typeof FACETS)[K] extends { moderator: true } ? K : never;
}[SubgroupFacet];

/** `GET /meta-analyses/bmd/regression?moderators=`: the categorical ones, properties of a compared study. */
export const CATEGORICAL_MODERATORS = SUBGROUP_FACETS.filter(
  (name) => (FACETS[name] as FacetDefinition).moderator === true,
) as unknown as readonly [ModeratorFacet, ...ModeratorFacet[]];
export type CategoricalModerator = (typeof CATEGORICAL_MODERATORS)[number];
