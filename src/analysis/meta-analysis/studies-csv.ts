import { derivedNumber, toCsv } from '../../csv/write-csv';
import type { MetaAnalysis } from './schemas';

const COLUMNS = [
  'trialId',
  'title',
  'site',
  'metric',
  'method',
  'effect',
  'statistic',
  'timepointMonths',
  'n1',
  'n2',
  'yi',
  'vi',
  'se',
  'ciLower',
  'ciUpper',
  'weight',
  // The moderators, for metafor's `mods = ~ …`.
  'cellSource',
  'cellType',
  'donor',
  'route',
  'comparator',
  'cellsPerKg',
  'cells',
  'administrations',
  'provenanceKind',
  'riskOfBias',
] as const;

/**
 * The study table, one row per trial, ready for metafor:
 * `dat <- read.csv("meta-analysis.csv"); rma(yi, vi, data = dat, method = "REML")`, with the
 * moderators for `mods = ~ route` and the like. Derived numbers carry 15 significant digits (all
 * a double holds for any decimal); a missing value is `NA`.
 */
export function studiesToCsv(analysis: MetaAnalysis): string {
  const columns = analysis.subgroup ? [...COLUMNS, 'subgroup'] : [...COLUMNS];
  const rows = analysis.studies.map((s) => ({
    trialId: s.trialId,
    title: s.title,
    site: analysis.site,
    metric: analysis.metric,
    method: analysis.method,
    effect: analysis.effect,
    statistic: s.statistic,
    timepointMonths: s.timepointMonths,
    n1: s.n1,
    n2: s.n2,
    yi: derivedNumber(s.yi),
    vi: derivedNumber(s.vi),
    se: derivedNumber(s.se),
    ciLower: derivedNumber(s.ciLower),
    ciUpper: derivedNumber(s.ciUpper),
    weight: derivedNumber(s.weight),
    cellSource: s.cellSource,
    cellType: s.cellType,
    donor: s.donor,
    route: s.route,
    comparator: s.comparator,
    cellsPerKg: derivedNumber(s.cellsPerKg),
    cells: derivedNumber(s.cells),
    administrations: derivedNumber(s.administrations),
    provenanceKind: s.provenanceKind,
    riskOfBias: s.riskOfBias,
    subgroup: s.subgroup,
  }));
  return toCsv(columns, rows);
}
