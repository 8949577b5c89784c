import {
  type AnalysisWarning,
  countProvenance,
  illustrativeWarning,
  isLsMeanFromSe,
  lsMeanFromSeWarning,
  type PoolingOutcome,
  type ProvenanceCounts,
  type ProvenanceKind,
  remlSearchWarning,
  singleStudyWarning,
  tryPool,
} from './evidence-report';
import { type Pooled, rawMean, type TauMethod, type TestKind } from './meta-analysis';

/**
 * Descriptive and pooled within-arm BMD change, grouped. Each row is one arm's chosen result for
 * one site, metric, method and statistic (its latest timepoint in the window, chosen by the query);
 * rows with statistic MEDIAN are the arms that reported only medians there.
 */
export interface ArmChange {
  armId: string;
  /** The arm's label, to name it to the reader (absent: the arm is named by its id). */
  armLabel?: string;
  trialId: string;
  provenance: ProvenanceKind;
  site: string;
  metric: string;
  method: string;
  statistic: string;
  timepointMonths: number;
  n: number;
  mean: number;
  sdEffective: number | null;
  sdSource: string | null;
  /** The value of each groupBy facet for this arm (null when not reported). */
  facets: Record<string, string | null>;
}

/** Site, metric, method and statistic, then each groupBy facet's value. */
export interface GroupKey {
  site: string;
  metric: string;
  method: string;
  statistic: string;
  [facet: string]: string | null;
}

export interface ChangeGroup {
  key: GroupKey;
  trials: number;
  arms: number;
  participants: number;
  armsWithoutSd: number;
  mean: number;
  weightedMean: number;
  median: number;
  min: number;
  max: number;
  timepoints: { months: number; arms: number }[];
  pooled: Pooled | null;
  pooledReason: string | null;
}

export interface ChangeSummary {
  groups: ChangeGroup[];
  provenance: ProvenanceCounts;
  warnings: AnalysisWarning[];
}

export interface ChangeOptions {
  groupBy: readonly string[];
  method: TauMethod;
  test: TestKind;
}

export function summariseBmdChange(rows: readonly ArmChange[], options: ChangeOptions): ChangeSummary {
  const means = rows.filter((r) => r.statistic !== 'MEDIAN');
  const groups = new Map<string, { key: GroupKey; rows: ArmChange[] }>();
  for (const row of means) {
    // The key object is built once per group: a catalogue-wide summary reads tens of thousands of rows.
    const id = groupId(row, options.groupBy);
    let group = groups.get(id);
    if (!group) {
      group = { key: groupKey(row, options.groupBy), rows: [] };
      groups.set(id, group);
    }
    group.rows.push(row);
  }
  const sorted = [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
  const summarised = sorted.map((g) => summariseGroup(g.key, g.rows, options));
  const pooledFromSe = sorted
    .filter((_, i) => summarised[i]?.pooled)
    .flatMap((g) => g.rows)
    .filter((r) => hasPositiveSd(r) && isLsMeanFromSe(r)).length;

  const provenance = countProvenance(means);
  return {
    groups: summarised,
    provenance,
    warnings: [
      ...illustrativeWarning(provenance),
      ...lsMeanFromSeWarning(pooledFromSe),
      ...medianWarning(rows, means),
      ...zeroSdWarning(means),
      ...singleStudyWarning(
        summarised.filter((g) => g.pooled?.k === 1).map((g) => `group ${describeKey(g.key)}`),
        'arm',
      ),
      ...remlSearchWarning(
        summarised.filter((g) => g.pooled?.tau2Searched).map((g) => `group ${describeKey(g.key)}`),
      ),
    ],
  };
}

/** Site, metric, method and statistic are always in the key, so pooled numbers never mix them. */
function groupKey(row: ArmChange, groupBy: readonly string[]): GroupKey {
  const key: GroupKey = { site: row.site, metric: row.metric, method: row.method, statistic: row.statistic };
  for (const facet of groupBy) key[facet] = row.facets[facet] ?? null;
  return key;
}

/**
 * The group key's values as one string, a null facet told apart from any value: vocabulary values
 * never hold the control characters used as separator and null mark.
 */
function groupId(row: ArmChange, groupBy: readonly string[]): string {
  let id = `${row.site}\u0000${row.metric}\u0000${row.method}\u0000${row.statistic}`;
  for (const facet of groupBy) id += `\u0000${row.facets[facet] ?? '\u0001'}`;
  return id;
}

/** "LUMBAR_SPINE · PERCENT_CHANGE · DXA · MEAN · BONE_MARROW": the key's values, as a reader finds the group. */
function describeKey(key: GroupKey): string {
  return Object.values(key)
    .map((v) => v ?? 'NOT_REPORTED')
    .join(' · ');
}

function compareKeys(a: GroupKey, b: GroupKey): number {
  for (const k of Object.keys(a)) {
    const x = a[k] ?? null;
    const y = b[k] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function summariseGroup(key: GroupKey, rows: readonly ArmChange[], options: ChangeOptions): ChangeGroup {
  const values = rows.map((r) => r.mean).sort((a, b) => a - b);
  const participants = rows.reduce((s, r) => s + r.n, 0);
  const withSd = rows.filter((r) => r.sdEffective !== null);
  const poolable = withSd.filter(hasPositiveSd);
  const outcome: PoolingOutcome = tryPool(
    poolable.map((r) => rawMean(r.mean, r.sdEffective as number, r.n)),
    options,
    withSd.length > 0
      ? 'Every arm of this group with an SD has an SD of 0 (vᵢ = 0), which cannot be pooled; see the ZERO_SD_EXCLUDED warning.'
      : 'No arm of this group reports a standard deviation (or an SE or CI to derive one from).',
  );
  const byMonth = new Map<number, number>();
  for (const r of rows) byMonth.set(r.timepointMonths, (byMonth.get(r.timepointMonths) ?? 0) + 1);
  return {
    key,
    trials: new Set(rows.map((r) => r.trialId)).size,
    arms: rows.length,
    participants,
    armsWithoutSd: rows.length - withSd.length,
    mean: values.reduce((s, v) => s + v, 0) / values.length,
    weightedMean: rows.reduce((s, r) => s + r.n * r.mean, 0) / participants,
    median: median(values),
    min: values[0] as number,
    max: values[values.length - 1] as number,
    timepoints: [...byMonth].sort(([a], [b]) => a - b).map(([months, arms]) => ({ months, arms })),
    pooled: outcome.pooled,
    pooledReason: outcome.reason,
  };
}

/**
 * An SD (or SE) of 0 gives vᵢ = sd²/n = 0: an infinite weight that would stand for the whole group,
 * so such an arm is left out of the pooling (it still counts in the descriptive numbers).
 */
function hasPositiveSd(r: ArmChange): boolean {
  return r.sdEffective !== null && r.sdEffective > 0;
}

/** Names the arms whose SD of 0 kept them out of their group's pooling. */
function zeroSdWarning(means: readonly ArmChange[]): AnalysisWarning[] {
  const zero = means.filter((r) => r.sdEffective === 0);
  if (zero.length === 0) return [];
  const named = zero
    .slice(0, 10)
    .map(
      (r) =>
        `arm “${r.armLabel ?? r.armId}” (${r.armId}) of trial ${r.trialId}, ${r.site} · ${r.metric} · ${r.method} · ${r.statistic} at ${r.timepointMonths} months`,
    );
  if (zero.length > 10) named.push(`${zero.length - 10} more`);
  const n = zero.length;
  return [
    {
      code: 'ZERO_SD_EXCLUDED',
      message:
        `${n} arm result${n === 1 ? ' has' : 's have'} an SD (or SE) of 0, so a sampling variance of 0, and ` +
        `${n === 1 ? 'was' : 'were'} left out of the pooling (the group’s descriptive numbers still count ` +
        `${n === 1 ? 'it' : 'them'}): ${named.join('; ')}.`,
    },
  ];
}

/** Median of values sorted ascending (mean of the two middle ones for an even count). */
function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** Arms that reported only medians for a site, metric and method are left out, and the reader told so. */
function medianWarning(rows: readonly ArmChange[], means: readonly ArmChange[]): AnalysisWarning[] {
  const keyOf = (r: ArmChange) => `${r.armId}|${r.site}|${r.metric}|${r.method}`;
  const medians = rows.filter((r) => r.statistic === 'MEDIAN');
  if (medians.length === 0) return [];
  // Only the arms that reported a median can cover one: the other rows need no key.
  const medianArms = new Set(medians.map((r) => r.armId));
  const covered = new Set(means.filter((r) => medianArms.has(r.armId)).map(keyOf));
  const medianOnly = new Set(medians.filter((r) => !covered.has(keyOf(r))).map(keyOf));
  if (medianOnly.size === 0) return [];
  const n = medianOnly.size;
  return [
    {
      code: 'MEDIAN_NOT_POOLED',
      message:
        `${n} arm result${n === 1 ? '' : 's'} reported only as a median ${n === 1 ? 'was' : 'were'} left out: ` +
        'medians are never summarised with means or pooled.',
    },
  ];
}
