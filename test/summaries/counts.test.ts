import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataVersion } from '../../src/store/trial-store';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from '../meta-analyses/catalogue';

// Three made-up trials (test data); every count below is read off these by hand.
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  addTrials(t.db, [
    testTrial('A', {
      phases: ['PHASE1', 'PHASE2'],
      allocation: 'RANDOMIZED',
      population: 'POSTMENOPAUSAL',
      countries: ['ES', 'CN'],
      startDate: '2015',
      riskOfBias: { tool: 'ROB2', overall: 'LOW' },
      arms: [cellArm('Cells IV'), cellArm('Cells IO', { route: 'INTRAOSSEOUS' }), controlArm('Placebo')],
      bmdResults: [result('Cells IV', 10, 2, 1), result('Cells IV', 10, 1, 1, { site: 'FEMORAL_NECK' })],
    }),
    testTrial('B', {
      overallStatus: 'RECRUITING',
      phases: ['PHASE2'],
      population: 'AGE_RELATED',
      countries: ['ES'],
      arms: [
        cellArm('Cells', { cellSource: 'ADIPOSE' }),
        controlArm('Nothing', { type: 'NO_INTERVENTION', comparator: null }),
      ],
      provenance: { kind: 'ILLUSTRATIVE', sources: ['made up for a test'] },
    }),
    testTrial('C', {
      population: 'POSTMENOPAUSAL',
      startDate: '2015-06',
      arms: [
        cellArm('Cells', { cellSource: 'UMBILICAL_CORD', type: 'OTHER' }),
        controlArm('Alendronate', { type: 'ACTIVE_COMPARATOR', comparator: 'BISPHOSPHONATE' }),
      ],
      bmdResults: [result('Cells', 10, 0.02, 0.01, { method: 'QCT', metric: 'ABSOLUTE_CHANGE' })],
      // A PUBLICATION record names its publication: a placeholder citation here, not a real paper.
      references: [{ citation: 'Test citation, not a real publication' }],
      provenance: { kind: 'PUBLICATION', sources: ['test fixture, not a real publication'] },
    }),
  ]);
});
afterAll(() => t.close());

async function counts(query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/summaries/counts?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('GET /summaries/counts', () => {
  it('counts each selected trial once per distinct value, most trials first', async () => {
    const body = await counts(
      'facets=cellSource,route,comparator,armType,phase,status,allocation,country,provenance,riskOfBias,site,metric,method,hasBmdResults,startYear,population,studyType,cellType,donor',
    );
    expect(body.total).toBe(3);
    expect(body.dataVersion).toBe(dataVersion(t.db));
    expect(body.facets).toEqual({
      // A has two bone-marrow arms: one trial.
      cellSource: [
        { value: 'ADIPOSE', trials: 1 },
        { value: 'BONE_MARROW', trials: 1 },
        { value: 'UMBILICAL_CORD', trials: 1 },
      ],
      cellType: [{ value: 'MSC', trials: 3 }],
      donor: [{ value: 'AUTOLOGOUS', trials: 3 }],
      route: [
        { value: 'INTRAVENOUS', trials: 3 },
        { value: 'INTRAOSSEOUS', trials: 1 },
      ],
      // Control arms only; B's control names no comparator.
      comparator: [
        { value: 'BISPHOSPHONATE', trials: 1 },
        { value: 'PLACEBO', trials: 1 },
        { value: null, trials: 1 },
      ],
      armType: [
        { value: 'EXPERIMENTAL', trials: 2 },
        { value: 'ACTIVE_COMPARATOR', trials: 1 },
        { value: 'NO_INTERVENTION', trials: 1 },
        { value: 'OTHER', trials: 1 },
        { value: 'PLACEBO_COMPARATOR', trials: 1 },
      ],
      phase: [
        { value: 'PHASE2', trials: 2 },
        { value: 'PHASE1', trials: 1 },
      ],
      status: [
        { value: 'COMPLETED', trials: 2 },
        { value: 'RECRUITING', trials: 1 },
      ],
      studyType: [{ value: 'INTERVENTIONAL', trials: 3 }],
      allocation: [
        { value: null, trials: 2 },
        { value: 'RANDOMIZED', trials: 1 },
      ],
      population: [
        { value: 'POSTMENOPAUSAL', trials: 2 },
        { value: 'AGE_RELATED', trials: 1 },
      ],
      country: [
        { value: 'ES', trials: 2 },
        { value: 'CN', trials: 1 },
      ],
      provenance: [
        { value: 'ILLUSTRATIVE', trials: 1 },
        { value: 'PUBLICATION', trials: 1 },
        { value: 'USER', trials: 1 },
      ],
      riskOfBias: [
        { value: 'NOT_ASSESSED', trials: 2 },
        { value: 'LOW', trials: 1 },
      ],
      site: [
        { value: 'LUMBAR_SPINE', trials: 2 },
        { value: 'FEMORAL_NECK', trials: 1 },
      ],
      metric: [
        { value: 'ABSOLUTE_CHANGE', trials: 1 },
        { value: 'PERCENT_CHANGE', trials: 1 },
      ],
      method: [
        { value: 'DXA', trials: 1 },
        { value: 'QCT', trials: 1 },
      ],
      hasBmdResults: [
        { value: true, trials: 2 },
        { value: false, trials: 1 },
      ],
      startYear: [
        { value: 2015, trials: 2 },
        { value: null, trials: 1 },
      ],
    });
  });

  it('counts under the shared filters; arm facets count the arms matching every cell-arm filter', async () => {
    const bm = await counts('facets=route,cellSource&cellSource=BONE_MARROW');
    expect(bm.total).toBe(1);
    expect(bm.facets.route).toEqual([
      { value: 'INTRAOSSEOUS', trials: 1 },
      { value: 'INTRAVENOUS', trials: 1 },
    ]);
    const bmIv = await counts('facets=route&cellSource=BONE_MARROW&route=INTRAVENOUS');
    expect(bmIv.facets.route).toEqual([{ value: 'INTRAVENOUS', trials: 1 }]);
    const real = await counts('facets=provenance&provenance=REGISTRY,PUBLICATION');
    expect(real).toMatchObject({ total: 1, facets: { provenance: [{ value: 'PUBLICATION', trials: 1 }] } });
    const dxa = await counts('facets=site&site=LUMBAR_SPINE&method=DXA');
    expect(dxa).toMatchObject({ total: 1, facets: { site: [{ value: 'LUMBAR_SPINE', trials: 1 }] } });
    const none = await counts('facets=cellSource&q=nothingmatchesthis');
    expect(none).toMatchObject({ total: 0, facets: { cellSource: [] } });
  });

  it('counts the selected records by provenance kind, and warns when an illustrative one is counted', async () => {
    // A is a USER record, B ILLUSTRATIVE, C PUBLICATION.
    const all = await counts('facets=route');
    expect(all.provenance).toEqual({ REGISTRY: 0, PUBLICATION: 1, ILLUSTRATIVE: 1, USER: 1 });
    expect(all.warnings).toEqual([
      {
        code: 'ILLUSTRATIVE_DATA',
        message:
          '1 of the trial records used is ILLUSTRATIVE: made up for demonstration, not real data. ' +
          'Filter provenance=REGISTRY,PUBLICATION to leave them out.',
      },
    ]);
    const real = await counts('facets=route&provenance=REGISTRY,PUBLICATION');
    expect(real).toMatchObject({ total: 1, warnings: [] });
    expect(real.provenance).toEqual({ REGISTRY: 0, PUBLICATION: 1, ILLUSTRATIVE: 0, USER: 0 });
    // The filters narrow what is counted: only A has a bone-marrow cell arm.
    const marrow = await counts('facets=route&cellSource=BONE_MARROW');
    expect(marrow).toMatchObject({ total: 1, warnings: [] });
    expect(marrow.provenance).toEqual({ REGISTRY: 0, PUBLICATION: 0, ILLUSTRATIVE: 0, USER: 1 });
  });

  it('counts every facet when facets is omitted', async () => {
    const body = await counts('');
    expect(Object.keys(body.facets).sort()).toEqual(
      [
        'allocation',
        'armType',
        'cellSource',
        'cellType',
        'comparator',
        'country',
        'donor',
        'hasBmdResults',
        'metric',
        'method',
        'phase',
        'population',
        'provenance',
        'riskOfBias',
        'route',
        'site',
        'startYear',
        'status',
        'studyType',
      ].sort(),
    );
  });

  it('answers 400 with what is allowed for an unknown facet, parameter or value', async () => {
    for (const query of [
      'facets=colour',
      'colour=red',
      'phase=PHASE9',
      'enrollmentMin=50&enrollmentMax=10',
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/summaries/counts?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors.length, query).toBeGreaterThan(0);
    }
  });
});
