import { CsvError, parse } from 'csv-parse/sync';
import { BMD_RESULT_CSV_COLUMNS } from '../csv/bmd-result-csv';
import { CSV_MISSING, unneutraliseCell, vocabularyOfCell } from '../csv/write-csv';
import {
  COLUMN_ALIASES,
  CsvRowSchema,
  type CsvRowValues,
  LIST_COLUMNS,
  NUMBER_COLUMNS,
  REQUIRED_COLUMNS,
  TEXT_COLUMNS,
  TRIAL_KEY_COLUMNS,
} from './csv-row-schema';
import {
  type CsvResultRow,
  checkRecordCount,
  emptyParsed,
  type ImportIssue,
  type ParsedImport,
  rejectionsFull,
  stopAtCap,
} from './types';

const KNOWN_COLUMNS = new Set<string>(BMD_RESULT_CSV_COLUMNS);
/** A plain decimal as the export writes it (String(number)); "1,5" or "about 3" are not numbers. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function rowIssue(index: number, line: number, column: string, message: string): ImportIssue {
  return {
    index,
    path: `/${column}`,
    message: `line ${line}, column ${column}: ${message}`,
    line,
    column,
    code: 'INVALID_FIELD',
  };
}

function headerIssue(column: string, message: string): ImportIssue {
  return {
    index: null,
    path: `/${column}`,
    message: `header: ${message}`,
    line: 1,
    column,
    code: 'INVALID_HEADER',
  };
}

function checkHeader(header: string[]): ImportIssue[] {
  const issues: ImportIssue[] = [];
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) issues.push(headerIssue(column, `column ${column} appears twice`));
    seen.add(column);
    if (!KNOWN_COLUMNS.has(column))
      issues.push(
        headerIssue(
          column,
          `unknown column "${column}"; the columns are those of GET /bmd-results?format=csv: ${BMD_RESULT_CSV_COLUMNS.join(', ')}`,
        ),
      );
  }
  for (const column of REQUIRED_COLUMNS)
    if (!seen.has(column)) issues.push(headerIssue(column, `column ${column} is missing`));
  if (!TRIAL_KEY_COLUMNS.some((column) => seen.has(column)))
    issues.push(
      headerIssue(
        'trialId',
        'a trialId or registryIds (or registryId) column is needed to find each row’s trial',
      ),
    );
  if (!(seen.has('sd') || seen.has('se') || (seen.has('ciLower') && seen.has('ciUpper')))) {
    const column = seen.has('ciLower') ? 'ciUpper' : seen.has('ciUpper') ? 'ciLower' : 'sd';
    issues.push(headerIssue(column, 'a spread column is needed: sd, se, or both ciLower and ciUpper'));
  }
  return issues;
}

/**
 * Cells as the row schema reads them: `NA` or empty means not given, numbers and `;` lists decoded,
 * `NOT_APPLICABLE` is the vocabulary value `NA`, and a text cell the export neutralised as a
 * formula (`'=…`) loses that one `'` (as the export writes them). Number columns are taken strictly.
 */
function decodeCells(
  record: Record<string, string>,
  bad: (column: string, message: string) => void,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(record)) {
    const numeric = NUMBER_COLUMNS.has(column);
    const cell = numeric ? raw.trim() : unneutraliseCell(raw.trim());
    const value = TEXT_COLUMNS.has(column) ? (v: string) => v : vocabularyOfCell;
    if (cell === '' || cell === CSV_MISSING) out[column] = LIST_COLUMNS.has(column) ? [] : undefined;
    else if (LIST_COLUMNS.has(column))
      out[column] = cell
        .split(';')
        .map((v) => value(v.trim()))
        .filter(Boolean);
    else if (numeric) {
      if (DECIMAL.test(cell)) out[column] = Number(cell);
      else bad(column, `"${cell.slice(0, 40)}" is not a number`);
    } else out[column] = column === 'note' ? unneutraliseCell(raw) : value(cell);
  }
  return out;
}

function toRow(index: number, line: number, v: CsvRowValues): CsvResultRow {
  return {
    index,
    line,
    trialId: v.trialId,
    registryIds: v.registryIds,
    trial: {
      trialTitle: v.trialTitle,
      studyType: v.studyType,
      overallStatus: v.overallStatus,
      phases: v.phases,
      population: v.population,
      provenanceKind: v.provenanceKind,
      provenanceSources: v.provenanceSources,
    },
    arm: {
      armLabel: v.armLabel,
      armType: v.armType,
      participants: v.participants,
      cellSource: v.cellSource,
      cellType: v.cellType,
      donor: v.donor,
      route: v.route,
      comparator: v.comparator,
    },
    armId: v.armId,
    result: {
      site: v.site,
      metric: v.metric,
      method: v.method,
      statistic: v.statistic,
      timepointMonths: v.timepointMonths,
      n: v.n,
      mean: v.mean,
      sd: v.sd,
      se: v.se,
      ciLower: v.ciLower,
      ciUpper: v.ciUpper,
      note: v.note,
    },
  };
}

/**
 * Reads a CSV of BMD results in the export's columns (any order; read-only columns ignored).
 * Every malformed record and every bad cell is reported by row and column, not just the first.
 */
export function parseCsv(text: string, maxRecords?: number): ParsedImport {
  const parsed: ParsedImport = { ...emptyParsed((i) => `/${i}`), csv: true };
  let malformed = 0;
  let header: string[] = [];
  let records: { info: { lines: number }; record: Record<string, string> }[];
  try {
    records = parse(text, {
      bom: true,
      columns: (first: string[]) => {
        header = first.map((c) => COLUMN_ALIASES[c.trim()] ?? c.trim());
        return header;
      },
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        malformed += 1;
        // Beyond the cap malformed records are only counted, against IMPORT_MAX_RECORDS.
        if (rejectionsFull(parsed.rejected)) {
          parsed.stopped = true;
          return;
        }
        const line = (error as (CsvError & { lines?: number }) | undefined)?.lines;
        parsed.rejected.push({
          index: null,
          path: '',
          message: `malformed CSV: ${error?.message ?? 'unreadable record'}`,
          code: 'MALFORMED_CSV',
          ...(line ? { line } : {}),
        });
      },
    }) as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    parsed.rejected.push({
      index: null,
      path: '',
      message: `malformed CSV: ${error.message}`,
      code: 'MALFORMED_CSV',
    });
    return parsed;
  }
  if (header.length === 0) {
    parsed.rejected.push({
      index: null,
      path: '',
      message: 'the CSV is empty: it needs a header row',
      code: 'INVALID_BODY',
    });
    return parsed;
  }
  checkRecordCount(records.length + malformed, maxRecords);
  parsed.recordCount = records.length + malformed;
  const headerIssues = checkHeader(header);
  parsed.rejected.push(...headerIssues);
  if (headerIssues.length) return parsed;
  for (const [index, { info, record }] of records.entries()) {
    if (stopAtCap(parsed)) break;
    const line = info.lines;
    const badColumns = new Set<string>();
    const cells = decodeCells(record, (column, message) => {
      badColumns.add(column);
      parsed.rejected.push(rowIssue(index, line, column, message));
    });
    const result = CsvRowSchema.safeParse(cells);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = String(issue.path[0] ?? 'trialId');
        if (!badColumns.has(column)) parsed.rejected.push(rowIssue(index, line, column, issue.message));
      }
      continue;
    }
    if (badColumns.size === 0) parsed.rows.push(toRow(index, line, result.data));
  }
  return parsed;
}
