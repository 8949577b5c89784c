import type { SyncOutcome } from '../../store/registry-syncs';
import type { ImportReport, RecordOutcome } from '../types';

/** What the sync did with one study: an import outcome, or REFUSED with the problems. */
export type StudyOutcome = RecordOutcome | 'REFUSED';

export interface SyncStudy {
  /** The page it came on (1 = first) and its place on that page (0 = first). */
  page: number;
  position: number;
  /** The study's NCT number, when the record gives one. */
  registryId: string | null;
  /** The catalogue trial written or matched; null when skipped, refused, or created in a dry run. */
  trialId: string | null;
  title: string | null;
  outcome: StudyOutcome;
  /** Why it was skipped (off topic). */
  reason?: string;
  /** Why it was refused, each with where in the record. */
  problems: { code: string; path: string; message: string }[];
  /** What a curator should read, e.g. CURATED_VALUE_KEPT with both values. */
  warnings: { code: string; message: string }[];
}

export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  refused: number;
}

export interface SyncReport {
  query: string;
  /** The date asked for (YYYY-MM-DD), or null for every study the query matches. */
  since: string | null;
  /** Where `since` came from: --since, the last completed sync of this query, or neither. */
  sinceFrom: 'ARGUMENT' | 'LAST_SYNC' | 'NONE';
  dryRun: boolean;
  outcome: Exclude<SyncOutcome, 'RUNNING'>;
  /** How many studies the registry said match (first page), when it said. */
  totalCount: number | null;
  /** Pages the registry answered, malformed ones included. */
  pages: number;
  /** Pages that could not be read as v2 pages; their studies were not imported this time. */
  skippedPages: { page: number; message: string }[];
  studies: SyncStudy[];
  counts: SyncCounts;
  /** Why the run stopped early (FAILED), else null. */
  failure: string | null;
  /** True once the registry has answered any request; false when it could not be reached at all. */
  registryAnswered: boolean;
  /** Requests sent, retries included. */
  requests: number;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The NCT number and title a v2 record gives, read without trusting its shape. */
export function studyIdentity(study: unknown): { registryId: string | null; title: string | null } {
  const protocol = (study as { protocolSection?: { identificationModule?: Record<string, unknown> } } | null)
    ?.protocolSection?.identificationModule;
  return { registryId: text(protocol?.nctId), title: text(protocol?.briefTitle) };
}

/** One study's line of the sync report, from the report of the import that wrote it. */
export function studyFromImport(
  place: { page: number; position: number; study: unknown },
  report: ImportReport,
): SyncStudy {
  const identity = studyIdentity(place.study);
  const record = report.records[0];
  const refused = report.rejected.length > 0;
  return {
    page: place.page,
    position: place.position,
    registryId: identity.registryId,
    trialId: refused ? null : (record?.id ?? null),
    title: record?.title ?? identity.title,
    outcome: refused ? 'REFUSED' : (record?.outcome ?? 'UNCHANGED'),
    ...(record?.reason ? { reason: record.reason } : {}),
    problems: report.rejected.map(({ code, path, message }) => ({ code, path, message })),
    warnings: report.warnings.map(({ code, message }) => ({ code, message })),
  };
}

/** A study the import could not even attempt (the catalogue was busy): refused, to be retried next run. */
export function studyNotWritten(
  place: { page: number; position: number; study: unknown },
  message: string,
): SyncStudy {
  return {
    page: place.page,
    position: place.position,
    ...studyIdentity(place.study),
    trialId: null,
    outcome: 'REFUSED',
    problems: [{ code: 'CONFLICT', path: '', message }],
    warnings: [],
  };
}

export function countStudies(studies: readonly SyncStudy[]): SyncCounts {
  const counts: SyncCounts = { created: 0, updated: 0, unchanged: 0, skipped: 0, refused: 0 };
  const key = {
    CREATED: 'created',
    UPDATED: 'updated',
    UNCHANGED: 'unchanged',
    SKIPPED: 'skipped',
    REFUSED: 'refused',
  } as const;
  for (const study of studies) counts[key[study.outcome]] += 1;
  return counts;
}
