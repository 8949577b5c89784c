import { coord, formatTick, truncate } from './format';
import { FONT_SIZE, type Layout, SMALL_SIZE } from './layout';
import { type Attrs, el, INK, MUTED, text } from './svg';
import type { ForestPlotInput } from './types';

const ARROW = 6;
const FAVOURS_CHARS = 36;

/** A vertical line across the study rows at a value: 'zero-line' (solid) or 'pooled-line' (dashed). */
export function referenceLine(l: Layout, value: number, cls: string): string {
  const x = l.scale(value);
  const dashed: Attrs = cls === 'pooled-line' ? { 'stroke-dasharray': '4 3' } : {};
  return el('line', {
    class: cls,
    x1: x,
    y1: l.plotTop,
    x2: x,
    y2: l.axisY,
    stroke: cls === 'pooled-line' ? MUTED : INK,
    'stroke-width': 1,
    ...dashed,
  });
}

/**
 * A horizontal interval at height y, clipped to the axis limits. A clipped end (including an
 * infinite bound) ends in an arrow; a NaN bound is replaced by the estimate (no whisker that side).
 */
export function interval(
  l: Layout,
  lower: number,
  upper: number,
  estimate: number,
  y: number,
  cls: string,
  style: Attrs,
): string {
  const [d0, d1] = [l.ticks.values[0] ?? -1, l.ticks.values[l.ticks.values.length - 1] ?? 1];
  const lo = Number.isNaN(lower) ? estimate : lower;
  const hi = Number.isNaN(upper) ? estimate : upper;
  if (Number.isNaN(lo) || Number.isNaN(hi)) return '';
  const [a, b] = lo <= hi ? [lo, hi] : [hi, lo];
  const clipLeft = a < d0;
  const clipRight = b > d1;
  const x1 = l.scale(Math.min(Math.max(a, d0), d1));
  const x2 = l.scale(Math.max(Math.min(b, d1), d0));
  const out = [el('line', { class: cls, x1, y1: y, x2, y2: y, stroke: INK, 'stroke-width': 1.5, ...style })];
  if (clipLeft) out.push(arrow(l.scale(d0), y, -1, cls));
  if (clipRight) out.push(arrow(l.scale(d1), y, 1, cls));
  return out.join('');
}

/** An arrowhead with its tip at (x, y), pointing left (dir −1) or right (dir 1). */
function arrow(x: number, y: number, dir: -1 | 1, cls: string): string {
  const back = x - dir * ARROW;
  const d = `M${coord(x)},${coord(y)} L${coord(back)},${coord(y - ARROW * 0.6)} L${coord(back)},${coord(y + ARROW * 0.6)} Z`;
  return el('path', { class: `arrow ${cls}-arrow ${dir < 0 ? 'arrow-left' : 'arrow-right'}`, d, fill: INK });
}

/** The x axis: line, ticks with labels, favours labels and the effect label. */
export function axis(input: ForestPlotInput, l: Layout): string {
  const { values, step } = l.ticks;
  const ticks = values.map((v) => {
    const x = l.scale(v);
    return el(
      'g',
      { class: 'tick', 'data-value': String(v) },
      el('line', { x1: x, y1: l.axisY, x2: x, y2: l.axisY + 6, stroke: INK }) +
        text(x, l.tickLabelY, formatTick(v, step), { 'text-anchor': 'middle' }),
    );
  });
  const mid = (l.plotLeft + l.plotRight) / 2;
  const zero = l.scale(0);
  const favours: string[] = [];
  if (l.favoursY !== null) {
    if (input.favoursLeft) {
      favours.push(
        text(zero - 8, l.favoursY, `← ${truncate(input.favoursLeft, FAVOURS_CHARS)}`, {
          class: 'favours-left',
          'text-anchor': 'end',
        }),
      );
    }
    if (input.favoursRight) {
      favours.push(
        text(zero + 8, l.favoursY, `${truncate(input.favoursRight, FAVOURS_CHARS)} →`, {
          class: 'favours-right',
        }),
      );
    }
  }
  return el(
    'g',
    { class: 'axis', 'font-size': SMALL_SIZE },
    el('line', {
      class: 'axis-line',
      x1: l.plotLeft,
      y1: l.axisY,
      x2: l.plotRight,
      y2: l.axisY,
      stroke: INK,
    }) +
      ticks.join('') +
      favours.join('') +
      text(mid, l.effectLabelY, input.effectLabel, {
        class: 'effect-label',
        'text-anchor': 'middle',
        'font-size': FONT_SIZE,
      }),
  );
}
