import type { Trial } from '../schemas/trial';
import { type CsvValue, joinList, vocabularyCell } from './write-csv';

export const TRIAL_CSV_COLUMNS = [
  'id',
  'registryIds',
  'title',
  'studyType',
  'phases',
  'overallStatus',
  'allocation',
  'masking',
  'enrollmentCount',
  'enrollmentType',
  'startDate',
  'completionDate',
  'countries',
  'sponsor',
  'population',
  'cellSources',
  'routes',
  'comparators',
  'bmdResultCount',
  'riskOfBias',
  'provenanceKind',
  'provenanceSources',
  'version',
  'updatedAt',
] as const;

const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];

/** One trial as its CSV row: its own fields, and the cell sources and routes of its cell-therapy arms. */
export function trialCsvRow(t: Trial): Record<string, CsvValue> {
  return {
    id: t.id,
    registryIds: joinList(t.registryIds),
    title: t.title,
    studyType: t.studyType,
    phases: joinList(t.phases.map(vocabularyCell)),
    overallStatus: t.overallStatus,
    allocation: vocabularyCell(t.allocation),
    masking: t.masking,
    enrollmentCount: t.enrollment?.count,
    enrollmentType: t.enrollment?.type,
    startDate: t.startDate,
    completionDate: t.completionDate,
    countries: joinList(t.countries),
    sponsor: t.sponsor,
    population: t.population,
    cellSources: joinList(distinct(t.arms.map((a) => a.cellSource))),
    routes: joinList(distinct(t.arms.map((a) => a.route))),
    comparators: joinList(distinct(t.arms.map((a) => a.comparator))),
    bmdResultCount: t.bmdResults.length,
    riskOfBias: t.riskOfBias?.overall,
    provenanceKind: t.provenance.kind,
    provenanceSources: joinList(t.provenance.sources),
    version: t.version,
    updatedAt: t.updatedAt,
  };
}
