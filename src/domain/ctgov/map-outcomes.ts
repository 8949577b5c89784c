import type { Vocab } from '../../vocabularies';
import { dispersionOf, isBmdOutcome, methodOf, metricOf, siteOf, statisticOf } from './classify-bmd';
import { arr, type JsonObject, obj, str } from './json';
import { type ArmKey, matchGroupToArm, readGroups } from './match-groups';
import { parseCtgovCount, parseCtgovNumber } from './parse-number';
import { parseTimeframeMonths } from './parse-timeframe';
import type { MappedBmdResult, Warn } from './types';

/**
 * BMD results from the results section's outcome measures. Every number is copied from the
 * record; a result whose value, n, arm or timepoint cannot be read is skipped with a warning that
 * names the outcome (and group), never filled in.
 */

/** Per group id, the number analysed: the denominator counted in participants, else the only denominator given. */
function denominators(denoms: unknown): Map<string, unknown> {
  const all = arr(denoms).map(obj);
  const chosen =
    all.find((d) => /participant/i.test(str(d.units) ?? '')) ?? (all.length === 1 ? all[0] : undefined);
  const byGroup = new Map<string, unknown>();
  for (const count of arr(chosen?.counts).map(obj)) {
    const id = str(count.groupId);
    if (id !== null) byGroup.set(id, count.value);
  }
  return byGroup;
}

function noteOf(
  title: string,
  timeFrame: string | null,
  classTitle: string | null,
  categoryTitle: string | null,
): string {
  let note = `${title} (time frame: ${timeFrame ?? 'not stated'})`;
  if (classTitle) note += ` [class: ${classTitle}]`;
  if (categoryTitle) note += ` [category: ${categoryTitle}]`;
  return note;
}

interface Spread {
  sd: number | null;
  se: number | null;
  ciLower: number | null;
  ciUpper: number | null;
}

const NO_SPREAD: Spread = { sd: null, se: null, ciLower: null, ciUpper: null };

function spreadOf(
  dispersion: 'SD' | 'SE' | 'CI95' | 'NONE',
  measurement: JsonObject,
  mean: number,
  where: string,
  warn: Warn,
): Spread {
  if (dispersion === 'NONE') return NO_SPREAD;
  if (dispersion === 'CI95') {
    const lower = parseCtgovNumber(measurement.lowerLimit);
    const upper = parseCtgovNumber(measurement.upperLimit);
    if (lower !== null && upper !== null && lower < upper) {
      if (lower <= mean && mean <= upper) return { ...NO_SPREAD, ciLower: lower, ciUpper: upper };
      // The record is kept (the mean is as posted); only the spread that contradicts it is dropped.
      warn(
        'BMD_CI_EXCLUDES_MEAN',
        `${where}: the 95% CI ${lower} to ${upper} does not contain the value ${mean}; the value was kept without that CI`,
      );
      return NO_SPREAD;
    }
    warn(
      'BMD_SPREAD_NOT_USABLE',
      `${where}: 95% CI ${JSON.stringify(measurement.lowerLimit)} to ${JSON.stringify(measurement.upperLimit)} is not a pair of numbers with lower < upper; the mean was kept without it`,
    );
    return NO_SPREAD;
  }
  const spread = parseCtgovNumber(measurement.spread);
  if (spread !== null && spread >= 0 && spread <= 1e6)
    return dispersion === 'SD' ? { ...NO_SPREAD, sd: spread } : { ...NO_SPREAD, se: spread };
  warn(
    'BMD_SPREAD_NOT_USABLE',
    `${where}: ${dispersion === 'SD' ? 'standard deviation' : 'standard error'} ${JSON.stringify(measurement.spread)} is not a non-negative number; the mean was kept without it`,
  );
  return NO_SPREAD;
}

export function mapBmdResults(
  results: JsonObject,
  arms: (ArmKey & { participants: number | null })[],
  warn: Warn,
): MappedBmdResult[] {
  const mapped: MappedBmdResult[] = [];
  for (const rawOutcome of arr(obj(results.outcomeMeasuresModule).outcomeMeasures)) {
    const outcome = obj(rawOutcome);
    const title = str(outcome.title);
    const description = str(outcome.description);
    if (title === null || !isBmdOutcome(title, description)) continue;
    const name = `outcome "${title}"`;
    const classes = arr(outcome.classes).map(obj);
    if (classes.length === 0 || str(outcome.reportingStatus)?.toUpperCase() === 'NOT_POSTED') {
      warn(
        'BMD_NO_DATA',
        `${name} is about bone density but has no posted values; nothing was imported from it`,
      );
      continue;
    }
    const statistic = statisticOf(str(outcome.paramType));
    if (statistic === null) {
      warn(
        'BMD_UNSUPPORTED_STATISTIC',
        `${name} reports ${JSON.stringify(outcome.paramType)}, not a mean or least-squares mean; skipped`,
      );
      continue;
    }
    const dispersion = dispersionOf(str(outcome.dispersionType));
    if (dispersion === null) {
      warn(
        'BMD_UNSUPPORTED_DISPERSION',
        `${name} reports dispersion ${JSON.stringify(outcome.dispersionType)}, not an SD, SE or 95% CI; skipped`,
      );
      continue;
    }
    if (dispersion === 'NONE')
      warn(
        'BMD_NO_DISPERSION',
        `${name} reports no dispersion; its means were imported without SD, SE or CI`,
      );
    const unit = str(outcome.unitOfMeasure);
    const metric: Vocab<'metric'> | null = metricOf(unit, title);
    if (metric === null) {
      warn(
        'BMD_UNKNOWN_UNIT',
        `${name} has unit ${JSON.stringify(unit)}, which is not %, g/cm², mg/cm³ or a T-score; skipped`,
      );
      continue;
    }
    const method = methodOf([title, description ?? '', unit ?? ''].join(' \n '));
    const timeFrame = str(outcome.timeFrame);
    const groups = readGroups(outcome.groups);
    const armOfGroup = new Map<string, string>();
    for (const group of groups) {
      const arm = matchGroupToArm(group, arms, groups.length);
      if (arm !== null) armOfGroup.set(group.id, arm);
      else
        warn(
          'BMD_UNMATCHED_GROUP',
          `${name}: group "${group.title ?? group.id}" (${group.id}) matches no arm label; its values were skipped`,
        );
    }
    const outcomeDenoms = denominators(outcome.denoms);
    for (const cls of classes) {
      const classTitle = str(cls.title);
      const classDenoms = arr(cls.denoms).length > 0 ? denominators(cls.denoms) : outcomeDenoms;
      for (const category of arr(cls.categories).map(obj)) {
        const categoryTitle = str(category.title);
        const label = [classTitle, categoryTitle].filter(Boolean).join(' / ');
        const where = label ? `${name} [${label}]` : name;
        const site = siteOf([categoryTitle, classTitle, title, description]);
        if (site === null) {
          warn(
            'BMD_SITE_AMBIGUOUS',
            `${where} names more than one skeletal site for the same values; skipped`,
          );
          continue;
        }
        const timepointMonths =
          parseTimeframeMonths(categoryTitle) ??
          parseTimeframeMonths(classTitle) ??
          parseTimeframeMonths(timeFrame);
        if (timepointMonths === null) {
          warn(
            'BMD_UNPARSED_TIMEFRAME',
            `${where}: time frame ${JSON.stringify(timeFrame)} names no timepoint that could be read; skipped`,
          );
          continue;
        }
        for (const measurement of arr(category.measurements).map(obj)) {
          const groupId = str(measurement.groupId);
          const armLabel = groupId === null ? undefined : armOfGroup.get(groupId);
          if (groupId === null || armLabel === undefined) continue;
          const group = groups.find((g) => g.id === groupId);
          const at = `${where}, group "${group?.title ?? groupId}" (${groupId})`;
          const mean = parseCtgovNumber(measurement.value);
          if (mean === null || Math.abs(mean) > 1e6) {
            warn(
              'BMD_VALUE_NOT_NUMERIC',
              `${at}: value ${JSON.stringify(measurement.value)} is not a number; skipped`,
            );
            continue;
          }
          const n = parseCtgovCount(classDenoms.get(groupId));
          if (n === null || n < 1) {
            warn('BMD_MISSING_N', `${at}: no participant count (n ≥ 1) is given for this group; skipped`);
            continue;
          }
          const participants = arms.find((arm) => arm.label === armLabel)?.participants ?? null;
          if (participants !== null && n > participants) {
            warn(
              'BMD_N_EXCEEDS_PARTICIPANTS',
              `${at}: n ${n} exceeds the ${participants} participants who started the arm; skipped`,
            );
            continue;
          }
          mapped.push({
            armLabel,
            site,
            metric,
            method,
            statistic,
            timepointMonths,
            n,
            mean,
            ...spreadOf(dispersion, measurement, mean, at, warn),
            note: noteOf(title, timeFrame, classTitle, categoryTitle),
          });
        }
      }
    }
  }
  return mapped;
}
