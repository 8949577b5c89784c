import type { Database } from 'better-sqlite3';
import { bmdResults } from '../db/schema';
import { cellArmKeys, comparisonInputRows } from '../domain/comparison-inputs';
import { maskOf } from '../domain/facet-masks';
import { latestChangeIds } from '../domain/latest-change';
import { REPORTED_RESULT_FIELDS, reportedValues } from '../domain/reported-result';
import { partialDateSortKey } from '../domain/trial-record';
import { registryIdKey } from '../schemas/registry-id';
import type { Trial } from '../schemas/trial';
import { trialJson } from './trial-json';

/**
 * The bmd_results columns a row is inserted with. The reported fields come from the one list that
 * says what a reported result is, so their columns and values (reportedValues) bind in step.
 */
const RESULT_COLUMNS = [
  'id',
  'trial_id',
  'arm_id',
  'position',
  ...REPORTED_RESULT_FIELDS.map((field) => bmdResults[field].name),
  'sd_effective',
  'sd_source',
  'note',
  'trial_status',
  'trial_population',
  'trial_provenance',
  'arm_cell_source',
  'arm_route',
  'change_pick',
];

/**
 * Writes one materialised Trial into the normalised tables, the search index and its served
 * document. Callers run it inside a transaction; it replaces whatever rows the trial had.
 * Prepared statements are cached per connection because imports call this thousands of times.
 */
const cache = new WeakMap<Database, ReturnType<typeof prepare>>();

function prepare(sqlite: Database) {
  return {
    deleteChildren: [
      sqlite.prepare('DELETE FROM comparison_inputs WHERE trial_id = ?'),
      sqlite.prepare('DELETE FROM bmd_results WHERE trial_id = ?'),
      sqlite.prepare('DELETE FROM arms WHERE trial_id = ?'),
      sqlite.prepare('DELETE FROM trial_phases WHERE trial_id = ?'),
      sqlite.prepare('DELETE FROM trial_countries WHERE trial_id = ?'),
      sqlite.prepare('DELETE FROM registry_ids WHERE trial_id = ?'),
      sqlite.prepare('DELETE FROM trial_references WHERE trial_id = ?'),
    ],
    searchIdOf: sqlite.prepare('SELECT search_id AS searchId FROM trials WHERE id = ?').pluck(),
    nextSearchId: sqlite.prepare('SELECT coalesce(max(search_id), 0) + 1 FROM trials').pluck(),
    deleteFts: sqlite.prepare('DELETE FROM trials_fts WHERE rowid = ?'),
    deleteTrial: sqlite.prepare('DELETE FROM trials WHERE id = ?'),
    upsertTrial:
      sqlite.prepare(`INSERT INTO trials (id, search_id, title, brief_summary, study_type, overall_status, allocation,
      masking, enrollment_count, enrollment_type, start_date, start_sort, start_year, completion_date, sponsor,
      population, risk_of_bias, provenance_kind, has_bmd_results, baseline_mean_age, baseline_mean_t_score, phase_mask,
      cell_source_mask, route_mask, version, created_at, updated_at)
      VALUES (@id, @searchId, @title, @briefSummary, @studyType, @overallStatus, @allocation, @masking, @enrollmentCount,
      @enrollmentType, @startDate, @startSort, @startYear, @completionDate, @sponsor, @population, @riskOfBias,
      @provenanceKind, @hasBmdResults, @baselineMeanAge, @baselineMeanTScore, @phaseMask, @cellSourceMask, @routeMask,
      @version, @createdAt, @updatedAt)
      ON CONFLICT(id) DO UPDATE SET title = excluded.title, brief_summary = excluded.brief_summary,
      study_type = excluded.study_type, overall_status = excluded.overall_status, allocation = excluded.allocation,
      masking = excluded.masking, enrollment_count = excluded.enrollment_count,
      enrollment_type = excluded.enrollment_type, start_date = excluded.start_date, start_sort = excluded.start_sort,
      start_year = excluded.start_year, completion_date = excluded.completion_date, sponsor = excluded.sponsor,
      population = excluded.population, risk_of_bias = excluded.risk_of_bias,
      provenance_kind = excluded.provenance_kind, has_bmd_results = excluded.has_bmd_results,
      baseline_mean_age = excluded.baseline_mean_age, baseline_mean_t_score = excluded.baseline_mean_t_score,
      phase_mask = excluded.phase_mask, cell_source_mask = excluded.cell_source_mask, route_mask = excluded.route_mask,
      version = excluded.version, updated_at = excluded.updated_at`),
    upsertDocument: sqlite.prepare(`INSERT INTO trial_documents (trial_id, document) VALUES (?, ?)
      ON CONFLICT(trial_id) DO UPDATE SET document = excluded.document`),
    insertPhase: sqlite.prepare('INSERT INTO trial_phases (trial_id, phase) VALUES (?, ?)'),
    insertCountry: sqlite.prepare('INSERT INTO trial_countries (trial_id, country) VALUES (?, ?)'),
    insertRegistryId: sqlite.prepare('INSERT INTO registry_ids (registry_id, trial_id) VALUES (?, ?)'),
    insertArm:
      sqlite.prepare(`INSERT INTO arms (id, trial_id, position, label, type, participants, cell_source,
      cell_type, donor, route, comparator, cells_per_kg, cells, administrations, trial_status, trial_allocation,
      trial_start_sort, trial_enrollment)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    insertResult: sqlite.prepare(
      `INSERT INTO bmd_results (${RESULT_COLUMNS.join(', ')}) VALUES (${RESULT_COLUMNS.map(() => '?').join(', ')})`,
    ),
    insertComparisonInputs: sqlite.prepare(
      `INSERT INTO comparison_inputs (site, metric, cell_source, route, trial_id, trial_status, trial_allocation,
      control_arms, inputs)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertReference: sqlite.prepare(
      'INSERT INTO trial_references (trial_id, position, pmid, doi, citation, url) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertFts: sqlite.prepare(
      'INSERT INTO trials_fts (rowid, title, brief_summary, arm_labels, sponsor) VALUES (?, ?, ?, ?, ?)',
    ),
  };
}

function statements(sqlite: Database) {
  let s = cache.get(sqlite);
  if (!s) {
    s = prepare(sqlite);
    cache.set(sqlite, s);
  }
  return s;
}

export function persistTrial(sqlite: Database, trial: Trial): void {
  const s = statements(sqlite);
  const id = trial.id;
  const existingSearchId = s.searchIdOf.get(id) as number | undefined;
  if (existingSearchId !== undefined) {
    for (const stmt of s.deleteChildren) stmt.run(id);
    s.deleteFts.run(existingSearchId);
  }
  const searchId = existingSearchId ?? (s.nextSearchId.get() as number);
  const startSort = partialDateSortKey(trial.startDate);
  s.upsertTrial.run({
    id,
    searchId,
    title: trial.title,
    briefSummary: trial.briefSummary,
    studyType: trial.studyType,
    overallStatus: trial.overallStatus,
    allocation: trial.allocation,
    masking: trial.masking,
    enrollmentCount: trial.enrollment?.count ?? null,
    enrollmentType: trial.enrollment?.type ?? null,
    startDate: trial.startDate,
    startSort,
    startYear: startSort === null ? null : Number(startSort.slice(0, 4)),
    completionDate: trial.completionDate,
    sponsor: trial.sponsor,
    population: trial.population,
    riskOfBias: trial.riskOfBias?.overall ?? null,
    provenanceKind: trial.provenance.kind,
    hasBmdResults: trial.bmdResults.length > 0 ? 1 : 0,
    baselineMeanAge: trial.baseline?.meanAge ?? null,
    baselineMeanTScore: trial.baseline?.meanTScore ?? null,
    phaseMask: maskOf('phase', trial.phases),
    cellSourceMask: maskOf(
      'cellSource',
      trial.arms.map((a) => a.cellSource),
    ),
    routeMask: maskOf(
      'route',
      trial.arms.map((a) => (a.cellSource === null ? null : a.route)),
    ),
    version: trial.version,
    createdAt: trial.createdAt,
    updatedAt: trial.updatedAt,
  });
  s.upsertDocument.run(id, trialJson(trial));
  for (const phase of trial.phases) s.insertPhase.run(id, phase);
  for (const country of trial.countries) s.insertCountry.run(id, country);
  for (const registryId of trial.registryIds) s.insertRegistryId.run(registryIdKey(registryId), id);
  trial.arms.forEach((a, i) => {
    s.insertArm.run(
      a.id,
      id,
      i,
      a.label,
      a.type,
      a.participants,
      a.cellSource,
      a.cellType,
      a.donor,
      a.route,
      a.comparator,
      a.dose?.cellsPerKg ?? null,
      a.dose?.cells ?? null,
      a.dose?.administrations ?? null,
      // The trial's own keys, carried so a filtered list reads them from the arm index.
      trial.overallStatus,
      trial.allocation,
      startSort,
      trial.enrollment?.count ?? null,
    );
  });
  const armOf = new Map(trial.arms.map((a) => [a.id, a]));
  const picked = latestChangeIds(trial.bmdResults);
  trial.bmdResults.forEach((r, i) => {
    const arm = armOf.get(r.armId);
    s.insertResult.run(
      r.id,
      id,
      r.armId,
      i,
      ...reportedValues(r),
      r.sdEffective,
      r.sdSource,
      r.note,
      // The keys the BMD-change summary filters and groups by, carried so it reads one index.
      trial.overallStatus,
      trial.population,
      trial.provenance.kind,
      arm?.cellSource ?? null,
      arm?.route ?? null,
      picked.has(r.id) ? 1 : 0,
    );
  });
  // What a meta-analysis reads of the trial, one row per site × metric under each of its cell-arm
  // keys (src/db/comparison-tables.ts).
  const keys = cellArmKeys(trial);
  for (const row of comparisonInputRows(trial))
    for (const key of keys)
      s.insertComparisonInputs.run(
        row.site,
        row.metric,
        key.cellSource,
        key.route,
        id,
        trial.overallStatus,
        trial.allocation,
        row.controlArms,
        row.inputs,
      );
  trial.references.forEach((ref, i) => {
    s.insertReference.run(id, i, ref.pmid, ref.doi, ref.citation, ref.url);
  });
  const armLabels = trial.arms.map((a) => a.label).join(' \n ');
  s.insertFts.run(searchId, trial.title, trial.briefSummary ?? '', armLabels, trial.sponsor ?? '');
}

/** Removes a trial and everything hanging off it (its revisions stay). */
export function removeTrial(sqlite: Database, id: string): void {
  const s = statements(sqlite);
  const searchId = s.searchIdOf.get(id) as number | undefined;
  for (const stmt of s.deleteChildren) stmt.run(id);
  if (searchId !== undefined) s.deleteFts.run(searchId);
  s.deleteTrial.run(id);
}
