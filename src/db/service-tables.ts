import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { inVocabulary } from './vocabulary-check';

/**
 * The tables the service keeps about itself rather than about trials: keys, the data version
 * and its history, registry sync runs. Re-exported by schema.ts, the file drizzle-kit reads.
 */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull().unique(),
    role: text('role').notNull(),
    /** SHA-256 of the secret, hex: the secret itself is never stored. */
    secretHash: text('secret_hash').notNull().unique(),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
  },
  () => [check('api_keys_role_check', sql`"role" IN ('editor', 'admin')`)],
);

/** One row: a counter every write bumps, so an analysis can name the data it was computed on. */
export const catalogueState = sqliteTable(
  'catalogue_state',
  {
    id: integer('id').primaryKey(),
    dataVersion: integer('data_version').notNull(),
  },
  () => [check('catalogue_state_single_row', sql`"id" = 1`)],
);

/**
 * When each data version came into force, so an answer as of an instant can name the version then
 * current. Kept from the migration that adds it on; earlier instants have no known version.
 */
export const dataVersions = sqliteTable('data_versions', {
  version: integer('version').primaryKey(),
  /** ISO 8601 UTC with milliseconds, as revisions record `changed_at`, so the two compare as text. */
  at: text('at').notNull(),
});

/**
 * One row per `npm run sync`: what it asked the registry and how it ended. The last COMPLETED
 * run's `started_at` is where the next incremental sync starts from.
 */
export const registrySyncs = sqliteTable(
  'registry_syncs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    query: text('query').notNull(),
    /** `--since` as asked (YYYY-MM-DD), or the date taken from the last completed run. */
    since: text('since'),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    outcome: text('outcome').notNull(),
    /** The run's counts (created, updated, unchanged, refused, skipped, pages) as JSON. */
    counts: text('counts'),
  },
  (t) => [
    inVocabulary('registry_syncs_outcome_check', 'outcome', 'syncOutcome'),
    index('registry_syncs_outcome_idx').on(t.outcome, t.startedAt),
  ],
);
