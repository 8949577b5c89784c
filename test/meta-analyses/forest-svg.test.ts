import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axisFromTicks,
  child,
  findAll,
  findOne,
  ownText,
  parseSvg,
  type SvgNode,
  textContent,
} from '../domain/forest-plot/svg-tree';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { addNormand1999, NORMAND_SOURCE } from './catalogue';

const QUERY = 'site=LUMBAR_SPINE&metric=PERCENT_CHANGE';
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  addNormand1999(t.db);
});
afterAll(() => t.close());

/** The full label of a study row: the <title> child when the shown label was shortened. */
function rowLabel(row: SvgNode): string {
  const full = row.children.find((c) => c.name === 'title');
  return full ? textContent(full) : ownText(child(row, 'text', 'label'));
}

describe(`GET /meta-analyses/bmd/forest.svg on ${NORMAND_SOURCE}`, () => {
  it('draws the analysis: one labelled row per study in the JSON order, and the pooled diamond', async () => {
    const json = (await t.app.inject({ method: 'GET', url: `/meta-analyses/bmd?${QUERY}` })).json();
    const res = await t.app.inject({ method: 'GET', url: `/meta-analyses/bmd/forest.svg?${QUERY}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const root = parseSvg(res.body);

    const rows = findAll(root, 'g', 'study');
    expect(rows).toHaveLength(9);
    expect(rows.map(rowLabel)).toEqual(json.studies.map((s: { title: string }) => s.title));
    for (const row of rows) expect(findAll(row, 'rect', 'marker')).toHaveLength(1);

    const pooled = findOne(root, 'g', 'pooled');
    expect(textContent(child(pooled, 'text', 'label'))).toBe('Pooled estimate (k = 9)');
    const points = (findOne(pooled, 'polygon', 'diamond').attrs.points ?? '')
      .split(' ')
      .map((p) => Number(p.split(',')[0]));
    // Diamond corners: lower CI, estimate, upper CI, estimate — placed on the plot's own axis.
    const { toX } = axisFromTicks(root);
    const want = [json.pooled.ciLower, json.pooled.estimate, json.pooled.ciUpper, json.pooled.estimate];
    points.forEach((x, i) => {
      expect(Math.abs(x - toX(want[i]))).toBeLessThan(0.05);
    });
  });

  it('says so when nothing can be drawn (k = 0), still as SVG', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/meta-analyses/bmd/forest.svg?site=TOTAL_HIP&metric=PERCENT_CHANGE',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const root = parseSvg(res.body);
    expect(findAll(root, 'g', 'study')).toEqual([]);
    expect(findAll(root, 'polygon', 'diamond')).toEqual([]);
    expect(findAll(root, 'text').map(textContent)).toContain('No studies to draw.');
  });

  it('answers a bad query with problem+json, not an image', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/meta-analyses/bmd/forest.svg?site=LUMBAR_SPINE' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
