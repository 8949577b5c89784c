import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from './catalogue';

// Made-up controlled trials (test data); every expected moderator below is worked by hand.
let t: TestApp;
let mixedId: string;
let plainId: string;

beforeAll(async () => {
  t = await buildTestApp();
  [mixedId, plainId] = addTrials(t.db, [
    // Two cell arms combined: routes differ (MIXED), source, type and donor shared. Doses by n:
    // cellsPerKg (10·1e6 + 30·3e6)/40 = 2.5e6; administrations (10·1 + 30·2)/40 = 1.75; cells is
    // reported by one arm only, so it is null.
    testTrial('Mixed', {
      arms: [
        cellArm('Low', {
          route: 'INTRAVENOUS',
          cellSource: 'UMBILICAL_CORD',
          donor: 'ALLOGENEIC',
          dose: { cellsPerKg: 1e6, administrations: 1, cells: 5e7 },
        }),
        cellArm('High', {
          route: 'INTRAOSSEOUS',
          cellSource: 'UMBILICAL_CORD',
          donor: 'ALLOGENEIC',
          dose: { cellsPerKg: 3e6, administrations: 2 },
        }),
        controlArm('Alendronate', { type: 'ACTIVE_COMPARATOR', comparator: 'BISPHOSPHONATE' }),
      ],
      bmdResults: [result('Low', 10, 3, 1), result('High', 30, 5, 1), result('Alendronate', 20, 1, 1)],
      riskOfBias: { tool: 'ROB2', overall: 'SOME_CONCERNS' },
      // A PUBLICATION record names its publication: a placeholder citation here, not a real paper.
      references: [{ citation: 'Test citation, not a real publication' }],
      provenance: { kind: 'PUBLICATION', sources: ['made up for a test'] },
    }),
    // One measured cell arm; a second cell arm (adipose, local injection) reports nothing at the
    // site, so it is not combined and does not make the study MIXED. No dose, no risk of bias.
    testTrial('Plain', {
      arms: [
        cellArm('Marrow'),
        cellArm('Fat', { cellSource: 'ADIPOSE', route: 'LOCAL_INJECTION', dose: { cellsPerKg: 9e6 } }),
        controlArm('Placebo'),
      ],
      bmdResults: [
        result('Marrow', 10, 3, 1),
        result('Fat', 10, 7, 1, { site: 'FEMORAL_NECK' }),
        result('Placebo', 10, 1, 1),
      ],
    }),
  ]) as [string, string];
});
afterAll(() => t.close());

const URL = '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE';

describe('meta-analysis studies carry their moderators', () => {
  it('in JSON: shared cell fields or MIXED, the control’s comparator, n-weighted doses, provenance and risk of bias', async () => {
    const res = await t.app.inject({ url: URL });
    expect(res.statusCode, res.body).toBe(200);
    const studies = res.json().studies as Record<string, unknown>[];
    const byId = new Map(studies.map((s) => [s.trialId, s]));
    expect(byId.get(mixedId)).toMatchObject({
      cellSource: 'UMBILICAL_CORD',
      cellType: 'MSC',
      donor: 'ALLOGENEIC',
      route: 'MIXED',
      comparator: 'BISPHOSPHONATE',
      cellsPerKg: 2.5e6,
      cells: null,
      administrations: 1.75,
      provenanceKind: 'PUBLICATION',
      riskOfBias: 'SOME_CONCERNS',
    });
    expect(byId.get(plainId)).toMatchObject({
      cellSource: 'BONE_MARROW',
      cellType: 'MSC',
      donor: 'AUTOLOGOUS',
      route: 'INTRAVENOUS',
      comparator: 'PLACEBO',
      cellsPerKg: null,
      cells: null,
      administrations: null,
      provenanceKind: 'USER',
      riskOfBias: 'NOT_ASSESSED',
    });
  });

  it('in CSV: the same values, a missing dose as NA and numbers unquoted', async () => {
    const res = await t.app.inject({ url: `${URL}&format=csv` });
    expect(res.statusCode, res.body).toBe(200);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    const byId = new Map(rows.map((r) => [r.trialId, r]));
    expect(byId.get(mixedId)).toMatchObject({
      route: 'MIXED',
      comparator: 'BISPHOSPHONATE',
      cellsPerKg: '2500000',
      cells: 'NA',
      administrations: '1.75',
      provenanceKind: 'PUBLICATION',
      riskOfBias: 'SOME_CONCERNS',
    });
    expect(byId.get(plainId)).toMatchObject({
      cellSource: 'BONE_MARROW',
      route: 'INTRAVENOUS',
      cellsPerKg: 'NA',
      riskOfBias: 'NOT_ASSESSED',
    });
    expect(res.body).toMatch(
      /,UMBILICAL_CORD,MSC,ALLOGENEIC,MIXED,BISPHOSPHONATE,2500000,NA,1\.75,PUBLICATION,/,
    );
  });
});
