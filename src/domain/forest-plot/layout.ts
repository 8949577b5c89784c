import { formatTimepoint, truncate, wrapText } from './format';
import { distinctLabels } from './labels';
import { dataRange, linearScale, niceTicks, type Scale, type Ticks } from './scale';
import { hasPredictionInterval, heterogeneityLine, overallEffectLine } from './summary';
import type { ForestPlotInput } from './types';

export const FONT_FAMILY =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
export const FONT_SIZE = 13;
export const TITLE_SIZE = 16;
export const SMALL_SIZE = 12;
/** Distance from a text line's centre to its baseline, for a given font size. */
export const baselineOffset = (size: number) => size * 0.35;

export const MAX_LABEL_CHARS = 40;
export const MAX_MARKER_SIDE = 16;
/** Squares are never drawn smaller than this, so tiny weights stay visible. */
export const MIN_MARKER_SIDE = 2;
export const DIAMOND_HALF_HEIGHT = 8;
export const PREDICTION_LABEL = '95% prediction interval';

const PAD = 16;
const GAP = 16;
const ROW = 24;
const LINE = 18;
const PLOT_WIDTH = 400;
const WEIGHT_WIDTH = 64;
const ESTIMATE_WIDTH = 180;
/** Rough average glyph width of a sans-serif font, in em. */
const CHAR_EM = 0.56;

export interface TextLine {
  text: string;
  y: number;
  /** For footer lines: 'heterogeneity', 'overall-effect' or 'note'. */
  kind?: string;
}

export interface Layout {
  width: number;
  height: number;
  labelX: number;
  plotLeft: number;
  plotRight: number;
  weightRight: number;
  estimateRight: number;
  titleLines: TextLine[];
  headerY: number;
  ruleY: number;
  /** Vertical centre of each study row. */
  studyY: number[];
  /** Each study row's label as shown: at most MAX_LABEL_CHARS characters, never the same for two rows. */
  labels: string[];
  /** Vertical centre of the pooled row (the diamond, or the "No pooled estimate" message). */
  pooledY: number;
  predictionY: number | null;
  /** Top and bottom of the zero and pooled-estimate reference lines. */
  plotTop: number;
  axisY: number;
  tickLabelY: number;
  favoursY: number | null;
  effectLabelY: number;
  footer: TextLine[];
  ticks: Ticks;
  scale: Scale;
  maxWeight: number;
}

/** A study's label as displayed: at most MAX_LABEL_CHARS characters. */
export function studyLabel(label: string): string {
  return truncate(label, MAX_LABEL_CHARS);
}

export function pooledLabel(k: number): string {
  return `Pooled estimate (k = ${k})`;
}

export function computeLayout(input: ForestPlotInput): Layout {
  const { studies, pooled } = input;
  const labels = distinctLabels(studies, MAX_LABEL_CHARS);
  const labelChars = Math.max(
    PREDICTION_LABEL.length,
    pooled ? pooledLabel(pooled.k).length : 0,
    ...studies.map((s, i) => Array.from((labels[i] ?? '') + formatTimepoint(s.timepointMonths)).length),
  );
  const labelWidth = Math.min(Math.max(labelChars * FONT_SIZE * CHAR_EM, 140), 340);

  const labelX = PAD;
  const plotLeft = labelX + labelWidth + GAP;
  const plotRight = plotLeft + PLOT_WIDTH;
  const weightRight = plotRight + GAP + WEIGHT_WIDTH;
  const estimateRight = weightRight + GAP + ESTIMATE_WIDTH;
  const width = estimateRight + PAD;
  const charsPerLine = (size: number) => Math.floor((width - 2 * PAD) / (size * CHAR_EM));

  let y = PAD;
  const titleLines = wrapText(input.title, charsPerLine(TITLE_SIZE)).map((text) => {
    y += TITLE_SIZE * 1.3;
    return { text, y };
  });
  const headerY = y + 24;
  const ruleY = headerY + 8;
  const studyY = studies.map((_, i) => ruleY + 4 + ROW * (i + 0.5));
  const pooledY = ruleY + 4 + ROW * (studies.length + 0.5) + 8;
  const predictionY = pooled && hasPredictionInterval(pooled) ? pooledY + ROW : null;
  const axisY = (predictionY ?? pooledY) + ROW / 2 + 6;
  const tickLabelY = axisY + 6 + SMALL_SIZE + 2;
  const favoursY = input.favoursLeft || input.favoursRight ? tickLabelY + LINE : null;
  const effectLabelY = (favoursY ?? tickLabelY) + LINE + 2;

  y = effectLabelY + 10;
  const footerTexts: [string, string][] = [];
  if (pooled) {
    footerTexts.push(
      ['heterogeneity', heterogeneityLine(pooled)],
      ['overall-effect', overallEffectLine(pooled)],
    );
  }
  for (const note of input.notes ?? []) footerTexts.push(['note', note]);
  const footer = footerTexts.flatMap(([kind, text]) =>
    wrapText(text, charsPerLine(SMALL_SIZE)).map((line) => {
      y += LINE;
      return { text: line, y, kind };
    }),
  );

  const ticks = niceTicks(...dataRange(studies, pooled));
  const first = ticks.values[0] ?? -1;
  const last = ticks.values[ticks.values.length - 1] ?? 1;
  const weights = studies.map((s) => s.weight).filter((w) => Number.isFinite(w) && w > 0);

  return {
    width,
    height: y + PAD,
    labelX,
    plotLeft,
    plotRight,
    weightRight,
    estimateRight,
    titleLines,
    headerY,
    ruleY,
    studyY,
    labels,
    pooledY,
    predictionY,
    plotTop: ruleY,
    axisY,
    tickLabelY,
    favoursY,
    effectLabelY,
    footer,
    ticks,
    scale: linearScale(first, last, plotLeft, plotRight),
    maxWeight: weights.length > 0 ? Math.max(...weights) : 0,
  };
}

/** Side of a study's square: its area is proportional to the weight (down to MIN_MARKER_SIDE). */
export function markerSide(weight: number, maxWeight: number): number {
  if (!(maxWeight > 0) || !(weight > 0) || !Number.isFinite(weight)) return MIN_MARKER_SIDE;
  return Math.max(MIN_MARKER_SIDE, MAX_MARKER_SIDE * Math.sqrt(weight / maxWeight));
}

/** Layout of the document drawn when there are no studies: title, message, notes. */
export function emptyLayout(input: ForestPlotInput): {
  width: number;
  height: number;
  titleLines: TextLine[];
  messageY: number;
  footer: TextLine[];
} {
  const width = 640;
  const chars = (size: number) => Math.floor((width - 2 * PAD) / (size * CHAR_EM));
  let y = PAD;
  const titleLines = wrapText(input.title, chars(TITLE_SIZE)).map((text) => {
    y += TITLE_SIZE * 1.3;
    return { text, y };
  });
  const messageY = y + 32;
  y = messageY + 8;
  const footer = (input.notes ?? []).flatMap((text) =>
    wrapText(text, chars(SMALL_SIZE)).map((line) => {
      y += LINE;
      return { text: line, y, kind: 'note' };
    }),
  );
  return { width, height: y + PAD, titleLines, messageY, footer };
}
