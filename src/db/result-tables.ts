import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { arms, trials } from './trial-tables';
import { inVocabulary } from './vocabulary-check';

/** Reported BMD results, one row per arm, site, metric, method, statistic and timepoint. Re-exported by schema.ts. */
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
    // The trial's and the arm's keys the BMD-change summary filters and groups by, copied onto each
    // result when the trial is written: the summary then reads one index range, with nothing to
    // look up per row (src/analysis/summaries/bmd-change-rows.ts).
    trialStatus: text('trial_status'),
    trialPopulation: text('trial_population'),
    trialProvenance: text('trial_provenance'),
    armCellSource: text('arm_cell_source'),
    armRoute: text('arm_route'),
    /** 1 on the result the summary reads without a timepoint window (src/domain/latest-change.ts), else 0. */
    changePick: integer('change_pick').notNull().default(0),
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
    // Covers the summary for one status × population in its answer's row order (arm, then key);
    // the chosen results (change_pick = 1) are one range of it.
    index('bmd_results_change_pick_idx').on(
      t.trialStatus,
      t.trialPopulation,
      t.changePick,
      t.armId,
      t.site,
      t.metric,
      t.method,
      t.statistic,
      t.timepointMonths,
      t.armCellSource,
      t.armRoute,
      t.trialProvenance,
      t.trialId,
      t.n,
      t.mean,
      t.sd,
      t.sdEffective,
      t.sdSource,
      t.id,
    ),
  ],
);
