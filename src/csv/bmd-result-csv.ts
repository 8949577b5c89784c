import { REPORTED_RESULT_FIELDS } from '../domain/reported-result';
import type { BmdResultRow } from '../schemas/bmd-result-row';
import { joinList, toCsv } from './write-csv';

/** The columns of a BMD-result export; an import of the same columns loads it back. */
export const BMD_RESULT_CSV_COLUMNS = [
  'id',
  'trialId',
  'registryIds',
  'trialTitle',
  'studyType',
  'overallStatus',
  'phases',
  'population',
  'provenanceKind',
  'provenanceSources',
  'armId',
  'armLabel',
  'armType',
  'participants',
  'cellSource',
  'cellType',
  'donor',
  'route',
  'comparator',
  // The result's own columns: the fields that state it, as one list defines them for every use.
  ...REPORTED_RESULT_FIELDS,
  'sdEffective',
  'sdSource',
  'note',
] as const;

export function bmdResultsToCsv(rows: readonly BmdResultRow[]): string {
  return toCsv(
    BMD_RESULT_CSV_COLUMNS,
    rows.map((r) => ({
      ...r,
      registryIds: joinList(r.registryIds),
      phases: joinList(r.phases),
      provenanceSources: joinList(r.provenanceSources),
    })),
  );
}
