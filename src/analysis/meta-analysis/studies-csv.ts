import { toCsv } from '../../csv/write-csv';
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
] as const;

/**
 * The study table, one row per trial, ready for metafor:
 * `dat <- read.csv("meta-analysis.csv"); rma(yi, vi, data = dat, method = "REML")`.
 * Numbers are written in full (shortest round-trip form), so R refits them exactly.
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
    yi: s.yi,
    vi: s.vi,
    se: s.se,
    ciLower: s.ciLower,
    ciUpper: s.ciUpper,
    weight: s.weight,
    subgroup: s.subgroup,
  }));
  return toCsv(columns, rows);
}
