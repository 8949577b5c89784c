import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { CtgovOptions } from './parse-ctgov';
import { parseImportBody } from './parse-import';
import { emptyParsed, type ImportFormat, type ParsedImport } from './types';

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

/** Reads and parses every file, each record tagged with its file, as one import. */
export function parseFiles(
  files: readonly string[],
  format: ImportFormat | undefined,
  options: CtgovOptions = {},
): ParsedImport {
  const all = { ...emptyParsed(), files: [...files] };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      all.rejected.push({
        index: null,
        path: '',
        message: `cannot read the file: ${(error as Error).message}`,
        source: file,
      });
      continue;
    }
    const parsed = tagged(parseImportBody(text, format ?? formatOfFile(file, text), options).parsed, file);
    all.trials.push(...parsed.trials);
    all.rows.push(...parsed.rows);
    all.rejected.push(...parsed.rejected);
    all.warnings.push(...parsed.warnings);
    all.skipped.push(...parsed.skipped);
    all.csv ||= parsed.csv;
  }
  return all;
}
