import type { Db } from '../db/client';
import { CatalogueError, type ErrorKind, importRefused, type ProblemFieldError } from '../errors';
import type { WriteContext } from '../store/trial-store';
import { runImport } from './import-service';
import { parseImportBody } from './parse-import';
import { type ImportFormat, type ImportReport, type ParsedImport, TooManyRecordsError } from './types';

/** One `POST /imports`, as plain data: it crosses to the import worker unchanged. */
export interface ImportJob {
  /** The body as sent. */
  text: string;
  format: ImportFormat | undefined;
  allowOffTopic?: boolean;
  /** IMPORT_MAX_RECORDS. */
  maxRecords: number;
  dryRun: boolean;
  writer: WriteContext;
}

/**
 * What the import answers, as plain data: an Error's class does not survive the thread boundary,
 * so a refusal or a failure of a known kind comes back as fields and is raised again by `answerOf`.
 */
export type ImportOutcome =
  | { kind: 'done'; report: ImportReport }
  | { kind: 'refused'; report: ImportReport; detail: string; fieldErrors: ProblemFieldError[] }
  | {
      kind: 'failed';
      error: {
        kind: ErrorKind;
        detail: string;
        retryAfterSeconds?: number;
        fieldErrors: ProblemFieldError[];
      };
    };

/** Reads, validates and applies one import body over `db`, and builds its report. */
export function runImportJob(db: Db, job: ImportJob): ImportOutcome {
  try {
    const { parsed } = parseImportBody(job.text, job.format, {
      allowOffTopic: job.allowOffTopic,
      maxRecords: job.maxRecords,
    });
    const report = runImport(db, parsed, job.writer, { dryRun: job.dryRun });
    return report.rejected.length > 0 ? refusalOf(report, parsed) : { kind: 'done', report };
  } catch (error) {
    if (error instanceof TooManyRecordsError)
      return { kind: 'failed', error: { kind: 'invalid', detail: error.message, fieldErrors: [] } };
    if (error instanceof CatalogueError)
      return {
        kind: 'failed',
        error: {
          kind: error.kind,
          detail: error.message,
          retryAfterSeconds: error.retryAfterSeconds,
          fieldErrors: [...error.fieldErrors],
        },
      };
    throw error;
  }
}

/** The report of a successful import, or the error the outcome stands for. */
export function answerOf(outcome: ImportOutcome): ImportReport {
  switch (outcome.kind) {
    case 'done':
      return outcome.report;
    case 'refused':
      throw importRefused(outcome.detail, outcome.fieldErrors, outcome.report);
    case 'failed': {
      const { kind, detail, retryAfterSeconds, fieldErrors } = outcome.error;
      throw new CatalogueError(kind, detail, { retryAfterSeconds, fieldErrors });
    }
  }
}

/** The listed rejections at a JSON Pointer into the body, and the detail that sums them up. */
function refusalOf(report: ImportReport, parsed: ParsedImport): ImportOutcome {
  const count = report.rejectedTotal;
  const first = report.rejected[0]?.message ?? '';
  const fieldErrors = report.rejected.map((r) => ({
    path: r.index === null ? r.path : `${parsed.pointerOf(r.index)}${r.path}`,
    message: r.message,
  }));
  const detail =
    `The import was refused and nothing was written: ${report.complete ? '' : 'at least '}` +
    `${count} problem${count === 1 ? '' : 's'} (${report.complete ? '' : 'validation stopped there; '}` +
    `the first ${report.rejected.length} listed in rejected). First: ${first}`;
  return { kind: 'refused', report, detail, fieldErrors };
}
