import { axis, interval, referenceLine } from './axis';
import { coord, escapeXml, formatEstimateCi, formatInterval, formatPercent, formatTimepoint } from './format';
import {
  baselineOffset,
  computeLayout,
  DIAMOND_HALF_HEIGHT,
  emptyLayout,
  FONT_FAMILY,
  FONT_SIZE,
  type Layout,
  markerSide,
  PREDICTION_LABEL,
  pooledLabel,
  SMALL_SIZE,
  studyLabel,
  type TextLine,
  TITLE_SIZE,
} from './layout';
import { describe, hasPredictionInterval } from './summary';
import { el, hash, INK, MUTED, text } from './svg';
import type { ForestPlotInput, ForestPooled, ForestStudy } from './types';

const MARKER = '#1f4e79';
const DIAMOND = '#0b2545';

/** A complete standalone SVG document of a forest plot. */
export function renderForestPlot(input: ForestPlotInput): string {
  const id = `forest-${hash(JSON.stringify(input))}`;
  const body = input.studies.length === 0 ? renderEmpty(input) : renderPlot(input, computeLayout(input));
  const open = el('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    width: body.width,
    height: body.height,
    viewBox: `0 0 ${coord(body.width)} ${coord(body.height)}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    'font-family': FONT_FAMILY,
    'font-size': FONT_SIZE,
    fill: INK,
  }).replace(/\/>$/, '>');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    open,
    el('title', { id: `${id}-title` }, escapeXml(input.title)),
    el('desc', { id: `${id}-desc` }, escapeXml(describe(input))),
    el('rect', { class: 'background', width: '100%', height: '100%', fill: '#ffffff' }),
    ...body.parts,
    '</svg>',
    '',
  ].join('\n');
}

interface Body {
  width: number;
  height: number;
  parts: string[];
}

function renderEmpty(input: ForestPlotInput): Body {
  const l = emptyLayout(input);
  return {
    width: l.width,
    height: l.height,
    parts: [
      titleText(l.titleLines, 16),
      text(16, l.messageY, 'No studies to draw.', { class: 'message' }),
      footerText(l.footer, 16),
    ],
  };
}

function renderPlot(input: ForestPlotInput, l: Layout): Body {
  const parts = [titleText(l.titleLines, l.labelX), header(l, input.columns)];
  parts.push(referenceLine(l, 0, 'zero-line'));
  const pooled = input.pooled && Number.isFinite(input.pooled.estimate) ? input.pooled : null;
  if (pooled) parts.push(referenceLine(l, pooled.estimate, 'pooled-line'));
  input.studies.forEach((study, i) => {
    parts.push(studyRow(study, i, l));
  });
  parts.push(
    pooled
      ? pooledRow(pooled, l)
      : text(l.labelX, l.pooledY + baselineOffset(FONT_SIZE), 'No pooled estimate', {
          class: 'no-pooled',
          'font-style': 'italic',
          fill: MUTED,
        }),
  );
  parts.push(axis(input, l), footerText(l.footer, l.labelX));
  return { width: l.width, height: l.height, parts };
}

function titleText(lines: TextLine[], x: number): string {
  const content = lines.map((line) => text(x, line.y, line.text, { 'font-size': TITLE_SIZE })).join('');
  return el('g', { class: 'plot-title', 'font-weight': 'bold' }, content);
}

function header(l: Layout, columns: ForestPlotInput['columns']): string {
  const y = l.headerY;
  return el(
    'g',
    { class: 'header', 'font-weight': 'bold' },
    text(l.labelX, y, columns?.study ?? 'Study') +
      text(l.weightRight, y, columns?.weight ?? 'Weight', { 'text-anchor': 'end' }) +
      text(l.estimateRight, y, 'Estimate [95% CI]', { 'text-anchor': 'end' }) +
      el('line', {
        x1: l.labelX,
        y1: l.ruleY,
        x2: l.estimateRight,
        y2: l.ruleY,
        stroke: INK,
        'stroke-width': 1,
      }),
  );
}

function studyRow(study: ForestStudy, index: number, l: Layout): string {
  const y = l.studyY[index] ?? 0;
  const base = y + baselineOffset(FONT_SIZE);
  const shown = l.labels[index] ?? studyLabel(study.label);
  const out: string[] = [];
  if (shown !== study.label) out.push(el('title', {}, escapeXml(study.label)));
  const timepoint = formatTimepoint(study.timepointMonths);
  const tp =
    timepoint === '' ? '' : el('tspan', { class: 'timepoint', dx: 3, fill: MUTED }, escapeXml(timepoint));
  out.push(el('text', { class: 'label', x: l.labelX, y: base }, escapeXml(shown) + tp));
  out.push(interval(l, study.ciLower, study.ciUpper, study.estimate, y, 'ci', {}));
  if (Number.isFinite(study.estimate)) {
    const side = markerSide(study.weight, l.maxWeight);
    const x = l.scale(study.estimate);
    out.push(
      el('rect', {
        class: 'marker',
        x: x - side / 2,
        y: y - side / 2,
        width: side,
        height: side,
        fill: MARKER,
      }),
    );
  }
  out.push(text(l.weightRight, base, formatPercent(study.weight), { class: 'weight', 'text-anchor': 'end' }));
  out.push(
    text(l.estimateRight, base, formatEstimateCi(study.estimate, study.ciLower, study.ciUpper), {
      class: 'estimate',
      'text-anchor': 'end',
    }),
  );
  return el('g', { class: 'study', 'data-study-index': String(index) }, out.join(''));
}

function pooledRow(pooled: ForestPooled, l: Layout): string {
  const y = l.pooledY;
  const base = y + baselineOffset(FONT_SIZE);
  const xl = l.scale(pooled.ciLower);
  const xe = l.scale(pooled.estimate);
  const xu = l.scale(pooled.ciUpper);
  const h = DIAMOND_HALF_HEIGHT;
  const points = [
    [xl, y],
    [xe, y - h],
    [xu, y],
    [xe, y + h],
  ]
    .map(([px, py]) => `${coord(px ?? 0)},${coord(py ?? 0)}`)
    .join(' ');
  const out = [
    text(l.labelX, base, pooledLabel(pooled.k), { class: 'label', 'font-weight': 'bold' }),
    el('polygon', { class: 'diamond', points, fill: DIAMOND, stroke: DIAMOND }),
    text(l.weightRight, base, formatPercent(100), {
      class: 'weight',
      'text-anchor': 'end',
      'font-weight': 'bold',
    }),
    text(l.estimateRight, base, formatEstimateCi(pooled.estimate, pooled.ciLower, pooled.ciUpper), {
      class: 'estimate',
      'text-anchor': 'end',
      'font-weight': 'bold',
    }),
  ];
  if (l.predictionY !== null && hasPredictionInterval(pooled)) {
    const py = l.predictionY;
    const pb = py + baselineOffset(FONT_SIZE);
    const lower = pooled.predictionLower ?? Number.NaN;
    const upper = pooled.predictionUpper ?? Number.NaN;
    out.push(
      el(
        'g',
        { class: 'prediction-interval' },
        text(l.labelX, pb, PREDICTION_LABEL, { class: 'label', fill: MUTED }) +
          interval(l, lower, upper, pooled.estimate, py, 'pi', {
            'stroke-dasharray': '5 3',
            'stroke-width': 2,
          }) +
          text(l.estimateRight, pb, formatInterval(lower, upper), {
            class: 'estimate',
            'text-anchor': 'end',
          }),
      ),
    );
  }
  return el('g', { class: 'pooled' }, out.join(''));
}

function footerText(lines: TextLine[], x: number): string {
  const content = lines
    .map((line) =>
      text(
        x,
        line.y,
        line.text,
        line.kind === 'note' ? { class: 'note', fill: MUTED } : { class: line.kind ?? '' },
      ),
    )
    .join('');
  return el('g', { class: 'footer', 'font-size': SMALL_SIZE }, content);
}
