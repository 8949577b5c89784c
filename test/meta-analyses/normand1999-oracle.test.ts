import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { at, expectClose, expectPooledMatches, oracles } from '../helpers/metafor-oracles';
import { addNormand1999, NORMAND_SOURCE } from './catalogue';

/**
 * End to end: dat.normand1999 stored as nine controlled trials, analysed through
 * GET /meta-analyses/bmd, must give R metafor's numbers (rma.uni + predict, fits iterated to
 * convergence; see the oracle file's provenance) for every estimator and test.
 */

const DATA_SETS = [
  { effect: 'MD', name: 'normand1999_MD_unpooled', set: oracles.normand1999_MD_unpooled },
  { effect: 'SMD', name: 'normand1999_SMD', set: oracles.normand1999_SMD },
] as const;

let t: TestApp;
let trialIds: string[];

beforeAll(async () => {
  t = await buildTestApp();
  trialIds = addNormand1999(t.db);
});
afterAll(() => t.close());

async function analyse(query: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE&${query}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe(`GET /meta-analyses/bmd reproduces metafor on ${NORMAND_SOURCE}`, () => {
  for (const { effect, name, set } of DATA_SETS) {
    describe(`${name} (effect=${effect}): ${set.published}`, () => {
      for (const [fitKey, fit] of Object.entries(set.fits)) {
        it(`${name} ${fitKey}: method=${fit.method}&test=${fit.test} matches rma.uni()`, async () => {
          const body = await analyse(`effect=${effect}&method=${fit.method}&test=${fit.test}`);
          expect(body.excluded).toEqual([]);
          expect(body).toMatchObject({ method: 'DXA', effect, test: fit.test, estimator: fit.method });
          expect(body.pooled).toMatchObject({ k: 9, qDf: 8, method: fit.method, test: fit.test });
          expectPooledMatches(body.pooled, fit, `${name} ${fitKey}`);
        });
      }

      it(`${name}: each study's yi and vi are escalc()'s, at 12 months, with percent weights 1/(vi + tau2)`, async () => {
        const body = await analyse(`effect=${effect}`);
        const tau2 = set.fits.REML?.tau2 as number;
        const totalW = set.input.vi.reduce((s, v) => s + 1 / (v + tau2), 0);
        const byTrial = new Map(body.studies.map((s: { trialId: string }) => [s.trialId, s]));
        trialIds.forEach((id, i) => {
          const study = byTrial.get(id) as Record<string, number>;
          expect(study, `study ${i + 1}`).toBeDefined();
          expect(study.timepointMonths).toBe(12);
          expect(study.n1).toBe(at(set.input.n1i, i));
          expect(study.n2).toBe(at(set.input.n2i, i));
          expectClose(study.yi, at(set.input.yi, i), `study ${i + 1} yi`);
          expectClose(study.vi, at(set.input.vi, i), `study ${i + 1} vi`);
          expectClose(study.se, Math.sqrt(at(set.input.vi, i)), `study ${i + 1} se`);
          expectClose(study.weight, 100 / (at(set.input.vi, i) + tau2) / totalW, `study ${i + 1} weight`);
        });
      });
    });
  }

  it('normand1999_MD_unpooled: the CSV yi/vi columns are the escalc() values, in full precision', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE&format=csv',
    });
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = res.body.trim().split('\r\n');
    const columns = (header as string).split(',');
    const yiAt = columns.indexOf('yi');
    const viAt = columns.indexOf('vi');
    const idAt = columns.indexOf('trialId');
    expect(yiAt).toBeGreaterThan(-1);
    expect(viAt).toBeGreaterThan(-1);
    expect(lines).toHaveLength(9);
    const input = oracles.normand1999_MD_unpooled.input;
    for (const line of lines) {
      const cells = line.split(',');
      const i = trialIds.indexOf(cells[idAt] as string);
      expect(i).toBeGreaterThan(-1);
      expect(Number(cells[yiAt])).toBe(at(input.yi, i));
      expectClose(Number(cells[viAt]), at(input.vi, i), `csv vi ${i + 1}`);
    }
  });
});
