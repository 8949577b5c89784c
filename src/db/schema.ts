import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { trials } from './trial-tables';
import { inVocabulary } from './vocabulary-check';

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

export * from './comparison-tables';
export * from './result-tables';
export * from './service-tables';
export * from './trial-tables';
