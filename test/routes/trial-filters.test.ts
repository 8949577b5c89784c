import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { FIXTURE_TRIALS, loadFixture } from '../helpers/catalogue-fixture';

type Body = (typeof FIXTURE_TRIALS)[number];
type Arm = Body['arms'][number];
type Result = NonNullable<Body['bmdResults']>[number];

let t: TestApp;
let ids: string[];

beforeAll(async () => {
  t = await buildTestApp();
  ids = loadFixture(t.db);
});
afterAll(() => t.close());

async function titles(query: string): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: `/trials?limit=500&${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().data as { title: string }[]).map((d) => d.title).sort();
}

/** The expected answer, worked out from the fixture literals with a plain predicate. */
function expected(predicate: (trial: Body) => boolean): string[] {
  return FIXTURE_TRIALS.filter(predicate)
    .map((trial) => trial.title)
    .sort();
}

const isCell = (a: Arm) => a.cellSource != null;
const results = (trial: Body) => trial.bmdResults ?? [];
const armOf = (trial: Body, r: Result) => trial.arms.find((a) => a.label === r.armLabel) as Arm;

describe('GET /trials: each trial filter alone', () => {
  const cases: [string, (trial: Body) => boolean][] = [
    ['phase=PHASE2', (x) => (x.phases ?? []).includes('PHASE2')],
    [
      'phase=PHASE1,EARLY_PHASE1',
      (x) => (x.phases ?? []).some((p) => p === 'PHASE1' || p === 'EARLY_PHASE1'),
    ],
    ['phase=PHASE1&phase=PHASE3', (x) => (x.phases ?? []).some((p) => p === 'PHASE1' || p === 'PHASE3')],
    ['status=COMPLETED', (x) => x.overallStatus === 'COMPLETED'],
    ['studyType=OBSERVATIONAL', (x) => x.studyType === 'OBSERVATIONAL'],
    ['allocation=RANDOMIZED', (x) => x.allocation === 'RANDOMIZED'],
    ['population=POSTMENOPAUSAL,MALE', (x) => x.population === 'POSTMENOPAUSAL' || x.population === 'MALE'],
    ['country=CN', (x) => (x.countries ?? []).includes('CN')],
    ['provenance=REGISTRY,PUBLICATION', (x) => ['REGISTRY', 'PUBLICATION'].includes(x.provenance.kind)],
    ['riskOfBias=LOW', (x) => x.riskOfBias?.overall === 'LOW'],
    ['riskOfBias=NOT_ASSESSED', (x) => !x.riskOfBias],
    ['riskOfBias=HIGH,NOT_ASSESSED', (x) => !x.riskOfBias || x.riskOfBias.overall === 'HIGH'],
    ['registryId=nct00000001', (x) => (x.registryIds ?? []).includes('NCT00000001')],
    ['registryId=ChiCTR2000000001', (x) => (x.registryIds ?? []).includes('ChiCTR2000000001')],
    ['enrollmentMin=60', (x) => (x.enrollment?.count ?? -1) >= 60],
    ['enrollmentMax=10', (x) => x.enrollment != null && x.enrollment.count <= 10],
    [
      'enrollmentMin=10&enrollmentMax=60',
      (x) => x.enrollment != null && x.enrollment.count >= 10 && x.enrollment.count <= 60,
    ],
    ['startYearFrom=2019', (x) => x.startDate != null && Number(x.startDate.slice(0, 4)) >= 2019],
    ['startYearTo=2016', (x) => x.startDate != null && Number(x.startDate.slice(0, 4)) <= 2016],
    ['hasBmdResults=true', (x) => results(x).length > 0],
    ['hasBmdResults=false', (x) => results(x).length === 0],
    ['q=marrow', (x) => /marrow/i.test(`${x.title} ${x.arms.map((a) => a.label).join(' ')}`)],
    ['q=Epsilon%20Foundation', (x) => x.sponsor === 'Epsilon Foundation'],
    ['q=placental', (x) => x.arms.some((a) => a.label === 'Placental cells')],
  ];
  it.each(cases)('%s', async (query, predicate) => {
    const want = expected(predicate);
    expect(want.length).toBeGreaterThan(0);
    expect(await titles(query)).toEqual(want);
  });

  it('updatedSince keeps trials written at or after the instant', async () => {
    // loadFixture stamps trial i at 2026-01-(1+i): from the 5th day on, trials 4..7 remain.
    expect(await titles('updatedSince=2026-01-05T00:00:00Z')).toEqual(
      FIXTURE_TRIALS.slice(4)
        .map((x) => x.title)
        .sort(),
    );
  });
});

describe('GET /trials: cell-arm filters hold on one cell-therapy arm', () => {
  const oneArm = (trial: Body, p: (a: Arm) => boolean) => trial.arms.some((a) => isCell(a) && p(a));
  const cases: [string, (trial: Body) => boolean][] = [
    ['cellSource=ADIPOSE', (x) => oneArm(x, (a) => a.cellSource === 'ADIPOSE')],
    ['route=INTRAVENOUS', (x) => oneArm(x, (a) => a.route === 'INTRAVENOUS')],
    ['cellType=MONONUCLEAR_CELLS', (x) => oneArm(x, (a) => a.cellType === 'MONONUCLEAR_CELLS')],
    ['donor=ALLOGENEIC', (x) => oneArm(x, (a) => a.donor === 'ALLOGENEIC')],
    // Delta has a marrow arm and an intravenous arm, but no intravenous marrow arm: it must not match.
    [
      'cellSource=BONE_MARROW&route=INTRAVENOUS',
      (x) => oneArm(x, (a) => a.cellSource === 'BONE_MARROW' && a.route === 'INTRAVENOUS'),
    ],
    [
      'cellSource=ADIPOSE&route=INTRAVENOUS',
      (x) => oneArm(x, (a) => a.cellSource === 'ADIPOSE' && a.route === 'INTRAVENOUS'),
    ],
    [
      'comparator=PLACEBO,BISPHOSPHONATE',
      (x) => x.arms.some((a) => !isCell(a) && ['PLACEBO', 'BISPHOSPHONATE'].includes(a.comparator ?? '')),
    ],
    ['armType=ACTIVE_COMPARATOR', (x) => x.arms.some((a) => a.type === 'ACTIVE_COMPARATOR')],
  ];
  it.each(cases)('%s', async (query, predicate) => {
    const want = expected(predicate);
    expect(want.length).toBeGreaterThan(0);
    expect(await titles(query)).toEqual(want);
  });

  it('does not combine attributes of two different arms', async () => {
    expect(await titles('cellSource=BONE_MARROW&route=INTRAVENOUS')).not.toContain(
      'Delta marrow intraosseous',
    );
    expect(await titles('cellSource=ADIPOSE&route=INTRAVENOUS')).toEqual(['Delta marrow intraosseous']);
  });
});

describe('GET /trials: result filters hold on one result of a selected arm', () => {
  const oneResult = (trial: Body, p: (r: Result, a: Arm) => boolean) =>
    results(trial).some((r) => p(r, armOf(trial, r)));
  const cases: [string, (trial: Body) => boolean][] = [
    ['site=FEMORAL_NECK', (x) => oneResult(x, (r) => r.site === 'FEMORAL_NECK')],
    ['metric=ABSOLUTE_CHANGE', (x) => oneResult(x, (r) => r.metric === 'ABSOLUTE_CHANGE')],
    ['method=QCT', (x) => oneResult(x, (r) => r.method === 'QCT')],
    ['timepointMin=13', (x) => oneResult(x, (r) => r.timepointMonths >= 13)],
    ['timepointMax=6', (x) => oneResult(x, (r) => r.timepointMonths <= 6)],
    [
      'site=LUMBAR_SPINE&metric=PERCENT_CHANGE&timepointMin=12&timepointMax=12',
      (x) =>
        oneResult(
          x,
          (r) => r.site === 'LUMBAR_SPINE' && r.metric === 'PERCENT_CHANGE' && r.timepointMonths === 12,
        ),
    ],
    [
      'metric=PERCENT_CHANGE&bmdChangeMin=3',
      (x) => oneResult(x, (r, a) => isCell(a) && r.metric === 'PERCENT_CHANGE' && r.mean >= 3),
    ],
    [
      'metric=PERCENT_CHANGE&bmdChangeMin=-2&bmdChangeMax=2.1',
      (x) =>
        oneResult(x, (r, a) => isCell(a) && r.metric === 'PERCENT_CHANGE' && r.mean >= -2 && r.mean <= 2.1),
    ],
    [
      'cellSource=UMBILICAL_CORD&method=QCT',
      (x) => oneResult(x, (r, a) => a.cellSource === 'UMBILICAL_CORD' && r.method === 'QCT'),
    ],
  ];
  it.each(cases)('%s', async (query, predicate) => {
    const want = expected(predicate);
    expect(want.length).toBeGreaterThan(0);
    expect(await titles(query)).toEqual(want);
  });

  it('bmdChange uses cell-therapy arms only: a control arm reaching the range does not select the trial', async () => {
    // Beta's placebo arm reports 0.4 at 6 months; its adipose arm 2.1. A range [0, 1] matches only the control.
    expect(await titles('metric=PERCENT_CHANGE&bmdChangeMin=0&bmdChangeMax=1')).toEqual([]);
  });
});

describe('GET /trials: filters combine with AND', () => {
  it('phase, country and route together', async () => {
    const want = expected(
      (x) =>
        (x.phases ?? []).includes('PHASE2') &&
        (x.countries ?? []).includes('CN') &&
        x.arms.some((a) => isCell(a) && a.route === 'INTRAVENOUS'),
    );
    expect(want).toEqual(['Gamma cord vs bisphosphonate']);
    expect(await titles('phase=PHASE2&country=CN&route=INTRAVENOUS')).toEqual(want);
  });

  it('status, provenance and a result filter together', async () => {
    const want = expected(
      (x) =>
        x.overallStatus === 'COMPLETED' &&
        x.provenance.kind === 'USER' &&
        results(x).some((r) => r.site === 'LUMBAR_SPINE'),
    );
    expect(await titles('status=COMPLETED&provenance=USER&site=LUMBAR_SPINE')).toEqual(want);
  });

  it('answers the reviewer question: completed trials giving intravenous bone-marrow cells, with their results', async () => {
    const res = await t.app.inject({
      url: '/trials?status=COMPLETED&cellSource=BONE_MARROW&route=INTRAVENOUS',
    });
    const data = res.json().data as { title: string; bmdResults: { mean: number }[] }[];
    expect(data.map((d) => d.title)).toEqual(['Alpha marrow infusion']);
    expect(data[0]?.bmdResults.map((r) => r.mean)).toEqual([4.5]);
    expect(ids).toHaveLength(FIXTURE_TRIALS.length);
  });
});
