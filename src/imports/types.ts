import type { TrialInput } from '../schemas/trial-input';

export const IMPORT_FORMATS = ['bundle', 'csv', 'ctgov'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One problem that keeps an import from being written. */
export interface ImportIssue {
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
  /** JSON Pointer of record `index` inside the body, for problem `errors`. */
  pointerOf: (index: number) => string;
  /** True for CSV, whose report also counts rows. */
  csv: boolean;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  rejected: ImportIssue[];
  warnings: ImportWarning[];
  dryRun: boolean;
  /** CSV only: result rows added to a trial, and rows identical to a stored result. */
  rows?: { added: number; unchanged: number };
}

export function emptyParsed(pointerOf: (index: number) => string = (i) => `/${i}`): ParsedImport {
  return { trials: [], rows: [], rejected: [], warnings: [], pointerOf, csv: false };
}
