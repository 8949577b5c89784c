/**
 * Reads the timepoint of a result, in months, from a ClinicalTrials.gov time frame such as
 * "Month 12", "12 months", "Week 52", "52 weeks", "1 year", "Year 2", "Day 180", "12-month",
 * "Baseline" (→ 0) or "Baseline, Month 6" and "Baseline, 6 and 12 months" (→ the latest named,
 * because a change from baseline is reported at the end of its window).
 *
 * Conversions: weeks × 12/52, years × 12, days × 12/365.25; rounded to one decimal as the catalogue
 * stores timepoints. Returns null when no timepoint can be read, so the caller can skip the result
 * with a warning rather than guess.
 */
const UNIT_MONTHS: Record<string, number> = {
  day: 12 / 365.25,
  week: 12 / 52,
  month: 1,
  year: 12,
};

const WORD_NUMBERS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  eighteen: 18,
};

const NUMBER = `(?:\\d+(?:\\.\\d+)?|${Object.keys(WORD_NUMBERS).join('|')})`;
const SEPARATOR = '\\s*(?:,|and|or|to|through|-|–|&)\\s*';
const UNIT = '(days?|weeks?|wks?|months?|mos?|years?|yrs?)';
/** "6 months", "6, 12 and 24 months", "12-month", "2 year/end of study". */
const NUMBERS_THEN_UNIT = new RegExp(`\\b(${NUMBER}(?:${SEPARATOR}${NUMBER})*)\\s*-?\\s*${UNIT}\\b`, 'gi');
/** "Month 12", "Week 52", "Weeks 12 and 24", "Year 1". */
const UNIT_THEN_NUMBERS = new RegExp(`\\b${UNIT}\\s*(${NUMBER}(?:${SEPARATOR}${NUMBER})*)`, 'gi');
const BASELINE = /\bbaseline\b/i;

function unitMonths(unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith('d')) return UNIT_MONTHS.day as number;
  if (u.startsWith('w')) return UNIT_MONTHS.week as number;
  if (u.startsWith('y')) return UNIT_MONTHS.year as number;
  return UNIT_MONTHS.month as number;
}

function numbersIn(list: string): number[] {
  return list
    .split(new RegExp(SEPARATOR, 'i'))
    .map((token) => token.trim().toLowerCase())
    .map((token) => WORD_NUMBERS[token] ?? Number(token))
    .filter((n) => Number.isFinite(n));
}

/** Rounds to one decimal, the precision the catalogue stores timepoints in. */
export function roundMonths(months: number): number {
  return Math.round(months * 10) / 10;
}

export function parseTimeframeMonths(timeFrame: string | null | undefined): number | null {
  if (!timeFrame) return null;
  const candidates: number[] = [];
  for (const match of timeFrame.matchAll(NUMBERS_THEN_UNIT)) {
    const factor = unitMonths(match[2] as string);
    for (const n of numbersIn(match[1] as string)) candidates.push(n * factor);
  }
  for (const match of timeFrame.matchAll(UNIT_THEN_NUMBERS)) {
    const factor = unitMonths(match[1] as string);
    for (const n of numbersIn(match[2] as string)) candidates.push(n * factor);
  }
  if (BASELINE.test(timeFrame)) candidates.push(0);
  if (candidates.length === 0) return null;
  const latest = roundMonths(Math.max(...candidates));
  return latest >= 0 && latest <= 1200 ? latest : null;
}
