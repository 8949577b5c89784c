import type { Trial } from '../schemas/trial';
import type { Vocab } from '../vocabularies';
import type { ArmDose, ComparisonResult } from './controlled-comparison';
import type { ProvenanceKind } from './evidence-report';
import { codeUnitOrder } from './text-order';

/**
 * The stored form of what a controlled comparison reads of one trial at one site and metric (the
 * comparison_inputs table): positional JSON arrays, because a large meta-analysis parses
 * thousands of them. Migration 0018 builds the same layout in SQL for existing trials; the two
 * must change together.
 *
 *   [[title, provenanceKind, riskOfBias], [arm, …], [result, …]]
 *   arm:    [id, label, cellSource, cellType, donor, route, comparator, cellsPerKg, cells, administrations]
 *   result: [id, armId, method, statistic, timepointMonths, n, mean, sd, sdEffective, sdSource]
 *
 * Arms are all the trial's arms in position order; results are all its results at the site and
 * metric (baseline included), ordered by method and then position: the order the result index
 * gives an arm's results in, which the comparison picks among.
 */
type StoredArm = [
  id: string,
  label: string,
  cellSource: string | null,
  cellType: string | null,
  donor: string | null,
  route: string | null,
  comparator: string | null,
  cellsPerKg: number | null,
  cells: number | null,
  administrations: number | null,
];
type StoredResult = [
  id: string,
  armId: string,
  method: string,
  statistic: string,
  timepointMonths: number,
  n: number,
  mean: number,
  sd: number | null,
  sdEffective: number | null,
  sdSource: string | null,
];
type StoredInputs = [
  trial: [title: string, provenance: string, riskOfBias: string | null],
  arms: StoredArm[],
  results: StoredResult[],
];

/** One comparison_inputs row of a trial: its site, metric and the JSON of its inputs there. */
export interface ComparisonInputRow {
  site: string;
  metric: string;
  /** How many of the trial's arms are not cell-therapy arms (candidates for its control). */
  controlArms: number;
  inputs: string;
}

/** A trial's key under which each of its rows is stored: a cell source and a route. */
export interface CellArmKey {
  cellSource: string;
  route: string;
}

/** What stands in the key for a trial without a cell-therapy arm, or an arm without a route. */
export const NO_CELL_ARM_KEY = '';

/**
 * The distinct cell source × route pairs of the trial's cell-therapy arms (an arm with a cell
 * source), `NO_CELL_ARM_KEY` for a route not given; one pair of it when the trial has no such arm.
 * A trial's rows are stored under each pair, so a range of one pair holds every trial with such an
 * arm; migration 0020 derives the same pairs in SQL.
 */
export function cellArmKeys(trial: Pick<Trial, 'arms'>): CellArmKey[] {
  const keys = new Map<string, CellArmKey>();
  for (const arm of trial.arms) {
    if (arm.cellSource === null) continue;
    const key = { cellSource: arm.cellSource, route: arm.route ?? NO_CELL_ARM_KEY };
    keys.set(`${key.cellSource} ${key.route}`, key);
  }
  return keys.size ? [...keys.values()] : [{ cellSource: NO_CELL_ARM_KEY, route: NO_CELL_ARM_KEY }];
}

/** The rows a trial is stored with: one per site × metric it reports a result at. */
export function comparisonInputRows(trial: Trial): ComparisonInputRow[] {
  const head: StoredInputs[0] = [trial.title, trial.provenance.kind, trial.riskOfBias?.overall ?? null];
  const arms: StoredArm[] = trial.arms.map((a) => [
    a.id,
    a.label,
    a.cellSource,
    a.cellType,
    a.donor,
    a.route,
    a.comparator,
    a.dose?.cellsPerKg ?? null,
    a.dose?.cells ?? null,
    a.dose?.administrations ?? null,
  ]);
  const outcomes = new Map<string, { site: string; metric: string; results: StoredResult[] }>();
  for (const r of trial.bmdResults) {
    const key = `${r.site}\u0000${r.metric}`;
    let outcome = outcomes.get(key);
    if (!outcome) {
      outcome = { site: r.site, metric: r.metric, results: [] };
      outcomes.set(key, outcome);
    }
    outcome.results.push([
      r.id,
      r.armId,
      r.method,
      r.statistic,
      r.timepointMonths,
      r.n,
      r.mean,
      r.sd,
      r.sdEffective,
      r.sdSource,
    ]);
  }
  const controlArms = trial.arms.filter((a) => a.cellSource === null).length;
  return [...outcomes.values()].map(({ site, metric, results }) => {
    // Stable: results of one method keep their position order, methods in SQLite's order.
    const ordered = [...results].sort((a, b) => codeUnitOrder(a[2], b[2]));
    const inputs: StoredInputs = [head, arms, ordered];
    return { site, metric, controlArms, inputs: JSON.stringify(inputs) };
  });
}

/** One arm as a comparison reads it, with its dose. */
export interface StoredComparisonArm {
  id: string;
  label: string;
  cellSource: Vocab<'cellSource'> | null;
  cellType: Vocab<'cellType'> | null;
  donor: Vocab<'donor'> | null;
  route: Vocab<'route'> | null;
  comparator: Vocab<'comparator'> | null;
  dose: ArmDose | null;
}

/** A trial's stored inputs at one site and metric, read back. */
export interface StoredComparisonInputs {
  title: string;
  provenance: ProvenanceKind;
  riskOfBias: Vocab<'riskOfBias'> | null;
  arms: StoredComparisonArm[];
  results: ComparisonResult[];
}

type InputsHead = Pick<StoredComparisonInputs, 'title' | 'provenance' | 'riskOfBias'>;

function headOf([title, provenance, riskOfBias]: StoredInputs[0]): InputsHead {
  return {
    title,
    provenance: provenance as ProvenanceKind,
    riskOfBias: riskOfBias as Vocab<'riskOfBias'> | null,
  };
}

/** The head of a trial's stored inputs alone (`json_extract(inputs, '$[0]')`): who the trial is. */
export function readInputsHead(json: string): InputsHead {
  return headOf(JSON.parse(json) as StoredInputs[0]);
}

export function readComparisonInputs(trialId: string, json: string): StoredComparisonInputs {
  const [head, arms, results] = JSON.parse(json) as StoredInputs;
  return {
    ...headOf(head),
    arms: arms.map(
      ([id, label, cellSource, cellType, donor, route, comparator, cellsPerKg, cells, administrations]) => ({
        id,
        label,
        cellSource: cellSource as Vocab<'cellSource'> | null,
        cellType: cellType as Vocab<'cellType'> | null,
        donor: donor as Vocab<'donor'> | null,
        route: route as Vocab<'route'> | null,
        comparator: comparator as Vocab<'comparator'> | null,
        // As loadArmDoses reads the arm's dose columns: no part reported is no dose.
        dose:
          cellsPerKg === null && cells === null && administrations === null
            ? null
            : { cellsPerKg, cells, administrations },
      }),
    ),
    results: results.map(
      ([id, armId, method, statistic, timepointMonths, n, mean, sd, sdEffective, sdSource]) => ({
        id,
        trialId,
        armId,
        method: method as ComparisonResult['method'],
        statistic: statistic as ComparisonResult['statistic'],
        timepointMonths,
        n,
        mean,
        sd,
        sdEffective,
        sdSource,
      }),
    ),
  };
}
