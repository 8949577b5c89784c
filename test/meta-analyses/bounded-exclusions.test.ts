import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from './catalogue';

/**
 * A whole-catalogue meta-analysis over a large catalogue leaves out thousands of trials: the JSON
 * answer names the first 500 and counts the rest by reason, so its size stays bounded however big
 * the catalogue grows.
 */
describe('GET /meta-analyses/bmd exclusions', () => {
  it('lists the first 500 exclusions and counts all of them, by reason', async () => {
    const t = await buildTestApp();
    // 520 trials with a cell-therapy arm and no control arm, 30 with a control but no SD.
    const noControl = Array.from({ length: 520 }, (_, i) =>
      testTrial(`no control ${i}`, { arms: [cellArm('Cells')], bmdResults: [result('Cells', 10, 2, 1)] }),
    );
    const noSd = Array.from({ length: 30 }, (_, i) =>
      testTrial(`no sd ${i}`, {
        arms: [cellArm('Cells'), controlArm('Placebo')],
        bmdResults: [result('Cells', 10, 2, null), result('Placebo', 10, 1, null)],
      }),
    );
    addTrials(t.db, [...noControl, ...noSd]);

    const res = await t.app.inject({ url: '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      excluded: { reason: string }[];
      excludedTotal: number;
      excludedByReason: Record<string, number>;
    };
    expect(body.excluded).toHaveLength(500);
    expect(body.excludedTotal).toBe(550);
    expect(body.excludedByReason).toEqual({ NO_CONTROL_ARM: 520, NO_SD: 30 });
  });
});
