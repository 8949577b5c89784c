import { catalogueBusy, isLockHeld } from '../../db/busy';
import type { Db } from '../../db/client';
import { CatalogueError } from '../../errors';
import { finishSyncRun, lastCompletedSyncStart, startSyncRun } from '../../store/registry-syncs';
import type { WriteContext } from '../../store/trial-store';
import { runImport } from '../import-service';
import { parseCtgov } from '../parse-ctgov';
import type { Clock } from './clock';
import { RegistryClient } from './registry-client';
import { incrementalSince, SYNC_PAGE_SIZE } from './registry-query';
import {
  countStudies,
  type SyncReport,
  type SyncStudy,
  studyFromImport,
  studyNotWritten,
} from './sync-report';

/** Who the revisions of a sync name as their writer. */
export const SYNC_WRITER = 'registry-sync';

export interface SyncOptions {
  query: string;
  /** `--since` (YYYY-MM-DD); null to start from the last completed sync of this query. */
  since: string | null;
  dryRun: boolean;
  apiUrl: string;
  maxRequestsPerMinute: number;
  timeoutMs: number;
  clock: Clock;
  random?: () => number;
  pageSize?: number;
  /** Called after each study (done so far, the registry's total when it gave one). */
  onProgress?: (done: number, total: number | null) => void;
}

type Place = { page: number; position: number; study: unknown };

/**
 * One study, one import, one transaction: a sync stopped at any moment leaves each study either
 * wholly written or untouched, and the next run picks up what is missing (it starts from the last
 * *completed* run).
 */
function importStudy(db: Db, place: Place, ctx: WriteContext, dryRun: boolean): SyncStudy {
  try {
    return studyFromImport(place, runImport(db, parseCtgov(place.study), ctx, { dryRun }));
  } catch (error) {
    // A lock held past the busy timeout is not the study's fault: reported, asked again next run.
    if (isLockHeld(error)) return studyNotWritten(place, catalogueBusy().message);
    if (!(error instanceof CatalogueError)) throw error;
    return studyNotWritten(place, error.message);
  }
}

/**
 * Pages through the registry's `/studies` for the query and imports each study through the import
 * service (channel SYNC). Outcome: COMPLETED when every page was read and no study refused;
 * REFUSALS when a study was refused or a malformed page skipped (the last-sync date does not move,
 * so the next run asks again); FAILED when the registry could not be read to the end. Outside a
 * dry run the run is kept in registry_syncs; a dry run writes nothing at all.
 */
export async function runSync(db: Db, options: SyncOptions): Promise<SyncReport> {
  const { clock, query, dryRun } = options;
  const startedAt = new Date(clock.now()).toISOString();
  const fromLastSync = options.since === null ? incrementalSince(lastCompletedSyncStart(db, query)) : null;
  const since = options.since ?? fromLastSync;
  const runId = dryRun ? null : await whenFree(clock, () => startSyncRun(db, { query, since, startedAt }));
  const client = new RegistryClient({
    apiUrl: options.apiUrl,
    maxRequestsPerMinute: options.maxRequestsPerMinute,
    timeoutMs: options.timeoutMs,
    clock,
    ...(options.random ? { random: options.random } : {}),
  });
  const report: SyncReport = {
    query,
    since,
    sinceFrom: options.since !== null ? 'ARGUMENT' : fromLastSync !== null ? 'LAST_SYNC' : 'NONE',
    dryRun,
    outcome: 'COMPLETED',
    totalCount: null,
    pages: 0,
    skippedPages: [],
    studies: [],
    counts: countStudies([]),
    failure: null,
    registryAnswered: false,
    requests: 0,
  };
  await readPages(db, client, options, report, since);
  report.requests = client.requests;
  report.counts = countStudies(report.studies);
  if (report.failure === null && (report.counts.refused > 0 || report.skippedPages.length > 0))
    report.outcome = 'REFUSALS';
  if (runId !== null)
    await whenFree(clock, () =>
      finishSyncRun(db, runId, {
        outcome: report.outcome,
        finishedAt: new Date(clock.now()).toISOString(),
        counts: {
          ...report.counts,
          pages: report.pages,
          pagesSkipped: report.skippedPages.length,
          requests: report.requests,
        },
      }),
    );
  return report;
}

/** How long the sync's own bookkeeping waits for another writer (a large import) to let go. */
const BOOKKEEPING_ATTEMPTS = 30;
const BOOKKEEPING_WAIT_MS = 1_000;

/**
 * Runs a short write of the sync's own (its row in registry_syncs), waiting for a busy catalogue
 * to be free: a large import elsewhere can hold the lock longer than one busy timeout, and giving
 * up there would leave a finished run recorded as still running. Still busy after that, the
 * busy kind is thrown (the command exits 2 and says so).
 */
async function whenFree<T>(clock: Clock, write: () => T): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return write();
    } catch (error) {
      if (!isLockHeld(error) || attempt >= BOOKKEEPING_ATTEMPTS)
        throw isLockHeld(error) ? catalogueBusy() : error;
      await clock.sleep(BOOKKEEPING_WAIT_MS);
    }
  }
}

function fail(report: SyncReport, message: string): void {
  report.outcome = 'FAILED';
  report.failure = message;
}

async function readPages(
  db: Db,
  client: RegistryClient,
  options: SyncOptions,
  report: SyncReport,
  since: string | null,
): Promise<void> {
  const seenTokens = new Set<string>();
  let pageToken: string | null = null;
  for (let page = 1; ; page += 1) {
    const answer = await client.page({
      query: options.query,
      since,
      pageToken,
      pageSize: options.pageSize ?? SYNC_PAGE_SIZE,
    });
    if (answer.kind === 'unavailable') {
      const where = report.registryAnswered ? `page ${page}` : 'the first page';
      return fail(report, `The registry could not be read (${where}): ${answer.message}`);
    }
    report.registryAnswered = true;
    report.pages += 1;
    if (answer.kind === 'malformed') {
      report.skippedPages.push({ page, message: answer.message });
      if (answer.nextPageToken === null)
        return fail(
          report,
          `Page ${page} is not a v2 /studies page (${answer.message}) and names no next page.`,
        );
    } else {
      if (page === 1) report.totalCount = answer.totalCount;
      const ctx: WriteContext = {
        changedBy: SYNC_WRITER,
        channel: 'SYNC',
        now: new Date(options.clock.now()),
      };
      for (const [position, study] of answer.studies.entries()) {
        report.studies.push(importStudy(db, { page, position, study }, ctx, options.dryRun));
        options.onProgress?.(report.studies.length, report.totalCount);
      }
    }
    if (answer.nextPageToken === null) return;
    if (seenTokens.has(answer.nextPageToken))
      return fail(
        report,
        `The registry gave page token ${answer.nextPageToken} twice; stopped to avoid a loop.`,
      );
    seenTokens.add(answer.nextPageToken);
    pageToken = answer.nextPageToken;
  }
}
