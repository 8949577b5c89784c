import Database from 'better-sqlite3';
import { vocabularies } from '../src/vocabularies';

/** Every combination of two lists, as query strings. */
function pairs(a: readonly string[], b: readonly string[], make: (x: string, y: string) => string): string[] {
  return a.flatMap((x) => b.map((y) => make(x, y)));
}

const CELL_SOURCES = vocabularies.cellSource.values;
const ROUTES = vocabularies.route.values;
const STATUSES = vocabularies.overallStatus.values;
const POPULATIONS = vocabularies.population.values;

/** The commonest questions, first in every rotation: the densest cell source × route pairs. */
const COMMONEST = [
  'cellSource=BONE_MARROW&route=INTRAVENOUS&status=COMPLETED',
  'cellSource=UMBILICAL_CORD&route=INTRAVENOUS&status=COMPLETED',
  'cellSource=ADIPOSE&route=INTRAVENOUS&status=COMPLETED',
];

/** `count` items spread evenly over a list, so a rotation samples every part of it. */
function spread<T>(list: readonly T[], count: number): T[] {
  if (list.length <= count) return [...list];
  return Array.from({ length: count }, (_, i) => list[Math.floor((i * list.length) / count)] as T);
}

/**
 * The reviewer's question: 200 distinct cell source × route × status combinations, the commonest
 * first (the densest are the slowest to page when every match is probed).
 */
export function cellRouteStatusQueries(): string[] {
  const all = CELL_SOURCES.flatMap((c) =>
    ROUTES.flatMap((r) => STATUSES.map((s) => `cellSource=${c}&route=${r}&status=${s}`)),
  );
  const rest = all.filter((q) => !COMMONEST.includes(q));
  return [...COMMONEST, ...spread(rest, 200 - COMMONEST.length)].map((q) => `/trials?${q}`);
}

/**
 * Cell source × route alone (both sort orders) and with a phase, an allocation, or a site and
 * metric result filter: one distinct query each.
 */
export function filteredListQueries(): string[] {
  const base = pairs(CELL_SOURCES, ROUTES, (c, r) => `/trials?cellSource=${c}&route=${r}`);
  const extras = [
    '',
    '&sort=-enrollment',
    '&phase=PHASE2',
    '&allocation=RANDOMIZED',
    '&site=LUMBAR_SPINE&metric=PERCENT_CHANGE',
  ];
  return extras.flatMap((extra) => base.map((q) => `${q}${extra}`));
}

export function countsQueries(): string[] {
  return pairs(
    STATUSES,
    POPULATIONS,
    (s, p) => `/summaries/counts?facets=cellSource,route,phase&status=${s}&population=${p}`,
  );
}

export function bmdChangeQueries(): string[] {
  return pairs(
    STATUSES,
    POPULATIONS,
    (s, p) => `/summaries/bmd-change?groupBy=cellSource&status=${s}&population=${p}`,
  );
}

/**
 * The reviewer-sized meta-analysis of the goals: randomised trials of one cell source × route, at
 * two sites.
 */
export function metaAnalysisQueries(): string[] {
  return ['LUMBAR_SPINE', 'FEMORAL_NECK'].flatMap((site) =>
    pairs(
      CELL_SOURCES,
      ROUTES,
      (c, r) =>
        `/meta-analyses/bmd?site=${site}&metric=PERCENT_CHANGE&allocation=RANDOMIZED&cellSource=${c}&route=${r}`,
    ),
  );
}

export function unfilteredMetaAnalysisQueries(): string[] {
  return ['REML', 'DL', 'PM', 'EE'].flatMap((m) =>
    ['z', 'knha'].map(
      (t) => `/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE&method=${m}&test=${t}`,
    ),
  );
}

/** A spread of trial ids read straight from the file, for lookups by id. */
export function sampleTrialIds(file: string, count: number): string[] {
  const db = new Database(file, { readonly: true });
  const total = (db.prepare('SELECT count(*) AS n FROM trials').get() as { n: number }).n;
  const step = Math.max(1, Math.floor(total / count));
  const ids = db
    .prepare('SELECT id FROM trials WHERE search_id % ? = 0 LIMIT ?')
    .pluck()
    .all(step, count) as string[];
  db.close();
  return ids.map((id) => `/trials/${id}`);
}

/** Cursors `count` pages apart starting `depth` rows into the default sort, by walking the list. */
export async function cursorsAt(baseUrl: string, depth: number, count: number): Promise<string[]> {
  let cursor: string | null = null;
  let walked = 0;
  // Depth 0: the first page itself, then the pages that start one row later each.
  if (depth === 0) return [`/trials`, ...(await cursorsAt(baseUrl, 1, count - 1))];
  const next = async (limit: number) => {
    const url: string = `${baseUrl}/trials?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = (await (await fetch(url)).json()) as { page: { nextCursor: string | null } };
    cursor = body.page.nextCursor;
    walked += limit;
  };
  while (walked + 500 <= depth && (walked === 0 || cursor)) await next(500);
  if (walked < depth) await next(depth - walked);
  const found: string[] = [];
  for (let i = 0; i < count && cursor; i++) {
    found.push(`/trials?cursor=${encodeURIComponent(cursor)}`);
    await next(1);
  }
  return found;
}

/**
 * A reviewer-sized question for each evidence analysis: randomised trials of one cell source and
 * route, every combination, so each request is a distinct (cold) query.
 */
export function evidenceQueries(): string[] {
  const endpoints = [
    'leave-one-out?',
    'cumulative?',
    'small-study-effects?',
    'regression?moderators=timepointMonths&',
    'summary-of-findings?',
  ];
  return endpoints.flatMap((endpoint) =>
    pairs(CELL_SOURCES, ROUTES, (c, r) => {
      const outcome = endpoint.startsWith('summary') ? '' : 'site=LUMBAR_SPINE&metric=PERCENT_CHANGE&';
      return `/meta-analyses/bmd/${endpoint}${outcome}allocation=RANDOMIZED&cellSource=${c}&route=${r}`;
    }),
  );
}

/** One question for each evidence analysis outside every rotation (non-randomised trials), to compile its code before any is timed. */
export function evidenceWarmUps(): string[] {
  const selection = 'allocation=NON_RANDOMIZED&cellSource=BONE_MARROW&route=INTRAOSSEOUS';
  const outcome = `site=LUMBAR_SPINE&metric=PERCENT_CHANGE&${selection}`;
  return [
    `leave-one-out?${outcome}`,
    `cumulative?${outcome}`,
    `small-study-effects?${outcome}`,
    `regression?moderators=timepointMonths&${outcome}`,
    `summary-of-findings?${selection}`,
  ];
}
