import { derivedNumber, toCsv } from '../../csv/write-csv';
import type { runSummaryOfFindings } from './summary-of-findings';

type Answer = ReturnType<typeof runSummaryOfFindings>;

const DOMAINS = ['riskOfBias', 'inconsistency', 'indirectness', 'imprecision', 'publicationBias'] as const;

const COLUMNS = [
  'site',
  'metric',
  'method',
  'k',
  'participants',
  'estimate',
  'ciLower',
  'ciUpper',
  'i2',
  'predictionLower',
  'predictionUpper',
  'startingCertainty',
  'certainty',
  ...DOMAINS.flatMap((d) => [`${d}Downgrade`, `${d}Reason`]),
] as const;

/** The summary-of-findings table, one row per outcome, the way a review's SoF table lays it out. */
export function summaryOfFindingsCsv(answer: Answer): string {
  return toCsv(
    COLUMNS,
    answer.rows.map((row) => ({
      site: row.site,
      metric: row.metric,
      method: row.method,
      k: row.k,
      participants: row.participants,
      estimate: derivedNumber(row.pooled?.estimate),
      ciLower: derivedNumber(row.pooled?.ciLower),
      ciUpper: derivedNumber(row.pooled?.ciUpper),
      i2: derivedNumber(row.pooled?.i2),
      predictionLower: derivedNumber(row.pooled?.predictionLower),
      predictionUpper: derivedNumber(row.pooled?.predictionUpper),
      startingCertainty: row.startingCertainty,
      certainty: row.certainty,
      ...Object.fromEntries(
        DOMAINS.flatMap((d) => [
          [`${d}Downgrade`, row.domains?.[d].downgrade],
          [`${d}Reason`, row.domains?.[d].reason],
        ]),
      ),
    })),
  );
}
