/**
 * What `npm run sync` asks ClinicalTrials.gov API v2 for. The query is one Essie expression sent
 * as `query.term`; `--query` replaces it whole.
 *
 * The default is deliberately wider than the catalogue's topic rule (domain/ctgov/topic.ts): the
 * registry's search areas match synonyms and free text, so it finds every candidate, and the
 * importer then skips, with the reason, each study that names no bone condition or no cell-based
 * arm. A narrower query would lose trials silently; a wider one costs only skipped records.
 */
export const DEFAULT_SYNC_QUERY =
  'AREA[ConditionSearch](osteoporosis OR osteopenia OR "low bone mass" OR "low bone density" OR "bone loss") ' +
  'AND AREA[InterventionSearch]("stem cell" OR "stem cells" OR mesenchymal OR stromal OR "mononuclear cells" ' +
  'OR "cell therapy" OR "cell-based" OR "cell transplantation")';

/** Studies per page: the registry allows up to 1000; 100 keeps each answer small enough to retry cheaply. */
export const SYNC_PAGE_SIZE = 100;

export interface StudiesRequest {
  query: string;
  /** YYYY-MM-DD: only studies whose last update was posted on or after this date. */
  since: string | null;
  pageToken: string | null;
  pageSize: number;
}

/** The `/studies` address for one page: JSON, the total counted on the first page only. */
export function studiesUrl(apiUrl: string, request: StudiesRequest): URL {
  const url = new URL(`${apiUrl.replace(/\/+$/, '')}/studies`);
  const params = url.searchParams;
  params.set('format', 'json');
  params.set('query.term', request.query);
  if (request.since) params.set('filter.advanced', `AREA[LastUpdatePostDate]RANGE[${request.since},MAX]`);
  params.set('pageSize', String(request.pageSize));
  if (request.pageToken) params.set('pageToken', request.pageToken);
  else params.set('countTotal', 'true');
  return url;
}

const DAY_MS = 86_400_000;

/**
 * The `since` date an incremental sync asks for: the day before the last completed run started.
 * The registry dates updates in its own time zone, so the day of overlap makes sure no update
 * posted around midnight is missed; a study seen twice is simply unchanged the second time.
 */
export function incrementalSince(lastCompletedStart: string | null): string | null {
  if (lastCompletedStart === null) return null;
  return new Date(Date.parse(lastCompletedStart) - DAY_MS).toISOString().slice(0, 10);
}
