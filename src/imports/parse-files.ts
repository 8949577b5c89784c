import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { CtgovOptions } from './parse-ctgov';
import { parseImportBody } from './parse-import';
import { emptyParsed, type ImportFormat, type ParsedImport, stopAtCap, TooManyRecordsError } from './types';

/**
 * The format of a file when none is given: `.csv` is CSV; `.json` (or any file that starts like
 * JSON) is ClinicalTrials.gov data when it looks like it, else a bundle.
 */
export function formatOfFile(file: string, text: string): ImportFormat | undefined {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.json') return undefined;
  return /^\s*[[{]/.test(text) ? undefined : 'csv';
}

function tagged(parsed: ParsedImport, source: string): ParsedImport {
  return {
    ...parsed,
    trials: parsed.trials.map((record) => ({ ...record, source })),
    rows: parsed.rows.map((row) => ({ ...row, source })),
    rejected: parsed.rejected.map((issue) => ({ ...issue, source })),
    warnings: parsed.warnings.map((warning) => ({ ...warning, source })),
    skipped: parsed.skipped.map((record) => ({ ...record, source })),
  };
}

/** Parses one file with what is left of IMPORT_MAX_RECORDS; a refusal counts every file read. */
function parseWithin(text: string, format: ImportFormat | undefined, options: CtgovOptions, before: number) {
  const maxRecords = options.maxRecords === undefined ? undefined : options.maxRecords - before;
  try {
    return parseImportBody(text, format, { ...options, ...(maxRecords === undefined ? {} : { maxRecords }) })
      .parsed;
  } catch (error) {
    if (error instanceof TooManyRecordsError && options.maxRecords !== undefined)
      throw new TooManyRecordsError(before + error.count, options.maxRecords);
    throw error;
  }
}

/**
 * Reads and parses every file, each record tagged with its file, as one import: at most
 * `maxRecords` records in all, and no further file once MAX_REPORTED_REJECTIONS are found.
 */
export function parseFiles(
  files: readonly string[],
  format: ImportFormat | undefined,
  options: CtgovOptions = {},
): ParsedImport {
  const all: ParsedImport = { ...emptyParsed(), files: [...files], recordCount: 0 };
  for (const file of files) {
    if (stopAtCap(all)) break;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      all.rejected.push({
        index: null,
        path: '',
        message: `cannot read the file: ${(error as Error).message}`,
        code: 'UNREADABLE_FILE',
        source: file,
      });
      continue;
    }
    const before = all.recordCount ?? 0;
    const parsed = tagged(parseWithin(text, format ?? formatOfFile(file, text), options, before), file);
    all.recordCount = before + (parsed.recordCount ?? 0);
    all.stopped ||= parsed.stopped;
    all.trials.push(...parsed.trials);
    all.rows.push(...parsed.rows);
    all.rejected.push(...parsed.rejected);
    all.warnings.push(...parsed.warnings);
    all.skipped.push(...parsed.skipped);
    all.csv ||= parsed.csv;
  }
  return all;
}
