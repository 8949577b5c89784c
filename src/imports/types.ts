import type { TrialInput } from '../schemas/trial-input';

export const IMPORT_FORMATS = ['bundle', 'csv', 'ctgov'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * What kind of problem a rejection is: the body could not be read as JSON or CSV, it is not an
 * import body at all (empty, wrong shape, wrong format), the CSV header is wrong, a field's value is
 * refused or unknown, a record repeats an id another record of the same import gives, an id
 * belongs to another stored trial (or the store refused the write), or a CLI file is unreadable.
 */
export const REJECTION_CODES = [
  'MALFORMED_JSON',
  'MALFORMED_CSV',
  'INVALID_BODY',
  'INVALID_HEADER',
  'INVALID_FIELD',
  'UNKNOWN_FIELD',
  'DUPLICATE_ID',
  'CONFLICT',
  'UNREADABLE_FILE',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** Validation stops after this many rejections; the report lists these and says it is incomplete. */
export const MAX_REPORTED_REJECTIONS = 100;

/** One problem that keeps an import from being written. */
export interface ImportIssue {
  code: RejectionCode;
  /** The record (or CSV data row, 0 = the first row after the header); null for the body as a whole. */
  index: number | null;
  /** JSON Pointer inside that record (`/arms/0/label`); for CSV `/<column>`; '' for the whole record. */
  path: string;
  message: string;
  /** CSV only: the line of the file the row ends on (the header is line 1). */
  line?: number;
  /** CSV only: the column the problem is in. */
  column?: string;
  /** The file the record came from, when several are imported at once (CLI). */
  source?: string;
}

/** Something a curator should read: a value that could not be mapped, a field left as it was. */
export interface ImportWarning {
  index: number | null;
  code: string;
  message: string;
  source?: string;
}

/** What an import did with one record (CSV: with one trial its rows name). */
export const RECORD_OUTCOMES = ['CREATED', 'UPDATED', 'UNCHANGED', 'SKIPPED'] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

/** One record's outcome, for the report's `records`. */
export interface ImportRecord {
  /** The record's index in the body (CSV: the first data row of the trial). */
  index: number;
  /** The catalogue trial it wrote or matched; null when skipped, or created but not kept (dry run, refusal). */
  id: string | null;
  title: string;
  outcome: RecordOutcome;
  /** Why a record was skipped. */
  reason?: string;
  /** The file the record came from, when several are imported at once (CLI). */
  source?: string;
}

/** The report lists this many warnings at most; `warningsTotal` and `warningsByCode` count them all. */
export const MAX_REPORTED_WARNINGS = 1_000;

/** The report lists the outcome of this many records at most; the counts are whole. */
export const MAX_REPORTED_RECORDS = 1_000;

/** A whole trial to create or replace (bundle and ClinicalTrials.gov records). */
export interface TrialRecord {
  index: number;
  source?: string;
  input: TrialInput;
  /**
   * ClinicalTrials.gov records leave baseline, risk of bias, dose and safety null because only a
   * curator can fill them; a re-import keeps what a curator stored there.
   */
  keepCurated: boolean;
}

/** One CSV row: a BMD result with its trial and arm columns, each cell read and type-checked. */
export interface CsvResultRow {
  index: number;
  line: number;
  source?: string;
  trialId: string | undefined;
  registryIds: string[];
  trial: CsvTrialColumns;
  arm: CsvArmColumns;
  armId: string | undefined;
  result: CsvResultColumns;
}

export interface CsvTrialColumns {
  trialTitle: string | undefined;
  studyType: string | undefined;
  overallStatus: string | undefined;
  phases: string[];
  population: string | undefined;
  provenanceKind: string | undefined;
  provenanceSources: string[];
}

export interface CsvArmColumns {
  armLabel: string;
  armType: string | undefined;
  participants: number | null;
  cellSource: string | null;
  cellType: string | null;
  donor: string | null;
  route: string | null;
  comparator: string | null;
}

export interface CsvResultColumns {
  site: string;
  metric: string;
  method: string;
  statistic: string;
  timepointMonths: number;
  n: number;
  mean: number;
  sd: number | null;
  se: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  note: string | null;
}

/** What a parser read from one body or file, before anything is matched or written. */
export interface ParsedImport {
  trials: TrialRecord[];
  rows: CsvResultRow[];
  rejected: ImportIssue[];
  warnings: ImportWarning[];
  /** Records left out on purpose (off-topic ClinicalTrials.gov records), with the reason. */
  skipped: ImportRecord[];
  /** The files read, in order (CLI): the report lists records file by file. */
  files?: string[];
  /** JSON Pointer of record `index` inside the body, for problem `errors`. */
  pointerOf: (index: number) => string;
  /** True for CSV, whose report also counts rows. */
  csv: boolean;
  /** How many records (CSV: rows, malformed ones too) the body holds. */
  recordCount?: number;
  /** True when reading stopped at MAX_REPORTED_REJECTIONS with records left unexamined. */
  stopped?: boolean;
}

/** True once an import has found as many rejections as it examines: it stops there. */
export const rejectionsFull = (rejected: readonly unknown[]): boolean =>
  rejected.length >= MAX_REPORTED_REJECTIONS;

/** More records than IMPORT_MAX_RECORDS: refused before any record is validated. */
export class TooManyRecordsError extends Error {
  override readonly name = 'TooManyRecordsError';
  constructor(
    readonly count: number,
    readonly limit: number,
  ) {
    super(
      `The import has ${count} records (CSV: rows) or more; at most ${limit} (IMPORT_MAX_RECORDS) are taken ` +
        'in one import. Split it into smaller imports.',
    );
  }
}

/** True, and the import marked as stopped, once it holds MAX_REPORTED_REJECTIONS rejections. */
export function stopAtCap(parsed: ParsedImport): boolean {
  if (!rejectionsFull(parsed.rejected)) return false;
  parsed.stopped = true;
  return true;
}

/** Refuses a body of more than `limit` records before any of them is validated. */
export function checkRecordCount(count: number, limit: number | undefined): void {
  if (limit !== undefined && count > limit) throw new TooManyRecordsError(count, limit);
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  /** Records left out on purpose (off topic); each is in `records` with its reason. */
  skipped: number;
  /** What happened to each record, in order (the first MAX_REPORTED_RECORDS). */
  records: ImportRecord[];
  /** The first MAX_REPORTED_REJECTIONS rejections. */
  rejected: ImportIssue[];
  /** Every rejection found in what was examined (a lower bound when `complete` is false). */
  rejectedTotal: number;
  /** rejectedTotal by code. */
  rejectedByCode: Partial<Record<RejectionCode, number>>;
  /** Every warning, of which `warnings` lists the first MAX_REPORTED_WARNINGS. */
  warningsTotal: number;
  warningsByCode: Partial<Record<string, number>>;
  /** False when validation stopped at MAX_REPORTED_REJECTIONS: the counts are then a lower bound. */
  complete: boolean;
  warnings: ImportWarning[];
  dryRun: boolean;
  /** CSV only: result rows added to a trial, and rows identical to a stored result. */
  rows?: { added: number; unchanged: number };
}

export function emptyParsed(pointerOf: (index: number) => string = (i) => `/${i}`): ParsedImport {
  return { trials: [], rows: [], rejected: [], warnings: [], skipped: [], pointerOf, csv: false };
}
