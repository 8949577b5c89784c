import { formatTick, wrapText } from '../forest-plot/format';
import { niceTicks } from '../forest-plot/scale';
import { el, hash, INK, MUTED, text } from '../forest-plot/svg';

export interface FunnelStudy {
  yi: number;
  se: number;
}

export interface FunnelPlotInput {
  title: string;
  effectLabel: string;
  studies: FunnelStudy[];
  /** Studies trim-and-fill added, drawn hollow so a reader never takes them for real ones. */
  filled: FunnelStudy[];
  /** The estimate the funnel is centred on (with filled studies, the adjusted one). */
  centre: number;
  notes?: string[];
}

const WIDTH = 720;
const PLOT = { left: 80, top: 56, width: 580, height: 360 };
/** The pseudo 95% limits: a study of standard error s lies within centre ± 1.96 s without bias. */
const Z = 1.959963984540054;

/**
 * A funnel plot as metafor's funnel() draws it: each study's effect against its standard error
 * (0 at the top), the pseudo 95% confidence region centre ± 1.96·SE, a line at the centre, and
 * trim-and-fill's studies as hollow circles. A standalone SVG document.
 */
export function renderFunnelPlot(input: FunnelPlotInput): string {
  const all = [...input.studies, ...input.filled];
  const seMax = Math.max(...all.map((s) => s.se), 1e-9);
  const yTicks = niceTicks(0, seMax);
  const seTop = yTicks.values.at(-1) ?? seMax;
  const spread = Math.max(Z * seTop, ...all.map((s) => Math.abs(s.yi - input.centre)));
  const xTicks = niceTicks(input.centre - spread, input.centre + spread);
  const xLo = xTicks.values[0] ?? input.centre - spread;
  const xHi = xTicks.values.at(-1) ?? input.centre + spread;
  const x = (v: number) => PLOT.left + ((v - xLo) / (xHi - xLo)) * PLOT.width;
  const y = (se: number) => PLOT.top + (se / seTop) * PLOT.height;

  const notes = (input.notes ?? []).flatMap((n) => wrapText(n, 95));
  const height = PLOT.top + PLOT.height + 60 + notes.length * 16;
  const id = `funnel-${hash(`${input.title}${all.length}`)}`;
  const parts: string[] = [
    el('rect', { x: 0, y: 0, width: WIDTH, height, fill: '#ffffff' }),
    text(WIDTH / 2, 28, input.title, { 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 'bold' }),
    el('polygon', {
      points: [
        [x(input.centre), y(0)],
        [x(input.centre - Z * seTop), y(seTop)],
        [x(input.centre + Z * seTop), y(seTop)],
      ]
        .map(([px, py]) => `${(px as number).toFixed(2)},${(py as number).toFixed(2)}`)
        .join(' '),
      fill: '#f2f2f2',
      stroke: MUTED,
      'stroke-dasharray': '4 3',
    }),
    el('line', { x1: x(input.centre), y1: y(0), x2: x(input.centre), y2: y(seTop), stroke: INK }),
    el('rect', {
      x: PLOT.left,
      y: PLOT.top,
      width: PLOT.width,
      height: PLOT.height,
      fill: 'none',
      stroke: INK,
    }),
    ...xTicks.values.map((v) =>
      text(x(v), PLOT.top + PLOT.height + 18, formatTick(v, xTicks.step), {
        'text-anchor': 'middle',
        'font-size': 12,
      }),
    ),
    ...yTicks.values.map((v) =>
      text(PLOT.left - 8, y(v) + 4, formatTick(v, yTicks.step), { 'text-anchor': 'end', 'font-size': 12 }),
    ),
    text(PLOT.left + PLOT.width / 2, PLOT.top + PLOT.height + 40, input.effectLabel, {
      'text-anchor': 'middle',
      'font-size': 13,
    }),
    text(24, PLOT.top + PLOT.height / 2, 'Standard error', {
      'text-anchor': 'middle',
      'font-size': 13,
      transform: `rotate(-90 24 ${PLOT.top + PLOT.height / 2})`,
    }),
    ...input.studies.map((s) =>
      el('circle', { cx: x(s.yi), cy: y(s.se), r: 4.5, fill: INK, class: 'study' }),
    ),
    ...input.filled.map((s) =>
      el('circle', { cx: x(s.yi), cy: y(s.se), r: 4.5, fill: '#ffffff', stroke: INK, class: 'filled' }),
    ),
    ...notes.map((n, i) =>
      text(PLOT.left, PLOT.top + PLOT.height + 64 + i * 16, n, { 'font-size': 12, fill: MUTED }),
    ),
  ];
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    el(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        width: WIDTH,
        height,
        viewBox: `0 0 ${WIDTH} ${height}`,
        role: 'img',
        'aria-labelledby': `${id}-title`,
      },
      `${el('title', { id: `${id}-title` }, input.title.replaceAll('&', '&amp;').replaceAll('<', '&lt;'))}${parts.join('')}`,
    )
  );
}
