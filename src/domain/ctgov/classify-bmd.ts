import type { Vocab } from '../../vocabularies';

/**
 * Reads what a ClinicalTrials.gov outcome measure reports about bone mineral density: whether it
 * is a BMD outcome, the statistic, the dispersion, the skeletal site, the metric and the method.
 * Rules are listed in README.md; each returns null (or a flag) when the record does not say, so
 * the caller skips the outcome with a warning instead of storing a guess.
 */
const BMD = /\bBMD\b|\bbone mineral density\b|\bbone density\b/i;

export function isBmdOutcome(title: string | null, description: string | null): boolean {
  return BMD.test(title ?? '') || BMD.test(description ?? '');
}

/** ClinicalTrials.gov enum names ("LEAST_SQUARES_MEAN") and the legacy display spellings ("Least Squares Mean") alike. */
function enumKey(value: string | null): string {
  return (value ?? '')
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export function statisticOf(paramType: string | null): Vocab<'statistic'> | null {
  const key = enumKey(paramType);
  if (key === 'MEAN') return 'MEAN';
  if (key === 'LEAST_SQUARES_MEAN') return 'LS_MEAN';
  return null;
}

export type Dispersion = 'SD' | 'SE' | 'CI95' | 'NONE';

/** Standard deviation, standard error, a 95% confidence interval, or none reported; other dispersions (ranges, other CIs) → null. */
export function dispersionOf(dispersionType: string | null): Dispersion | null {
  const key = enumKey(dispersionType);
  if (key === '' || key === 'NA') return 'NONE';
  if (key === 'STANDARD_DEVIATION') return 'SD';
  if (key === 'STANDARD_ERROR' || key === 'STANDARD_ERROR_OF_THE_MEAN' || key === 'STANDARD_ERROR_OF_MEAN')
    return 'SE';
  if (key === 'CONFIDENCE_95' || key === 'CONFIDENCE_INTERVAL_95' || key === '95_CONFIDENCE_INTERVAL')
    return 'CI95';
  return null;
}

const SITE_RULES: [Vocab<'site'>, RegExp][] = [
  ['LUMBAR_SPINE', /\blumbar\b|\bL[1-5]\s*[-–]\s*L?[1-5]\b|\bspine\b|\bspinal\b/i],
  ['FEMORAL_NECK', /\bfemoral neck\b|\bneck of (?:the )?femur\b/i],
  ['TOTAL_HIP', /\btotal hip\b|\bhip\b/i],
  ['DISTAL_RADIUS', /\bradius\b|\bforearm\b|\bwrist\b/i],
  ['TOTAL_BODY', /\btotal[- ]body\b|\bwhole[- ]body\b|\btotal skeleton\b/i],
];

function sitesIn(text: string): Vocab<'site'>[] {
  let sites = SITE_RULES.filter(([, pattern]) => pattern.test(text)).map(([site]) => site);
  // "hip (femoral neck)" names one site: a bare "hip" beside "femoral neck" is not the total hip.
  if (sites.includes('FEMORAL_NECK') && !/\btotal hip\b/i.test(text))
    sites = sites.filter((s) => s !== 'TOTAL_HIP');
  return sites;
}

/**
 * The site named by the most specific text that names any: category title, class title, outcome
 * title, then description. Null when that text names several sites (the numbers cannot be placed);
 * OTHER when none does.
 */
export function siteOf(texts: (string | null)[]): Vocab<'site'> | null {
  for (const text of texts) {
    if (!text) continue;
    const sites = sitesIn(text);
    if (sites.length === 1) return sites[0] as Vocab<'site'>;
    if (sites.length > 1) return null;
  }
  return 'OTHER';
}

const PERCENT = /%|\bpercent/i;
const AREAL = /\bg(?:m|rams?)?\s*\/\s*cm\s*(?:2|\^2|²)|\bgrams? per square cent/i;
const VOLUMETRIC = /\bmg\s*\/\s*cm\s*(?:3|\^3|³)|\bmilligrams? per cubic cent/i;
const T_SCORE = /\bt[- ]?scores?\b/i;
const SCORE_UNIT = /\bscores?\b|\bstandard deviations?\b|\bSDs?\b|\bunits?\b/i;
const CHANGE = /\bchange/i;

/**
 * The metric, from the unit of measure (and the title for "change"): a percentage is a percent
 * change; an areal (g/cm²) or volumetric (mg/cm³) density is an absolute change when the title
 * says change, else the value at the timepoint; a T-score unit (or a score unit on a T-score
 * outcome) likewise gives T_SCORE_CHANGE or T_SCORE. Any other unit → null.
 */
export function metricOf(unit: string | null, title: string | null): Vocab<'metric'> | null {
  const u = unit ?? '';
  const change = CHANGE.test(title ?? '');
  if (T_SCORE.test(u)) return change ? 'T_SCORE_CHANGE' : 'T_SCORE';
  if (PERCENT.test(u)) return 'PERCENT_CHANGE';
  if (AREAL.test(u) || VOLUMETRIC.test(u)) return change ? 'ABSOLUTE_CHANGE' : 'FINAL_VALUE';
  if (T_SCORE.test(title ?? '') && SCORE_UNIT.test(u)) return change ? 'T_SCORE_CHANGE' : 'T_SCORE';
  return null;
}

const DXA = /\bDXA\b|\bDEXA\b|\bdual[- ]energy\b/i;
const QCT = /\bp?QCT\b|\bHR-?pQCT\b|\bquantitative computed tomography\b/i;

/** DXA or QCT when the text names exactly one of them, else NOT_REPORTED. */
export function methodOf(text: string): Vocab<'method'> {
  const dxa = DXA.test(text);
  const qct = QCT.test(text);
  if (dxa && !qct) return 'DXA';
  if (qct && !dxa) return 'QCT';
  return 'NOT_REPORTED';
}
