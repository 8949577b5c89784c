import { describe, expect, it } from 'vitest';
import { loadComparisonCandidates } from '../../src/analysis/meta-analysis/candidates';
import { buildTestApp } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from './catalogue';

/**
 * The candidate rows of a meta-analysis are read by probing per trial for a narrow query and by
 * scanning the arm and result tables for a broad one. A reviewer relies on the answer not
 * depending on which was chosen: both plans must give the same trials, arms and, arm by arm,
 * results in the same order (the comparison picks among an arm's results in that order).
 */
function byArm(results: readonly { armId: string }[]) {
  const out = new Map<string, unknown[]>();
  for (const r of results) out.set(r.armId, [...(out.get(r.armId) ?? []), r]);
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('meta-analysis candidate plans', () => {
  it('scanning and probing read the same candidate rows', async () => {
    const t = await buildTestApp();
    addTrials(t.db, [
      // Results inserted out of method order, several per arm, at other sites and timepoints.
      testTrial('randomised bone marrow', {
        allocation: 'RANDOMIZED',
        arms: [cellArm('Cells'), cellArm('Cells high'), controlArm('Placebo')],
        bmdResults: [
          result('Cells', 10, 2, 1, { method: 'QCT' }),
          result('Cells', 10, 3, 1),
          result('Cells high', 10, 4, 1),
          result('Placebo', 10, 1, 1, { method: 'QCT' }),
          result('Placebo', 10, 1.5, 1),
          result('Cells', 10, 5, 1, { timepointMonths: 6 }),
          result('Placebo', 10, 0, 1, { site: 'FEMORAL_NECK' }),
        ],
      }),
      testTrial('non-randomised cord', {
        allocation: 'NON_RANDOMIZED',
        arms: [
          cellArm('Cells', { cellSource: 'UMBILICAL_CORD' }),
          controlArm('Usual care', { comparator: 'STANDARD_CARE' }),
        ],
        bmdResults: [result('Cells', 12, 2, 1), result('Usual care', 12, 1, 1)],
      }),
      testTrial('femoral neck only', {
        arms: [cellArm('Cells'), controlArm('Placebo')],
        bmdResults: [result('Cells', 8, 2, 1, { site: 'FEMORAL_NECK' })],
      }),
    ]);
    const outcome = {
      site: ['LUMBAR_SPINE'] as ['LUMBAR_SPINE'],
      metric: ['PERCENT_CHANGE'] as ['PERCENT_CHANGE'],
    };
    const queries = [
      outcome,
      { ...outcome, allocation: ['RANDOMIZED' as const] },
      { ...outcome, cellSource: ['BONE_MARROW' as const], route: ['INTRAVENOUS' as const] },
      { ...outcome, cellSource: ['BONE_MARROW' as const], allocation: ['RANDOMIZED' as const] },
      { ...outcome, method: ['DXA' as const], comparator: ['STANDARD_CARE' as const] },
    ];
    for (const f of queries) {
      const scanned = loadComparisonCandidates(t.db, f, 'cellSource', 'scan');
      const probed = loadComparisonCandidates(t.db, f, 'cellSource', 'probe');
      expect(scanned.trials.length, JSON.stringify(f)).toBeGreaterThan(0);
      expect(scanned.trials).toEqual(probed.trials);
      expect(scanned.arms).toEqual(probed.arms);
      expect(byArm(scanned.results)).toEqual(byArm(probed.results));
    }
  });
});
