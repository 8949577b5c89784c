import type { SyncReport, SyncStudy } from '../imports/sync/sync-report';

const HEADLINE = {
  COMPLETED: 'Sync completed',
  REFUSALS: 'Sync finished with refusals (the last-sync date is not advanced; the next run asks again)',
  FAILED: 'Sync stopped: the registry could not be read to the end',
} as const;

function asked(report: SyncReport): string {
  if (report.since === null) return 'every study';
  const from = report.sinceFrom === 'ARGUMENT' ? '--since' : 'the day before the last completed sync';
  return `studies updated on or after ${report.since} (${from})`;
}

/** The study as a curator finds it again: its NCT number, else its place in the registry's answer. */
function name(study: SyncStudy): string {
  return study.registryId ?? `page ${study.page} study ${study.position + 1}`;
}

function studyLines(study: SyncStudy): string[] {
  const label = study.outcome.toLowerCase().padEnd(9);
  const lines =
    study.outcome === 'REFUSED'
      ? study.problems.map((p) => `refused   ${name(study)} ${p.path || '(record)'}: ${p.message}`)
      : study.outcome === 'SKIPPED'
        ? [`skipped   ${name(study)}: ${study.reason ?? study.title ?? ''}`]
        : [
            `${label} ${name(study)} -> trial ${study.trialId ?? '(not kept: dry run)'}: ${study.title ?? ''}`,
          ];
  return [...lines, ...study.warnings.map((w) => `warning   ${name(study)} ${w.code}: ${w.message}`)];
}

/** The sync report as plain lines: what was asked, the counts, then one line per study and problem. */
export function syncSummaryLines(report: SyncReport): string[] {
  const { created, updated, unchanged, skipped, refused } = report.counts;
  const total = report.totalCount === null ? '' : ` of ${report.totalCount} the registry matched`;
  const tail = report.dryRun
    ? 'Dry run: nothing was written.'
    : report.outcome === 'FAILED'
      ? 'Each study above was written on its own and is kept; run the sync again to complete it.'
      : 'Each study was written on its own.';
  return [
    `${HEADLINE[report.outcome]}. Studies${total}: created ${created}, updated ${updated}, unchanged ${unchanged}, ` +
      `skipped ${skipped}, refused ${refused}; pages ${report.pages} (skipped ${report.skippedPages.length}), ` +
      `requests ${report.requests}.`,
    `Asked for ${asked(report)} matching: ${report.query}`,
    ...report.studies.flatMap(studyLines),
    ...report.skippedPages.map(
      (p) => `page      ${p.page} skipped: ${p.message}; its studies were not imported`,
    ),
    ...(report.failure ? [`failed    ${report.failure}`] : []),
    tail,
  ];
}
