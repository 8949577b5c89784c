import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { inVocabulary } from './vocabulary-check';

/**
 * The trial row and its arms: the tables every other catalogue table refers to, in a file of
 * their own so those tables can live in files of theirs. Re-exported by schema.ts.
 */
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
