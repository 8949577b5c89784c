import { parseBundle } from './parse-bundle';
import { parseCsv } from './parse-csv';
import { type CtgovOptions, looksLikeCtgov, parseCtgov } from './parse-ctgov';
import { readJson } from './read-json';
import { emptyParsed, type ImportFormat, type ParsedImport } from './types';

export interface ParsedBody {
  /** The format used: the one asked for, else the one the body showed. */
  format: ImportFormat;
  parsed: ParsedImport;
}

function refused(message: string): ParsedImport {
  const parsed = emptyParsed();
  parsed.rejected.push({ index: null, path: '', message, code: 'INVALID_BODY' });
  return parsed;
}

/**
 * Reads a body in one of the import formats. Without a format, JSON that is ClinicalTrials.gov
 * data (v2 or classic) is read as ctgov and any other JSON as a bundle.
 */
export function parseImportBody(
  text: string,
  format: ImportFormat | undefined,
  options: CtgovOptions = {},
): ParsedBody {
  if (format === 'csv') return { format, parsed: parseCsv(text, options.maxRecords) };
  const json = readJson(text);
  const chosen = format ?? (json.ok && looksLikeCtgov(json.value) ? 'ctgov' : 'bundle');
  if (!json.ok) {
    const parsed = emptyParsed();
    parsed.rejected.push(json.issue);
    return { format: chosen, parsed };
  }
  if (chosen === 'ctgov') return { format: chosen, parsed: parseCtgov(json.value, options) };
  if (looksLikeCtgov(json.value))
    return {
      format: chosen,
      parsed: refused('this is ClinicalTrials.gov data, not a bundle: import it with format=ctgov'),
    };
  return { format: chosen, parsed: parseBundle(json.value, options.maxRecords) };
}
