import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../seed/load-seed';
import { storedOutcomes } from '../../src/analysis/evidence/stored-outcomes';
import { outcomesPresent } from '../../src/analysis/evidence/summary-of-findings';
import { runMetaAnalysis } from '../../src/analysis/meta-analysis/run';
import { ForestPlotQuery } from '../../src/analysis/meta-analysis/schemas';
import { sharedRowsOfSelection } from '../../src/analysis/meta-analysis/stored-rows';
import type { Filters } from '../../src/filters/params';
import { freshDb } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from './catalogue';
import { madeUpTrials } from './made-up-catalogue';

/**
 * The summary of findings reads the stored rows of its selection once and finds the outcomes
 * present in them: they must be the outcomes its SQL finds, and each outcome's meta-analysis from
 * the shared rows must be the one GET /meta-analyses/bmd answers on its own.
 */
const SELECTIONS: Filters[] = [
  { cellSource: ['BONE_MARROW'] },
  { cellSource: ['BONE_MARROW'], route: ['INTRAVENOUS'], allocation: ['RANDOMIZED'] },
  { route: ['INTRAOSSEOUS'], status: ['COMPLETED', 'TERMINATED'] },
  { cellSource: ['ADIPOSE', 'UMBILICAL_CORD'], method: ['QCT'] },
  { cellType: ['MSC'], site: ['FEMORAL_NECK'] },
  // Read over every cell source × route: the rows hold trials without a matching cell arm.
  { cellType: ['OTHER'] },
  { donor: ['ALLOGENEIC'] },
  { cellSource: ['BONE_MARROW'], donor: ['ALLOGENEIC'] },
  { donor: ['AUTOLOGOUS'], metric: ['ABSOLUTE_CHANGE'], timepointMin: 12 },
  { cellSource: ['BONE_MARROW'], bmdChangeMin: 1 },
  { cellSource: ['BONE_MARROW'], comparator: ['STANDARD_CARE'] },
  { route: ['INTRAVENOUS'], phase: ['PHASE1'], country: ['ES'] },
  { cellSource: ['BONE_MARROW'], q: 'trial' },
  // Only the control arm of 'control at the hip' reports there: its cell arm does not select it.
  { cellSource: ['BONE_MARROW'], site: ['TOTAL_HIP', 'DISTAL_RADIUS'] },
];

/** Test data: the one trial reporting the distal radius, from its cell arm; another only from its control. */
const edgeTrials = [
  testTrial('cell arm at the radius', {
    arms: [cellArm('Cells'), controlArm('Placebo')],
    bmdResults: [
      result('Cells', 10, 2, 1, { site: 'DISTAL_RADIUS' }),
      result('Placebo', 10, 1, 1, { site: 'DISTAL_RADIUS' }),
    ],
  }),
  testTrial('control at the hip', {
    arms: [cellArm('Cells'), controlArm('Placebo')],
    bmdResults: [result('Cells', 10, 2, 1), result('Placebo', 10, 1, 1, { site: 'TOTAL_HIP' })],
  }),
];

describe('the summary of findings from shared stored rows', () => {
  it('finds the outcomes its SQL finds, and pools each as the meta-analysis alone does', () => {
    const db = freshDb();
    loadSeed(db);
    addTrials(db, [...madeUpTrials(150), ...edgeTrials]);
    let outcomesCompared = 0;
    for (const f of SELECTIONS) {
      const label = JSON.stringify(f);
      const shared = sharedRowsOfSelection(db, f);
      expect(shared, label).not.toBeNull();
      const outcomes = storedOutcomes(db, f, shared as NonNullable<typeof shared>);
      expect(outcomes, label).toEqual(outcomesPresent(db, f));
      for (const outcome of outcomes) {
        const query = ForestPlotQuery.parse({
          ...Object.fromEntries(
            Object.entries(f).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
          ),
          site: outcome.site,
          metric: outcome.metric,
          method: outcome.method,
        });
        expect(
          runMetaAnalysis(db, query, shared ?? undefined),
          `${label} ${JSON.stringify(outcome)}`,
        ).toEqual(runMetaAnalysis(db, query));
        outcomesCompared++;
      }
    }
    expect(outcomesCompared).toBeGreaterThan(SELECTIONS.length * 2);
  });

  it('is not used without a cell-arm filter, where the rows would be most of the table', () => {
    const db = freshDb();
    expect(sharedRowsOfSelection(db, { status: ['COMPLETED'] })).toBeNull();
  });
});
