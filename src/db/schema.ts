import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { inVocabulary } from './vocabulary-check';

export const trials = sqliteTable(
  'trials',
  {
    id: text('id').primaryKey(),
    /** The trial's row in the full-text index (FTS5 keys rows by integer); kept for the trial's life. */
    searchId: integer('search_id').notNull().unique(),
    title: text('title').notNull(),
    briefSummary: text('brief_summary'),
    studyType: text('study_type').notNull(),
    overallStatus: text('overall_status').notNull(),
    allocation: text('allocation'),
    masking: text('masking'),
    enrollmentCount: integer('enrollment_count'),
    enrollmentType: text('enrollment_type'),
    startDate: text('start_date'),
    /** The first day a partial start date names, so `2015` and `2015-09` sort as dates. */
    startSort: text('start_sort'),
    startYear: integer('start_year'),
    completionDate: text('completion_date'),
    sponsor: text('sponsor'),
    population: text('population').notNull(),
    riskOfBias: text('risk_of_bias'),
    provenanceKind: text('provenance_kind').notNull(),
    hasBmdResults: integer('has_bmd_results').notNull(),
    // The baseline, also in the served document: kept here so analyses read it without parsing JSON.
    baselineMeanAge: real('baseline_mean_age'),
    baselineMeanTScore: real('baseline_mean_t_score'),
    // The trial's phases and its cell arms' sources and routes as bit sets (bit i: the vocabulary's
    // i-th value), kept at write time so facet counts read one index instead of joining the arms.
    phaseMask: integer('phase_mask').notNull().default(0),
    cellSourceMask: integer('cell_source_mask').notNull().default(0),
    routeMask: integer('route_mask').notNull().default(0),
    version: integer('version').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    inVocabulary('trials_study_type_check', 'study_type', 'studyType'),
    inVocabulary('trials_overall_status_check', 'overall_status', 'overallStatus'),
    inVocabulary('trials_allocation_check', 'allocation', 'allocation'),
    inVocabulary('trials_masking_check', 'masking', 'masking'),
    inVocabulary('trials_enrollment_type_check', 'enrollment_type', 'enrollmentType'),
    inVocabulary('trials_population_check', 'population', 'population'),
    inVocabulary('trials_risk_of_bias_check', 'risk_of_bias', 'riskOfBias'),
    inVocabulary('trials_provenance_kind_check', 'provenance_kind', 'provenanceKind'),
    check('trials_enrollment_count_check', sql`"enrollment_count" >= 0`),
    check('trials_has_bmd_results_check', sql`"has_bmd_results" IN (0, 1)`),
    index('trials_status_idx').on(t.overallStatus),
    index('trials_study_type_idx').on(t.studyType),
    index('trials_allocation_idx').on(t.allocation),
    index('trials_population_idx').on(t.population),
    index('trials_provenance_kind_idx').on(t.provenanceKind),
    index('trials_risk_of_bias_idx').on(t.riskOfBias),
    index('trials_has_bmd_results_idx').on(t.hasBmdResults),
    index('trials_enrollment_idx').on(t.enrollmentCount, t.id),
    index('trials_start_sort_idx').on(t.startSort, t.id),
    index('trials_start_year_idx').on(t.startYear),
    index('trials_updated_at_idx').on(t.updatedAt, t.id),
    index('trials_title_idx').on(t.title, t.id),
    // Covers facet counts filtered by status and population (src/analysis/summaries/mask-counts.ts).
    index('trials_counts_idx').on(
      t.overallStatus,
      t.population,
      t.provenanceKind,
      t.phaseMask,
      t.cellSourceMask,
      t.routeMask,
    ),
  ],
);

/**
 * The whole Trial as served, rebuilt on every write: reads far outnumber writes. Kept out of the
 * trials table so that filtering and counting scan narrow rows.
 */
export const trialDocuments = sqliteTable('trial_documents', {
  trialId: text('trial_id')
    .primaryKey()
    .references(() => trials.id, { onDelete: 'cascade' }),
  document: text('document').notNull(),
});

export const trialPhases = sqliteTable(
  'trial_phases',
  {
    trialId: text('trial_id')
      .notNull()
      .references(() => trials.id, { onDelete: 'cascade' }),
    phase: text('phase').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.trialId, t.phase] }),
    inVocabulary('trial_phases_phase_check', 'phase', 'phase'),
    index('trial_phases_phase_idx').on(t.phase, t.trialId),
  ],
);

export const trialCountries = sqliteTable(
  'trial_countries',
  {
    trialId: text('trial_id')
      .notNull()
      .references(() => trials.id, { onDelete: 'cascade' }),
    country: text('country').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.trialId, t.country] }),
    check('trial_countries_country_check', sql`length("country") = 2`),
    index('trial_countries_country_idx').on(t.country, t.trialId),
  ],
);

export const registryIds = sqliteTable(
  'registry_ids',
  {
    /** Upper-cased, so one registry number can belong to one trial only, however it was typed. */
    registryId: text('registry_id').primaryKey(),
    trialId: text('trial_id')
      .notNull()
      .references(() => trials.id, { onDelete: 'cascade' }),
  },
  (t) => [index('registry_ids_trial_idx').on(t.trialId)],
);

export const arms = sqliteTable(
  'arms',
  {
    id: text('id').primaryKey(),
    trialId: text('trial_id')
      .notNull()
      .references(() => trials.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    label: text('label').notNull(),
    type: text('type').notNull(),
    participants: integer('participants'),
    cellSource: text('cell_source'),
    cellType: text('cell_type'),
    donor: text('donor'),
    route: text('route'),
    comparator: text('comparator'),
    // The dose, also in the served document: kept here so analyses read it without parsing JSON.
    cellsPerKg: real('cells_per_kg'),
    cells: real('cells'),
    administrations: integer('administrations'),
    // The trial's commonest filters and sort keys, copied onto each of its arms when it is written:
    // a list filtered by cell source and route then reads one index in page order, with nothing
    // to look up per candidate (see src/store/arm-driven-list.ts).
    trialStatus: text('trial_status'),
    trialAllocation: text('trial_allocation'),
    trialStartSort: text('trial_start_sort'),
    trialEnrollment: integer('trial_enrollment'),
  },
  (t) => [
    uniqueIndex('arms_trial_label_idx').on(t.trialId, t.label),
    inVocabulary('arms_type_check', 'type', 'armType'),
    inVocabulary('arms_cell_source_check', 'cell_source', 'cellSource'),
    inVocabulary('arms_cell_type_check', 'cell_type', 'cellType'),
    inVocabulary('arms_donor_check', 'donor', 'donor'),
    inVocabulary('arms_route_check', 'route', 'route'),
    inVocabulary('arms_comparator_check', 'comparator', 'comparator'),
    check('arms_participants_check', sql`"participants" >= 0`),
    check(
      'arms_cell_fields_check',
      sql`("cell_source" IS NULL AND "cell_type" IS NULL AND "donor" IS NULL AND "route" IS NULL) OR ("cell_source" IS NOT NULL AND "cell_type" IS NOT NULL AND "donor" IS NOT NULL AND "route" IS NOT NULL AND "comparator" IS NULL)`,
    ),
    // Covers the cell-arm filters, and gives the arm's id without reading its row.
    index('arms_cell_idx').on(t.cellSource, t.route, t.cellType, t.donor, t.trialId, t.id),
    // Covers "does this trial have such an arm?" probes without reading the arm rows.
    index('arms_trial_cell_idx').on(t.trialId, t.cellSource, t.route, t.cellType, t.donor, t.type),
    // A cell source × route list in start-date or enrollment order, its trial filters checked in the index.
    index('arms_list_start_idx').on(
      t.cellSource,
      t.route,
      t.trialStartSort,
      t.trialId,
      t.trialStatus,
      t.trialAllocation,
      t.id,
    ),
    index('arms_list_enrollment_idx').on(
      t.cellSource,
      t.route,
      t.trialEnrollment,
      t.trialId,
      t.trialStatus,
      t.trialAllocation,
      t.id,
    ),
    index('arms_route_idx').on(t.route, t.trialId),
    index('arms_cell_type_idx').on(t.cellType, t.trialId),
    index('arms_donor_idx').on(t.donor, t.trialId),
    index('arms_comparator_idx').on(t.comparator, t.trialId),
    index('arms_type_idx').on(t.type, t.trialId),
  ],
);

export const bmdResults = sqliteTable(
  'bmd_results',
  {
    id: text('id').primaryKey(),
    trialId: text('trial_id')
      .notNull()
      .references(() => trials.id, { onDelete: 'cascade' }),
    armId: text('arm_id')
      .notNull()
      .references(() => arms.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    site: text('site').notNull(),
    metric: text('metric').notNull(),
    method: text('method').notNull(),
    statistic: text('statistic').notNull(),
    timepointMonths: real('timepoint_months').notNull(),
    n: integer('n').notNull(),
    mean: real('mean').notNull(),
    sd: real('sd'),
    se: real('se'),
    ciLower: real('ci_lower'),
    ciUpper: real('ci_upper'),
    sdEffective: real('sd_effective'),
    sdSource: text('sd_source'),
    note: text('note'),
  },
  (t) => [
    inVocabulary('bmd_results_site_check', 'site', 'site'),
    inVocabulary('bmd_results_metric_check', 'metric', 'metric'),
    inVocabulary('bmd_results_method_check', 'method', 'method'),
    inVocabulary('bmd_results_statistic_check', 'statistic', 'statistic'),
    inVocabulary('bmd_results_sd_source_check', 'sd_source', 'sdSource'),
    check('bmd_results_n_check', sql`"n" >= 1`),
    check('bmd_results_timepoint_check', sql`"timepoint_months" >= 0`),
    check('bmd_results_spread_check', sql`("sd" IS NULL OR "sd" >= 0) AND ("se" IS NULL OR "se" >= 0)`),
    check('bmd_results_ci_check', sql`"ci_lower" IS NULL OR "ci_upper" IS NULL OR "ci_lower" < "ci_upper"`),
    index('bmd_results_arm_idx').on(t.armId, t.site, t.metric, t.method),
    index('bmd_results_trial_idx').on(t.trialId),
    index('bmd_results_site_metric_idx').on(t.site, t.metric, t.method, t.timepointMonths),
  ],
);

export const trialReferences = sqliteTable(
  'trial_references',
  {
    trialId: text('trial_id')
      .notNull()
      .references(() => trials.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    pmid: text('pmid'),
    doi: text('doi'),
    citation: text('citation').notNull(),
    url: text('url'),
  },
  (t) => [primaryKey({ columns: [t.trialId, t.position] })],
);

/** Every version of every trial, deleted ones included: nothing written is ever lost. */
export const revisions = sqliteTable(
  'revisions',
  {
    trialId: text('trial_id').notNull(),
    version: integer('version').notNull(),
    action: text('action').notNull(),
    changedBy: text('changed_by').notNull(),
    changedAt: text('changed_at').notNull(),
    snapshot: text('snapshot').notNull(),
    /** How the write came in; null on revisions written before channels were recorded. */
    channel: text('channel'),
    /** The writer's reason (`X-Revision-Note`), when given. */
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.trialId, t.version] }),
    inVocabulary('revisions_action_check', 'action', 'revisionAction'),
    inVocabulary('revisions_channel_check', 'channel', 'revisionChannel'),
  ],
);

export * from './service-tables';
