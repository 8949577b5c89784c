import { REPORTED_RESULT_FIELDS } from '../domain/reported-result';
import type { BmdResultRow } from '../schemas/bmd-result-row';
import { type CsvValue, derivedNumber, joinList, vocabularyCell } from './write-csv';

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

/** One result as its CSV row: lists joined, the vocabulary value NA spelled out, sdEffective derived. */
export function bmdResultCsvRow(r: BmdResultRow): Record<string, CsvValue> {
  return {
    ...r,
    registryIds: joinList(r.registryIds),
    phases: joinList(r.phases.map(vocabularyCell)),
    provenanceSources: joinList(r.provenanceSources),
    sdEffective: derivedNumber(r.sdEffective),
  };
}
