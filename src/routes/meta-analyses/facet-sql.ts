/**
 * The SQL value of each facet that analyses group or split by: trial fields over alias `t`, arm
 * fields over alias `a`. Only these whitelisted fragments are ever pasted into a query.
 */
export const TRIAL_FACET_SQL = {
  population: 't.population',
  provenance: 't.provenance_kind',
  /** A trial's phases joined in a stable order, e.g. PHASE1/PHASE2. */
  phase: "(SELECT group_concat(p.phase, '/' ORDER BY p.phase) FROM trial_phases p WHERE p.trial_id = t.id)",
  allocation: 't.allocation',
  status: 't.overall_status',
  studyType: 't.study_type',
  riskOfBias: "coalesce(t.risk_of_bias, 'NOT_ASSESSED')",
} as const;

export const CELL_FACET_SQL = {
  cellSource: 'a.cell_source',
  cellType: 'a.cell_type',
  donor: 'a.donor',
  route: 'a.route',
} as const;

export type TrialFacet = keyof typeof TRIAL_FACET_SQL;
export type CellFacet = keyof typeof CELL_FACET_SQL;
