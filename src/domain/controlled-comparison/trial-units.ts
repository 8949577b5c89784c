import type { ComparisonArm, ComparisonResult, ComparisonTrial } from './types';

/** One selected arm of a trial, with its results at the site and metric. */
export interface Side {
  arm: ComparisonArm;
  results: ComparisonResult[];
}

/** One trial, its cell-therapy sides and its control sides: what is compared within the trial. */
export interface Unit {
  trial: ComparisonTrial;
  cells: Side[];
  controls: Side[];
}

/** Gathers the flat candidate rows into one unit per trial, in the order the trials were given. */
export function groupIntoUnits(
  trials: readonly ComparisonTrial[],
  arms: readonly ComparisonArm[],
  results: readonly ComparisonResult[],
): Unit[] {
  const armsOf = groupBy(arms, (a) => a.trialId);
  const resultsOf = groupBy(results, (r) => r.armId);
  return trials.map((trial) => {
    const cells: Side[] = [];
    const controls: Side[] = [];
    for (const arm of armsOf.get(trial.id) ?? []) {
      if (arm.role === 'cell') cells.push({ arm, results: resultsOf.get(arm.id) ?? [] });
      else if (arm.role === 'control') controls.push({ arm, results: resultsOf.get(arm.id) ?? [] });
    }
    return { trial, cells, controls };
  });
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
