import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TrialInput, TrialInput as TrialInputSchema } from '../../src/schemas/trial-input';
import { insertTrial, inTransaction } from '../../src/store/trial-store';
import { cellArm, controlArm, result } from '../meta-analyses/catalogue';
import { buildLoggedApp, expectProblem, keyHeader, rowCounts, type WriteTestApp } from './support';

/**
 * Every CHECK constraint of the live schema that client input can reach is enforced first by the
 * write schema: a write that would break it is a 400 naming the field (and, in a CSV import, its
 * row and column), never a 500 with SQLite's text. A new CHECK fails this file until it has a case
 * here, or a reason in NOT_FROM_CLIENT_INPUT. Test data only: not a real trial.
 */

/** A write that breaks one constraint: the field it sets, and the same break as a CSV cell. */
interface Violation {
  /** What the case does, for the test's name. */
  what: string;
  /** Path inside the trial body of the field set, which the 400 names as a JSON Pointer. */
  path: (string | number)[];
  value: unknown;
  /** The CSV cells that break it instead (over a valid row that creates a trial), and the column named. */
  csv?: { cells: Record<string, string>; column: string };
}

const field = (
  path: (string | number)[],
  value: unknown,
  what: string,
  csv?: Violation['csv'],
): Violation => ({
  path,
  value,
  what,
  ...(csv ? { csv } : {}),
});
/** An out-of-vocabulary value, in the body and in the CSV column of the same name when there is one. */
const vocab = (path: (string | number)[], value: string, column?: string): Violation =>
  field(
    path,
    value,
    `${String(path.at(-1))} ${value}`,
    column ? { cells: { [column]: value }, column } : undefined,
  );

const CASES: Record<string, Violation[]> = {
  trials_study_type_check: [vocab(['studyType'], 'ANECDOTAL', 'studyType')],
  trials_overall_status_check: [vocab(['overallStatus'], 'ABANDONED', 'overallStatus')],
  trials_allocation_check: [vocab(['allocation'], 'BY_COIN')],
  trials_masking_check: [vocab(['masking'], 'BLINDFOLD')],
  trials_enrollment_type_check: [vocab(['enrollment', 'type'], 'GUESSED')],
  trials_population_check: [vocab(['population'], 'ASTRONAUTS', 'population')],
  trials_risk_of_bias_check: [vocab(['riskOfBias', 'overall'], 'TERRIBLE')],
  trials_provenance_kind_check: [vocab(['provenance', 'kind'], 'RUMOUR', 'provenanceKind')],
  trials_enrollment_count_check: [field(['enrollment', 'count'], -1, 'a negative enrollment')],
  trial_phases_phase_check: [vocab(['phases', 0], 'PHASE9', 'phases')],
  trial_countries_country_check: [field(['countries', 0], 'ESP', 'a three-letter country code')],
  arms_type_check: [vocab(['arms', 0, 'type'], 'IMAGINARY', 'armType')],
  arms_cell_source_check: [vocab(['arms', 0, 'cellSource'], 'MOON_ROCK', 'cellSource')],
  arms_cell_type_check: [vocab(['arms', 0, 'cellType'], 'GOLEM', 'cellType')],
  arms_donor_check: [vocab(['arms', 0, 'donor'], 'STRANGER', 'donor')],
  arms_route_check: [vocab(['arms', 0, 'route'], 'BY_MAIL', 'route')],
  arms_comparator_check: [vocab(['arms', 1, 'comparator'], 'PRAYER')],
  arms_participants_check: [
    field(['arms', 0, 'participants'], -1, 'negative participants', {
      cells: { participants: '-1' },
      column: 'participants',
    }),
  ],
  arms_cell_fields_check: [
    ...(['cellType', 'donor', 'route'] as const).map((name) =>
      field(['arms', 0, name], null, `a cell-therapy arm without ${name}`, {
        cells: { [name]: '' },
        column: name,
      }),
    ),
    field(['arms', 0, 'comparator'], 'PLACEBO', 'a cell-therapy arm with a comparator', {
      cells: { comparator: 'PLACEBO' },
      column: 'comparator',
    }),
    field(['arms', 1, 'cellType'], 'MSC', 'a control arm with a cell type'),
  ],
  bmd_results_site_check: [vocab(['bmdResults', 0, 'site'], 'SKULL', 'site')],
  bmd_results_metric_check: [vocab(['bmdResults', 0, 'metric'], 'VIBES', 'metric')],
  bmd_results_method_check: [vocab(['bmdResults', 0, 'method'], 'X_RAY_VISION', 'method')],
  bmd_results_statistic_check: [vocab(['bmdResults', 0, 'statistic'], 'MODE', 'statistic')],
  bmd_results_n_check: [field(['bmdResults', 0, 'n'], 0, 'n of 0', { cells: { n: '0' }, column: 'n' })],
  bmd_results_timepoint_check: [
    field(['bmdResults', 0, 'timepointMonths'], -1, 'a negative timepoint', {
      cells: { timepointMonths: '-1' },
      column: 'timepointMonths',
    }),
  ],
  bmd_results_spread_check: [
    field(['bmdResults', 0, 'sd'], -1, 'a negative SD', { cells: { sd: '-1' }, column: 'sd' }),
    field(['bmdResults', 0, 'se'], -0.5, 'a negative SE', { cells: { sd: '', se: '-0.5' }, column: 'se' }),
  ],
  bmd_results_ci_check: [
    field(['bmdResults', 0, 'ciLower'], 3.5, 'a CI whose lower bound is above its upper', {
      cells: { sd: '', ciLower: '3.5', ciUpper: '3' },
      column: 'ciLower',
    }),
    field(['bmdResults', 0, 'ciLower'], 3, 'a CI of zero width', {
      cells: { sd: '', ciLower: '3', ciUpper: '3' },
      column: 'ciLower',
    }),
  ],
};

/** Constraints on what only the server writes, each with the reason no request can break it. */
const NOT_FROM_CLIENT_INPUT: Record<string, string> = {
  api_keys_role_check: 'keys are created by `npm run apikey`, which refuses any other role',
  catalogue_state_single_row: 'the one row of the data version counter, written by migrations only',
  registry_syncs_outcome_check: 'the outcome of `npm run sync`, set by the sync itself',
  revisions_action_check: 'CREATE, UPDATE or DELETE, set by the store for each write',
  revisions_channel_check: 'API, IMPORT or SYNC, set by the route or command that writes',
  trials_has_bmd_results_check: 'derived by the store from the trial’s results',
  bmd_results_sd_source_check: 'derived by the store from the reported spread (sdSource is read-only)',
};

/** A valid write body that every case breaks in one place: a cell arm, a control arm, one result. */
const BASE: TrialInput = TrialInputSchema.parse({
  registryIds: ['NCT90003001'],
  title: 'CHECK constraint probe',
  studyType: 'INTERVENTIONAL',
  phases: ['PHASE2'],
  overallStatus: 'COMPLETED',
  allocation: 'RANDOMIZED',
  masking: 'DOUBLE',
  enrollment: { count: 40, type: 'ACTUAL' },
  countries: ['ES'],
  population: 'POSTMENOPAUSAL',
  riskOfBias: { tool: 'ROB2', overall: 'LOW' },
  provenance: { kind: 'USER', sources: ['test probe'] },
  arms: [cellArm('Cells', { participants: 20 }), controlArm('Placebo', { participants: 20 })],
  bmdResults: [result('Cells', 20, 2, 1, { ciLower: 1, ciUpper: 3 })],
});

/** A copy of the valid body with one field set. */
function broken(violation: Violation): TrialInput {
  const body = structuredClone(BASE) as unknown as Record<string | number, unknown>;
  let parent = body;
  for (const key of violation.path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[violation.path.at(-1) as string | number] = violation.value;
  return body as unknown as TrialInput;
}

const pointer = (path: (string | number)[]) => `/${path.join('/')}`;

/** One CSV row creating a trial like BASE, with some cells changed. */
function csvBody(cells: Record<string, string>): string {
  const row: Record<string, string> = {
    registryIds: 'NCT90003002',
    trialTitle: 'CHECK constraint probe (CSV)',
    studyType: 'INTERVENTIONAL',
    overallStatus: 'COMPLETED',
    phases: 'PHASE2',
    population: 'POSTMENOPAUSAL',
    provenanceKind: 'USER',
    provenanceSources: 'test probe',
    armLabel: 'Cells',
    armType: 'EXPERIMENTAL',
    participants: '20',
    cellSource: 'BONE_MARROW',
    cellType: 'MSC',
    donor: 'AUTOLOGOUS',
    route: 'INTRAVENOUS',
    comparator: '',
    site: 'LUMBAR_SPINE',
    metric: 'PERCENT_CHANGE',
    method: 'DXA',
    statistic: 'MEAN',
    timepointMonths: '12',
    n: '20',
    mean: '2',
    sd: '1',
    se: '',
    ciLower: '',
    ciUpper: '',
    ...cells,
  };
  return `${Object.keys(row).join(',')}\r\n${Object.values(row).join(',')}\r\n`;
}

let t: WriteTestApp;
let editor: Record<string, string>;
let constraints: string[];
beforeAll(async () => {
  t = await buildLoggedApp();
  editor = keyHeader(t.db, 'editor-1', 'editor');
  const schemaSql = (
    t.db.$client
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL")
      .pluck()
      .all() as string[]
  ).join('\n');
  constraints = [...schemaSql.matchAll(/CONSTRAINT\s+"?(\w+)"?\s+CHECK\b/gi)].map((m) => m[1] as string);
  // Every CHECK is named, so that none escapes the list below.
  expect(schemaSql.match(/\bCHECK\s*\(/gi)?.length).toBe(constraints.length);
});
afterAll(() => t.close());

describe('the CHECK constraints of the live schema', () => {
  it('each has a case here, or a reason no client input can reach it', () => {
    expect(constraints.length).toBeGreaterThan(20);
    expect(constraints.filter((name) => !(name in CASES) && !(name in NOT_FROM_CLIENT_INPUT))).toEqual([]);
    // A case for a constraint the schema no longer has is stale.
    expect(
      [...Object.keys(CASES), ...Object.keys(NOT_FROM_CLIENT_INPUT)].filter((n) => !constraints.includes(n)),
    ).toEqual([]);
  });

  it('BASE is a valid trial, so each case breaks only what it sets', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/trials', headers: editor, payload: BASE });
    expect(res.statusCode, res.body).toBe(201);
    await t.app.inject({
      method: 'DELETE',
      url: `/trials/${res.json().id}`,
      headers: keyHeader(t.db, 'a', 'admin'),
    });
    const csv = await t.app.inject({
      method: 'POST',
      url: '/imports?format=csv&dryRun=true',
      headers: { ...editor, 'content-type': 'text/csv' },
      payload: csvBody({}),
    });
    expect(csv.statusCode, csv.body).toBe(200);
  });
});

const table = Object.entries(CASES).flatMap(([name, violations]) =>
  violations.map((violation) => ({ name, violation, label: `${name}: ${violation.what}` })),
);

describe.each(table)('$label', ({ name, violation }) => {
  it('is what the constraint refuses when the store is handed it unchecked', () => {
    const unchecked = () =>
      inTransaction(t.db, () => {
        insertTrial(t.db, broken(violation), { changedBy: 'probe', channel: 'API' });
        throw new Error('the store took it'); // and rolls it back, so later cases start clean
      });
    expect(unchecked).toThrow(new RegExp(`CHECK constraint failed: ${name}\\b`));
  });

  it('POST /trials answers 400 naming the field, and writes nothing', async () => {
    const before = rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: editor,
      payload: broken(violation),
    });
    const problem = expectProblem(res, 400);
    expect(problem.errors?.map((e) => e.path)).toContain(pointer(violation.path));
    expect(res.body).not.toMatch(/CHECK constraint|SQLITE/i);
    expect(rowCounts(t.db)).toEqual(before);
  });

  // Only where the field is a CSV column: the other constraints have no CSV route to them.
  const csv = violation.csv;
  if (csv)
    it('POST /imports?format=csv answers 400 naming the row and column, and writes nothing', async () => {
      const { cells, column } = csv;
      const before = rowCounts(t.db);
      const res = await t.app.inject({
        method: 'POST',
        url: '/imports?format=csv',
        headers: { ...editor, 'content-type': 'text/csv' },
        payload: csvBody(cells),
      });
      const problem = expectProblem(res, 400) as ReturnType<typeof expectProblem> & {
        rejected: { line: number; column: string; message: string }[];
      };
      expect(problem.rejected).toContainEqual(
        expect.objectContaining({
          line: 2,
          column,
          message: expect.stringMatching(new RegExp(`^line 2, column ${column}: `)),
        }),
      );
      expect(res.body).not.toMatch(/CHECK constraint|SQLITE/i);
      expect(rowCounts(t.db)).toEqual(before);
    });
});
