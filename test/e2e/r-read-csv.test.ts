import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rTestRuns, runR } from '../helpers/rscript';
import { type RunningServer, startServer } from '../helpers/start-server';

// Every CSV export of the real server (seeded catalogue), read by R as a user would: base
// `read.csv` with its defaults, and readr's `read_csv` with its defaults when readr is installed.

type Json = Record<string, unknown>;

const EXPORTS = {
  'trials.csv': '/trials?format=csv',
  'bmd-results.csv': '/bmd-results?format=csv',
  'meta-analysis.csv': '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE&format=csv',
} as const;
type ExportFile = keyof typeof EXPORTS;

/**
 * For each file and reader, one line per column: its R class ("numeric" for any numeric type),
 * how many values R took as missing, and how many cells hold NOT_APPLICABLE; and the row count.
 */
const DESCRIBE = String.raw`
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
describe <- function(reader, file, df) {
  cat(sprintf("%s\t%s\t.rows\t%d\n", reader, file, nrow(df)))
  for (col in names(df)) {
    v <- df[[col]]
    kind <- if (is.numeric(v)) "numeric" else class(v)[1]
    notApplicable <- if (is.character(v)) sum(grepl("NOT_APPLICABLE", v, fixed = TRUE)) else 0L
    cat(sprintf("%s\t%s\t%s\t%s\t%d\t%d\n", reader, file, col, kind, sum(is.na(v)), notApplicable))
  }
}
haveReadr <- requireNamespace("readr", quietly = TRUE)
cat(sprintf("readr\t%s\n", haveReadr))
for (file in args[-1]) {
  path <- file.path(dir, file)
  describe("read.csv", file, read.csv(path, stringsAsFactors = FALSE, check.names = FALSE))
  if (haveReadr)
    describe("readr", file, as.data.frame(readr::read_csv(path, show_col_types = FALSE, progress = FALSE)))
}
`;

interface ColumnAsRead {
  kind: string;
  missing: number;
  notApplicable: number;
}
type Reader = 'read.csv' | 'readr';
type AsRead = Record<
  Reader,
  Partial<Record<ExportFile, { rows: number; columns: Record<string, ColumnAsRead> }>>
>;

function parseDescription(stdout: string): { readr: boolean; asRead: AsRead } {
  const asRead: AsRead = { 'read.csv': {}, readr: {} };
  let readr = false;
  for (const line of stdout.trim().split('\n')) {
    const [reader, file, column, kind, missing, notApplicable] = line.split('\t');
    if (reader === 'readr' && file !== undefined && column === undefined) {
      readr = file === 'TRUE';
      continue;
    }
    const byFile = asRead[reader as Reader];
    const entry = byFile[file as ExportFile] ?? { rows: -1, columns: {} };
    byFile[file as ExportFile] = entry;
    if (column === '.rows') entry.rows = Number(kind);
    else
      entry.columns[column as string] = {
        kind: kind as string,
        missing: Number(missing),
        notApplicable: Number(notApplicable),
      };
  }
  return { readr, asRead };
}

let server: RunningServer;
let dir: string;
let trials: Json[];
let results: Json[];
let studies: Json[];
let described: { readr: boolean; asRead: AsRead };
const streamedHeaders: Record<string, Headers> = {};

/** Every row of a JSON list, following nextCursor (bounded: at most 20 pages of 500). */
async function allRows(path: string): Promise<{ rows: Json[]; total: number }> {
  const rows: Json[] = [];
  let total = -1;
  let cursor: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const url = `${server.url}${path}?limit=500&countTotal=true${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = (await (await fetch(url)).json()) as {
      data: Json[];
      page: { nextCursor: string | null; total: number };
    };
    rows.push(...body.data);
    total = body.page.total;
    cursor = body.page.nextCursor;
    if (!cursor) break;
  }
  return { rows, total };
}

const count = <T>(rows: readonly T[], test: (row: T) => boolean) => rows.filter(test).length;

describe.runIf(rTestRuns('the R read.csv test'))('R reads every CSV export right', () => {
  beforeAll(async () => {
    server = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'catalogue-r-'));
    for (const [file, path] of Object.entries(EXPORTS)) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
      streamedHeaders[file] = res.headers;
      writeFileSync(join(dir, file), await res.text());
    }
    const trialList = await allRows('/trials');
    const resultList = await allRows('/bmd-results');
    expect(trialList.rows).toHaveLength(trialList.total);
    expect(resultList.rows).toHaveLength(resultList.total);
    trials = trialList.rows;
    results = resultList.rows;
    const analysis = (await (
      await fetch(`${server.url}${EXPORTS['meta-analysis.csv'].replace('&format=csv', '')}`)
    ).json()) as {
      studies: Json[];
    };
    studies = analysis.studies;
    described = parseDescription(await runR(DESCRIBE, [dir, ...Object.keys(EXPORTS)], 90_000));
  }, 150_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const readers = (): Reader[] => (described.readr ? ['read.csv', 'readr'] : ['read.csv']);
  const asRead = (reader: Reader, file: ExportFile) => {
    const entry = described.asRead[reader][file];
    expect(entry, `${reader} read ${file}`).toBeDefined();
    return entry as NonNullable<typeof entry>;
  };

  it('sends the list exports as streams (chunked, no Content-Length)', () => {
    for (const file of ['trials.csv', 'bmd-results.csv'] as const) {
      expect(streamedHeaders[file]?.get('transfer-encoding')).toBe('chunked');
      expect(streamedHeaders[file]?.get('content-length')).toBeNull();
      expect(streamedHeaders[file]?.get('link')).toBeNull();
    }
  });

  it('reads every row: as many as the JSON lists count, more than one default page', () => {
    expect(trials.length).toBeGreaterThan(25);
    expect(results.length).toBeGreaterThan(25);
    expect(studies.length).toBeGreaterThan(1);
    for (const reader of readers()) {
      expect(asRead(reader, 'trials.csv').rows, reader).toBe(trials.length);
      expect(asRead(reader, 'bmd-results.csv').rows, reader).toBe(results.length);
      expect(asRead(reader, 'meta-analysis.csv').rows, reader).toBe(studies.length);
    }
  });

  it('reads numeric columns as numbers', () => {
    const numeric: Record<ExportFile, string[]> = {
      'trials.csv': ['enrollmentCount', 'bmdResultCount', 'version'],
      'bmd-results.csv': ['participants', 'timepointMonths', 'n', 'mean', 'sd', 'se', 'sdEffective'],
      'meta-analysis.csv': ['timepointMonths', 'n1', 'n2', 'yi', 'vi', 'se', 'ciLower', 'ciUpper', 'weight'],
    };
    // A dose column is numeric when some study reports it (a column all NA is logical in R).
    for (const dose of ['cellsPerKg', 'cells', 'administrations'])
      if (studies.some((s) => s[dose] !== null)) numeric['meta-analysis.csv'].push(dose);
    for (const reader of readers())
      for (const [file, columns] of Object.entries(numeric) as [ExportFile, string[]][])
        for (const column of columns)
          expect(asRead(reader, file).columns[column]?.kind, `${reader} ${file} ${column}`).toBe('numeric');
  });

  it('reads a missing value as NA, and NOT_APPLICABLE as a value, never NA', () => {
    const hasNa = (v: unknown) => Array.isArray(v) && v.includes('NA');
    const isEmpty = (v: unknown) => Array.isArray(v) && v.length === 0;
    // The seed holds both: trials whose allocation or phase is "not applicable", and missing values.
    expect(count(trials, (t) => t.allocation === 'NA')).toBeGreaterThan(0);
    expect(count(trials, (t) => hasNa(t.phases))).toBeGreaterThan(0);
    expect(count(results, (r) => r.sd === null)).toBeGreaterThan(0);
    const expected: Record<ExportFile, Record<string, { missing: number; notApplicable?: number }>> = {
      'trials.csv': {
        allocation: {
          missing: count(trials, (t) => t.allocation === null),
          notApplicable: count(trials, (t) => t.allocation === 'NA'),
        },
        phases: {
          missing: count(trials, (t) => isEmpty(t.phases)),
          notApplicable: count(trials, (t) => hasNa(t.phases)),
        },
        masking: { missing: count(trials, (t) => t.masking === null) },
        enrollmentCount: { missing: count(trials, (t) => t.enrollment === null) },
        sponsor: { missing: count(trials, (t) => t.sponsor === null) },
        riskOfBias: { missing: count(trials, (t) => t.riskOfBias === null) },
      },
      'bmd-results.csv': {
        phases: {
          missing: count(results, (r) => isEmpty(r.phases)),
          notApplicable: count(results, (r) => hasNa(r.phases)),
        },
        participants: { missing: count(results, (r) => r.participants === null) },
        cellSource: { missing: count(results, (r) => r.cellSource === null) },
        comparator: { missing: count(results, (r) => r.comparator === null) },
        sd: { missing: count(results, (r) => r.sd === null) },
        se: { missing: count(results, (r) => r.se === null) },
        sdEffective: { missing: count(results, (r) => r.sdEffective === null) },
        n: { missing: 0 },
        mean: { missing: 0 },
        timepointMonths: { missing: 0 },
      },
      'meta-analysis.csv': {
        yi: { missing: 0 },
        vi: { missing: 0 },
        comparator: { missing: count(studies, (s) => s.comparator === null) },
        cellsPerKg: { missing: count(studies, (s) => s.cellsPerKg === null) },
        route: { missing: 0 },
        riskOfBias: { missing: 0 },
      },
    };
    for (const reader of readers())
      for (const [file, columns] of Object.entries(expected) as [ExportFile, (typeof expected)[ExportFile]][])
        for (const [column, want] of Object.entries(columns)) {
          const got = asRead(reader, file).columns[column];
          expect(got?.missing, `${reader} ${file} ${column}: missing`).toBe(want.missing);
          if (want.notApplicable !== undefined)
            expect(got?.notApplicable, `${reader} ${file} ${column}: NOT_APPLICABLE`).toBe(
              want.notApplicable,
            );
        }
  });
});
