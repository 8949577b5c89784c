import { describe, expect, it } from 'vitest';
import {
  type ForestPlotInput,
  type ForestPooled,
  type ForestStudy,
  renderForestPlot,
} from '../../../src/domain/forest-plot';
import {
  axisFromTicks,
  child,
  findAll,
  findOne,
  num,
  ownText,
  parseSvg,
  type SvgNode,
  textContent,
} from './svg-tree';

const studies: ForestStudy[] = [
  { label: 'Wang 2019', estimate: 2.1, ciLower: 0.4, ciUpper: 3.8, weight: 22.5, timepointMonths: 12 },
  { label: 'Kim 2020', estimate: 0.6, ciLower: -1.2, ciUpper: 2.4, weight: 18.1, timepointMonths: 6 },
  { label: 'Smith 2021', estimate: 4.5, ciLower: -9, ciUpper: 18, weight: 3.4 },
  { label: 'Osei 2022', estimate: 1.4, ciLower: 0.2, ciUpper: 2.6, weight: 30.0 },
  { label: 'Lopez 2023', estimate: -0.3, ciLower: -2.5, ciUpper: 1.9, weight: 26.0, timepointMonths: 24 },
];

const pooled: ForestPooled = {
  estimate: 1.22,
  ciLower: 0.35,
  ciUpper: 2.09,
  predictionLower: -0.9,
  predictionUpper: 3.34,
  tau2: 0.4567,
  i2: 45.23,
  q: 7.31,
  qDf: 4,
  qPValue: 0.12,
  pValue: 0.006,
  k: 5,
  method: 'REML',
  test: 'knha',
};

const input: ForestPlotInput = {
  title: 'Lumbar spine BMD: MSC therapy vs control',
  effectLabel: 'Mean difference in % change, lumbar spine (DXA)',
  studies,
  pooled,
  notes: ['Illustrative data, not from real trials.'],
  favoursLeft: 'Favours control',
  favoursRight: 'Favours MSC',
};

function render(over: Partial<ForestPlotInput> = {}): { svg: string; root: SvgNode } {
  const svg = renderForestPlot({ ...input, ...over });
  return { svg, root: parseSvg(svg) };
}

function studyGroups(root: SvgNode): SvgNode[] {
  return findAll(root, 'g', 'study');
}

function allText(root: SvgNode): string[] {
  return findAll(root, 'text').map(textContent);
}

function diamondPoints(root: SvgNode): [number, number][] {
  const points = findOne(findOne(root, 'g', 'pooled'), 'polygon', 'diamond').attrs.points ?? '';
  return points.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
}

const px = 0.02; // coordinates are written with 2 decimals

describe('renderForestPlot: document', () => {
  it('is a well-formed standalone SVG with an accessible title and description', () => {
    const { svg, root } = render();
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(root.attrs.role).toBe('img');
    expect(num(root, 'width')).toBeGreaterThan(0);
    expect(num(root, 'height')).toBeGreaterThan(0);
    expect(root.attrs.viewBox).toBe(`0 0 ${root.attrs.width} ${root.attrs.height}`);

    const title = child(root, 'title');
    const desc = child(root, 'desc');
    expect(textContent(title)).toBe(input.title);
    expect(root.attrs['aria-labelledby']).toBe(`${title.attrs.id} ${desc.attrs.id}`);
    const summary = textContent(desc);
    expect(summary).toContain('5 studies');
    expect(summary).toContain('1.22');
    expect(summary).toContain('0.35 to 2.09');
    expect(summary).toContain('I² = 45.2%');
    expect(summary).toContain('prediction interval -0.90 to 3.34');
  });

  it('has header columns, the effect label, favours labels and the notes', () => {
    const { root } = render();
    expect(textContent(findOne(root, 'g', 'header'))).toBe('StudyWeightEstimate [95% CI]');
    expect(textContent(findOne(root, 'text', 'effect-label'))).toBe(input.effectLabel);
    expect(textContent(findOne(root, 'text', 'favours-left'))).toContain('Favours control');
    expect(textContent(findOne(root, 'text', 'favours-right'))).toContain('Favours MSC');
    expect(findAll(root, 'text', 'note').map(textContent)).toEqual([
      'Illustrative data, not from real trials.',
    ]);
  });

  it('grows in height with the number of rows', () => {
    const few = render({ studies: studies.slice(0, 2) }).root;
    const many = render({ studies: [...studies, ...studies, ...studies] }).root;
    expect(num(many, 'height') - num(few, 'height')).toBeCloseTo(13 * 24, 0);
  });
});

describe('renderForestPlot: study rows', () => {
  it('has one g.study per study, in order, with label, estimate text and weight', () => {
    const { root } = render();
    const groups = studyGroups(root);
    expect(groups).toHaveLength(studies.length);
    groups.forEach((g, i) => {
      expect(g.attrs['data-study-index']).toBe(String(i));
      expect(ownText(findOne(g, 'text', 'label'))).toBe(studies[i]?.label);
    });
    const wang = groups[0] as SvgNode;
    expect(textContent(findOne(wang, 'text', 'estimate'))).toBe('2.10 [0.40, 3.80]');
    expect(textContent(findOne(wang, 'text', 'weight'))).toBe('22.5%');
    expect(textContent(findOne(wang, 'tspan', 'timepoint'))).toContain('12 mo');
    expect(findAll(groups[3] as SvgNode, 'tspan', 'timepoint')).toHaveLength(0);
  });

  it('draws squares whose areas are in the ratio of the weights', () => {
    const { root } = render();
    const areas = studyGroups(root).map((g) => {
      const rect = findOne(g, 'rect', 'marker');
      expect(num(rect, 'width')).toBeCloseTo(num(rect, 'height'), 6);
      return num(rect, 'width') * num(rect, 'height');
    });
    for (let i = 0; i < studies.length; i++) {
      for (let j = 0; j < studies.length; j++) {
        const weightRatio = (studies[i]?.weight ?? 0) / (studies[j]?.weight ?? 1);
        const areaRatio = (areas[i] ?? 0) / (areas[j] ?? 1);
        expect(Math.abs(areaRatio / weightRatio - 1)).toBeLessThan(0.01);
      }
    }
  });

  it('centres each square on its estimate on the axis read from the ticks', () => {
    const { root } = render();
    const { toX } = axisFromTicks(root);
    studyGroups(root).forEach((g, i) => {
      const rect = findOne(g, 'rect', 'marker');
      const centre = num(rect, 'x') + num(rect, 'width') / 2;
      expect(Math.abs(centre - toX(studies[i]?.estimate ?? Number.NaN))).toBeLessThan(px);
    });
  });

  it('draws CI whiskers between the CI limits, clipped with arrows beyond the axis', () => {
    const { root } = render();
    const { toX, values } = axisFromTicks(root);
    const lo = values[0] as number;
    const hi = values[values.length - 1] as number;
    studyGroups(root).forEach((g, i) => {
      const s = studies[i] as ForestStudy;
      const line = findOne(g, 'line', 'ci');
      expect(Math.abs(num(line, 'x1') - toX(Math.max(s.ciLower, lo)))).toBeLessThan(px);
      expect(Math.abs(num(line, 'x2') - toX(Math.min(s.ciUpper, hi)))).toBeLessThan(px);
      expect(findAll(g, 'path', 'arrow-left')).toHaveLength(s.ciLower < lo ? 1 : 0);
      expect(findAll(g, 'path', 'arrow-right')).toHaveLength(s.ciUpper > hi ? 1 : 0);
    });
    // Smith 2021 (-9 to 18) is much wider than the rest, so it is clipped on both sides.
    const smith = studyGroups(root)[2] as SvgNode;
    expect(findAll(smith, 'path', 'arrow')).toHaveLength(2);
  });

  it('draws an infinite CI bound clipped with an arrow and prints NA, never Infinity', () => {
    const wide: ForestStudy = {
      label: 'Open-ended',
      estimate: 1,
      ciLower: 0.1,
      ciUpper: Infinity,
      weight: 5,
    };
    const { svg, root } = render({ studies: [...studies, wide] });
    const g = studyGroups(root)[5] as SvgNode;
    expect(findAll(g, 'path', 'arrow-right')).toHaveLength(1);
    expect(textContent(findOne(g, 'text', 'estimate'))).toBe('1.00 [0.10, NA]');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe('renderForestPlot: axis and pooled estimate', () => {
  it('has nice ticks (1-2-5 steps) spanning the estimates, the pooled CI and zero', () => {
    const { root } = render();
    const { values } = axisFromTicks(root);
    const steps = values.slice(1).map((v, i) => v - (values[i] as number));
    const step = steps[0] as number;
    for (const s of steps) expect(s).toBeCloseTo(step, 9);
    const mantissa = step / 10 ** Math.floor(Math.log10(step));
    expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
    for (const v of values) expect(Math.abs(v / step - Math.round(v / step))).toBeLessThan(1e-9);
    const shown = [0, pooled.ciLower, pooled.ciUpper, ...studies.map((s) => s.estimate)];
    expect(values[0]).toBeLessThanOrEqual(Math.min(...shown));
    expect(values[values.length - 1]).toBeGreaterThanOrEqual(Math.max(...shown));
    expect(values).toContain(0);
  });

  it('draws a solid zero line at 0 and a dashed line at the pooled estimate', () => {
    const { root } = render();
    const { toX } = axisFromTicks(root);
    const zero = findOne(root, 'line', 'zero-line');
    expect(Math.abs(num(zero, 'x1') - toX(0))).toBeLessThan(px);
    expect(num(zero, 'x2')).toBe(num(zero, 'x1'));
    expect(zero.attrs['stroke-dasharray']).toBeUndefined();
    const ref = findOne(root, 'line', 'pooled-line');
    expect(Math.abs(num(ref, 'x1') - toX(pooled.estimate))).toBeLessThan(px);
    expect(ref.attrs['stroke-dasharray']).toBeDefined();
  });

  it('draws the diamond from ciLower to ciUpper, centred on the estimate', () => {
    const { root } = render();
    const { toX } = axisFromTicks(root);
    const xs = diamondPoints(root).map(([x]) => x);
    expect(Math.abs(Math.min(...xs) - toX(pooled.ciLower))).toBeLessThan(px);
    expect(Math.abs(Math.max(...xs) - toX(pooled.ciUpper))).toBeLessThan(px);
    const [, top, , bottom] = diamondPoints(root);
    expect(Math.abs((top?.[0] ?? 0) - toX(pooled.estimate))).toBeLessThan(px);
    expect(Math.abs((bottom?.[0] ?? 0) - toX(pooled.estimate))).toBeLessThan(px);
    const g = findOne(root, 'g', 'pooled');
    expect(textContent(child(g, 'text', 'label'))).toBe('Pooled estimate (k = 5)');
    expect(textContent(child(g, 'text', 'estimate'))).toBe('1.22 [0.35, 2.09]');
    expect(textContent(child(g, 'text', 'weight'))).toBe('100.0%');
  });

  it('draws the prediction interval as a dashed line under the diamond', () => {
    const { root } = render();
    const { toX } = axisFromTicks(root);
    const g = findOne(findOne(root, 'g', 'pooled'), 'g', 'prediction-interval');
    const line = findOne(g, 'line', 'pi');
    expect(Math.abs(num(line, 'x1') - toX(-0.9))).toBeLessThan(px);
    expect(Math.abs(num(line, 'x2') - toX(3.34))).toBeLessThan(px);
    expect(line.attrs['stroke-dasharray']).toBeDefined();
    const diamondY = diamondPoints(root)[0]?.[1] ?? 0;
    expect(num(line, 'y1')).toBeGreaterThan(diamondY);
    expect(textContent(findOne(g, 'text', 'estimate'))).toBe('[-0.90, 3.34]');
  });

  it('prints the heterogeneity line and the test for the overall effect', () => {
    const { root } = render();
    expect(textContent(findOne(root, 'text', 'heterogeneity'))).toBe(
      'Random-effects model (REML): τ² = 0.46; I² = 45.2%; Q = 7.31, df = 4, p = 0.12',
    );
    expect(textContent(findOne(root, 'text', 'overall-effect'))).toBe(
      'Test for overall effect (Knapp–Hartung t test): p = 0.006',
    );
  });

  it('leaves out null heterogeneity parts and τ² under a common-effect model', () => {
    const { root } = render({
      pooled: { ...pooled, method: 'EE', test: 'z', i2: null, q: 12.345, qPValue: null, pValue: 0.0004 },
    });
    expect(textContent(findOne(root, 'text', 'heterogeneity'))).toBe(
      'Common-effect model: Q = 12.35, df = 4',
    );
    expect(textContent(findOne(root, 'text', 'overall-effect'))).toBe(
      'Test for overall effect (z test): p < 0.001',
    );
    expect(findAll(root, 'g', 'prediction-interval')).toHaveLength(0);
  });
});

describe('renderForestPlot: special cases', () => {
  const noNaN = (svg: string) => expect(svg).not.toMatch(/NaN|Infinity/);

  it('k = 1 says there is no heterogeneity and draws no prediction interval', () => {
    const one = studies[0] as ForestStudy;
    const { svg, root } = render({
      studies: [{ ...one, weight: 100 }],
      pooled: {
        ...pooled,
        estimate: one.estimate,
        ciLower: one.ciLower,
        ciUpper: one.ciUpper,
        predictionLower: one.ciLower,
        predictionUpper: one.ciUpper,
        tau2: 0,
        i2: null,
        q: null,
        qDf: 0,
        qPValue: null,
        k: 1,
        test: 'z',
      },
    });
    expect(studyGroups(root)).toHaveLength(1);
    expect(textContent(findOne(root, 'text', 'heterogeneity'))).toBe(
      'Random-effects model (REML): one study: no heterogeneity',
    );
    expect(textContent(child(root, 'desc'))).toContain('1 study.');
    expect(findAll(root, 'g', 'prediction-interval')).toHaveLength(0);
    expect(findAll(root, 'polygon', 'diamond')).toHaveLength(1);
    noNaN(svg);
  });

  it('pooled = null draws the studies and says there is no pooled estimate', () => {
    const { svg, root } = render({ pooled: null });
    expect(studyGroups(root)).toHaveLength(studies.length);
    expect(findAll(root, 'g', 'pooled')).toHaveLength(0);
    expect(findAll(root, 'line', 'pooled-line')).toHaveLength(0);
    expect(findAll(root, 'text', 'heterogeneity')).toHaveLength(0);
    expect(textContent(findOne(root, 'text', 'no-pooled'))).toBe('No pooled estimate');
    expect(textContent(child(root, 'desc'))).toContain('No pooled estimate.');
    expect(findAll(root, 'line', 'zero-line')).toHaveLength(1);
    noNaN(svg);
  });

  it('zero studies give a valid SVG saying there is nothing to draw', () => {
    const { svg, root } = render({ studies: [], pooled: null });
    expect(studyGroups(root)).toHaveLength(0);
    expect(findAll(root, 'g', 'axis')).toHaveLength(0);
    expect(textContent(findOne(root, 'text', 'message'))).toBe('No studies to draw.');
    expect(textContent(child(root, 'title'))).toBe(input.title);
    expect(textContent(child(root, 'desc'))).toContain('no studies to draw');
    expect(findAll(root, 'text', 'note')).toHaveLength(1);
    noNaN(svg);
  });

  it('never prints NaN or Infinity, even for broken numbers', () => {
    const broken: ForestStudy[] = [
      { label: 'Missing estimate', estimate: Number.NaN, ciLower: 0, ciUpper: 1, weight: Number.NaN },
      { label: 'Missing bounds', estimate: 1, ciLower: Number.NaN, ciUpper: Number.NaN, weight: 0 },
      { label: 'Unbounded', estimate: 0.5, ciLower: -Infinity, ciUpper: Infinity, weight: 10 },
    ];
    const { svg, root } = render({
      studies: broken,
      pooled: { ...pooled, tau2: Number.NaN, q: Number.POSITIVE_INFINITY, pValue: Number.NaN },
    });
    expect(studyGroups(root)).toHaveLength(3);
    expect(findAll(studyGroups(root)[0] as SvgNode, 'rect', 'marker')).toHaveLength(0);
    noNaN(svg);
    const variants: Partial<ForestPlotInput>[] = [{}, { pooled: null }, { studies: [] }];
    for (const over of variants) noNaN(render(over).svg);
  });
});

describe('renderForestPlot: escaping user text', () => {
  const evil = `<script>x</script> & 'c' "q" </g>`; // short enough not to be truncated

  it('escapes title, labels, effect label, favours and notes', () => {
    const { svg, root } = render({
      title: evil,
      effectLabel: evil,
      favoursLeft: 'A & B',
      favoursRight: '<b>',
      notes: [evil],
      studies: [{ ...(studies[0] as ForestStudy), label: evil }, ...studies.slice(1)],
    });
    expect(svg).not.toContain('<script');
    expect(findAll(root, 'script')).toHaveLength(0);
    expect(textContent(child(root, 'title'))).toBe(evil);
    expect(ownText(findOne(studyGroups(root)[0] as SvgNode, 'text', 'label'))).toBe(evil);
    expect(textContent(findOne(root, 'text', 'effect-label'))).toBe(evil);
    expect(textContent(findOne(root, 'text', 'favours-left'))).toBe('← A & B');
    expect(textContent(findOne(root, 'text', 'favours-right'))).toBe('<b> →');
    expect(allText(root)).toContain(evil);
    expect(findAll(root, 'b')).toHaveLength(0);
  });

  it('stays well-formed with control characters and lone surrogates in labels', () => {
    const label = 'bad\u0001\u0000label\uD800';
    const { root } = render({ studies: [{ ...(studies[0] as ForestStudy), label }] });
    expect(ownText(findOne(studyGroups(root)[0] as SvgNode, 'text', 'label'))).toBe(
      'bad\uFFFD\uFFFDlabel\uFFFD',
    );
  });

  it('truncates very long labels and keeps the full text in a tooltip', () => {
    const label = 'A'.repeat(80);
    const { root } = render({ studies: [{ ...(studies[0] as ForestStudy), label }] });
    const g = studyGroups(root)[0] as SvgNode;
    expect(ownText(findOne(g, 'text', 'label')).length).toBeLessThan(label.length);
    expect(textContent(findOne(g, 'title'))).toBe(label);
  });
});
