import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { trials } from './trial-tables';

/**
 * What a controlled comparison reads of one trial at one site and metric, kept when the trial is
 * written: the trial's title, provenance and risk of bias, all its arms (with their doses) and
 * its results at that site and metric, as one JSON value (src/domain/comparison-inputs.ts has
 * its layout). A meta-analysis then reads one row per trial instead of probing the arm and result
 * tables per trial and per arm. The table is WITHOUT ROWID (see the migration), so a row lives in
 * its key's B-tree, and the key puts the cell source and route of the trial's cell-therapy arms
 * after the site and metric: the commonest question, one cell source × route at an outcome, is
 * one contiguous range of rows. A trial has a row for each distinct cell source × route among
 * its cell-therapy arms (`''` for a trial without one, or an arm without a route).
 */
export const comparisonInputs = sqliteTable(
  'comparison_inputs',
  {
    site: text('site').notNull(),
    metric: text('metric').notNull(),
    cellSource: text('cell_source').notNull(),
    route: text('route').notNull(),
    trialId: text('trial_id')
      .notNull()
      .references(() => trials.id, { onDelete: 'cascade' }),
    // Copied from the trial so the broadest questions narrow the range without reading trials.
    trialStatus: text('trial_status'),
    trialAllocation: text('trial_allocation'),
    // How many of the trial's arms are not cell-therapy arms: with none, the trial can only be
    // left out (NO_CONTROL_ARM), which a meta-analysis can tell without reading its inputs. NULL
    // (never written so) would mean not counted: such a row is read in full.
    controlArms: integer('control_arms'),
    inputs: text('inputs').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.site, t.metric, t.cellSource, t.route, t.trialId] }),
    // A rewrite or a deletion removes a trial's rows by trial id.
    index('comparison_inputs_trial_idx').on(t.trialId),
  ],
);
