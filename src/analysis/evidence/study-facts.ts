import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';

/** What the evidence analyses know of a pooled study's trial beyond its effect. */
export interface StudyFacts {
  startDate: string | null;
  /** The first day the partial start date names, so `2015` and `2015-09` order as dates. */
  startSort: string | null;
  startYear: number | null;
  population: string;
  allocation: string | null;
  /** The overall risk-of-bias judgement, null when not assessed. */
  riskOfBias: string | null;
  meanAge: number | null;
  meanTScore: number | null;
}

/** The given columns (aliased as the facts' names) of the given trials, by id. */
function readFacts<T>(db: Db, columns: string, trialIds: readonly string[]): Map<string, T> {
  const rows = prepared(
    db.$client,
    `SELECT t.id AS id, ${columns} FROM json_each(?) chosen CROSS JOIN trials t ON t.id = chosen.value`,
  ).all(JSON.stringify(trialIds)) as (T & { id: string })[];
  return new Map(rows.map(({ id, ...facts }) => [id, facts as T]));
}

/** The facts of the given trials, read by id; call it in the analysis's own read transaction. */
export function loadStudyFacts(db: Db, trialIds: readonly string[]): Map<string, StudyFacts> {
  return readFacts(
    db,
    `t.start_date AS startDate, t.start_sort AS startSort, t.start_year AS startYear,
     t.population AS population, t.allocation AS allocation, t.risk_of_bias AS riskOfBias,
     t.baseline_mean_age AS meanAge, t.baseline_mean_t_score AS meanTScore`,
    trialIds,
  );
}

/** What the certainty rules read of a pooled study's trial (the summary of findings). */
export type GradingFacts = Pick<StudyFacts, 'allocation' | 'population'>;

/**
 * The allocation and population of the given trials, read by id: loadStudyFacts's two columns the
 * summary of findings grades with. Decoding only them takes about half the time of the full facts
 * for the few thousand trials a large summary pools.
 */
export function loadGradingFacts(db: Db, trialIds: readonly string[]): Map<string, GradingFacts> {
  return readFacts(db, 't.population AS population, t.allocation AS allocation', trialIds);
}
