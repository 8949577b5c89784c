import type { Filters } from '../../filters/params';
import {
  and,
  CELL_ARM_FILTERS,
  inList,
  needsCellArm,
  RESULT_FILTERS,
  resultConditions,
  type SqlPart,
  selectedArmCondition,
  trialSelection,
} from '../../filters/sql';

/**
 * How the candidate rows of a comparison are read, chosen by how much of the catalogue they are.
 * The answer is the same selection either way: the plans differ only in which B-trees SQLite
 * walks. Probing by id costs a few B-tree descents per row; beyond a few thousand trials reading
 * the tables front to back and keeping the wanted rows is several times cheaper.
 */

/** The arm and result filters: everything trialSelection checks in its arm part. */
const ARM_PART_KEYS = [...CELL_ARM_FILTERS, ...RESULT_FILTERS];

/** The filters without their arm part: trialSelection then checks the trial row (and its phases, countries, …) only. */
export function trialOnly(f: Filters): Filters {
  const rest: Filters = { ...f };
  for (const key of ARM_PART_KEYS) delete rest[key];
  return rest;
}

/**
 * The trial filters whose values are copied on each arm row (and so in the arm indexes) and on
 * each comparison_inputs row, as conditions on the copies of the table aliased `alias`.
 */
export function carriedTrialKeys(f: Filters, alias: string): SqlPart {
  return and([inList(`${alias}.trial_status`, f.status), inList(`${alias}.trial_allocation`, f.allocation)]);
}

/**
 * The WHERE clause (trial alias `t`) selecting the comparison's trials, exactly trialSelection's.
 * With cell-arm filters it is driven from the arm index, the trial's status and allocation copied
 * on the arm rows narrowing the arms before any trial row is read (the trial row still checks
 * both). Without them every result at the site and metric is a candidate, so the results table is
 * read once, in order, for their trials' ids instead of probing each arm for a result.
 */
export function comparisonTrialSelection(f: Filters): { where: SqlPart; from: string } {
  const trialPart = trialSelection(trialOnly(f));
  const cellDriven = needsCellArm(f);
  if (cellDriven) {
    const arm = selectedArmCondition(f) as SqlPart;
    const narrowed = and([arm, carriedTrialKeys(f, 'a')]);
    return {
      from: 'trials t',
      where: and([
        { sql: `t.id IN (SELECT a.trial_id FROM arms a WHERE ${narrowed.sql})`, params: narrowed.params },
        trialPart,
      ]),
    };
  }
  // No cell-arm filter: the selection asks for any arm with a matching result, and a result's
  // trial_id is its arm's trial.
  const results = resultConditions(f);
  return {
    from: 'trials t NOT INDEXED',
    where: and([
      {
        sql: `t.id IN (SELECT r.trial_id FROM bmd_results r NOT INDEXED WHERE ${results.sql})`,
        params: results.params,
      },
      trialPart,
    ]),
  };
}

/**
 * Whether the arms and results of `chosen` trials are read by scanning their tables rather than
 * by probing per trial: when the chosen trials are more than a sixteenth of the catalogue
 * (`SELECT max(rowid)` bounds the trial count in one B-tree descent).
 */
export function scansTables(chosen: number, catalogueSize: number): boolean {
  return chosen * 16 > catalogueSize;
}
