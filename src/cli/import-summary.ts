import type { ImportIssue, ImportRecord, ImportReport, ImportWarning } from '../imports/types';

/** Where a problem is: the file, then the record (JSON) or the line and column (CSV, in the message). */
function place(entry: ImportIssue | ImportWarning | ImportRecord): string {
  const parts = [entry.source ?? 'input'];
  const csvPlace = 'line' in entry && entry.line !== undefined;
  const lineInMessage = 'message' in entry && /^line \d+/.test(entry.message);
  if (entry.index !== null && !csvPlace && !lineInMessage) parts.push(`record ${entry.index}`);
  if ('path' in entry && entry.path && !csvPlace) parts.push(entry.path);
  return parts.join(' ');
}

/** The report as plain lines: the counts, then every rejection, skipped record and warning. */
export function summaryLines(report: ImportReport): string[] {
  const counts =
    `created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, skipped ${report.skipped}, ` +
    `rejected ${report.complete ? '' : 'at least '}${report.rejectedTotal}, warnings ${report.warnings.length}`;
  const rows = report.rows
    ? ` (CSV rows: ${report.rows.added} added, ${report.rows.unchanged} unchanged)`
    : '';
  const outcome = report.rejected.length
    ? 'Import refused: nothing was written.'
    : report.dryRun
      ? 'Dry run: nothing was written.'
      : 'Import written.';
  return [
    `${outcome} Trials: ${counts}${rows}.`,
    ...report.rejected.map((r) => `rejected  ${place(r)}: ${r.message}`),
    ...report.records
      .filter((r) => r.outcome === 'SKIPPED')
      .map((r) => `skipped   ${place(r)}: ${r.reason ?? r.title}`),
    ...report.warnings.map((w) => `warning   ${place(w)} ${w.code}: ${w.message}`),
  ];
}
