import { formatNumber, formatP, formatPercent } from './format';
import type { ForestPlotInput, ForestPooled } from './types';

const COMMON_EFFECT_METHODS = new Set(['EE', 'FE', 'CE']);

export function isCommonEffect(pooled: ForestPooled): boolean {
  return COMMON_EFFECT_METHODS.has(pooled.method.toUpperCase());
}

/** "Random-effects model (REML)" or "Common-effect model". */
export function modelName(pooled: ForestPooled): string {
  return isCommonEffect(pooled) ? 'Common-effect model' : `Random-effects model (${pooled.method})`;
}

/**
 * "Random-effects model (REML): τ² = 0.12; I² = 45.2%; Q = 12.34, df = 7, p = 0.09". Parts that
 * are null are left out; τ² is left out under a common-effect model, where it is 0 by definition.
 */
export function heterogeneityLine(pooled: ForestPooled): string {
  const stats = heterogeneityStats(pooled);
  return stats === '' ? modelName(pooled) : `${modelName(pooled)}: ${stats}`;
}

/** The statistics part of heterogeneityLine(), '' when there are none. */
export function heterogeneityStats(pooled: ForestPooled): string {
  if (pooled.k <= 1) return 'one study: no heterogeneity';
  const parts: string[] = [];
  if (!isCommonEffect(pooled) && Number.isFinite(pooled.tau2))
    parts.push(`τ² = ${formatNumber(pooled.tau2)}`);
  if (pooled.i2 !== null && Number.isFinite(pooled.i2)) parts.push(`I² = ${formatPercent(pooled.i2)}`);
  if (pooled.q !== null && Number.isFinite(pooled.q)) {
    const p =
      pooled.qPValue !== null && Number.isFinite(pooled.qPValue) ? `, ${formatP(pooled.qPValue)}` : '';
    parts.push(`Q = ${formatNumber(pooled.q)}, df = ${pooled.qDf}${p}`);
  }
  return parts.join('; ');
}

export function testName(test: string): string {
  if (test === 'z') return 'z test';
  if (test === 'knha') return 'Knapp–Hartung t test';
  return `${test} test`;
}

/** "Test for overall effect (z test): p = 0.003". */
export function overallEffectLine(pooled: ForestPooled): string {
  return `Test for overall effect (${testName(pooled.test)}): ${formatP(pooled.pValue)}`;
}

/** True when a prediction interval is present and says more than the CI (k ≥ 2, random effects). */
export function hasPredictionInterval(pooled: ForestPooled): boolean {
  return (
    pooled.k >= 2 &&
    !isCommonEffect(pooled) &&
    pooled.predictionLower !== null &&
    pooled.predictionUpper !== null &&
    Number.isFinite(pooled.predictionLower) &&
    Number.isFinite(pooled.predictionUpper)
  );
}

/** The plain-language summary for the SVG's <desc>. */
export function describe(input: ForestPlotInput): string {
  const n = input.studies.length;
  if (n === 0) return `Forest plot with no studies to draw. Effect measure: ${input.effectLabel}.`;
  const sentences = [
    `Forest plot of ${n} ${n === 1 ? 'study' : 'studies'}. Effect measure: ${input.effectLabel}.`,
  ];
  const pooled = input.pooled;
  if (pooled === null || !Number.isFinite(pooled.estimate)) {
    sentences.push('No pooled estimate.');
  } else {
    sentences.push(
      `Pooled estimate (${modelName(pooled)}, k = ${pooled.k}): ${formatNumber(pooled.estimate)}, ` +
        `95% confidence interval ${formatNumber(pooled.ciLower)} to ${formatNumber(pooled.ciUpper)}, ` +
        `${formatP(pooled.pValue)}.`,
    );
    const stats = heterogeneityStats(pooled);
    if (stats !== '') sentences.push(`Heterogeneity: ${stats}.`);
    if (hasPredictionInterval(pooled)) {
      sentences.push(
        `95% prediction interval ${formatNumber(pooled.predictionLower ?? Number.NaN)} to ` +
          `${formatNumber(pooled.predictionUpper ?? Number.NaN)}.`,
      );
    }
  }
  for (const note of input.notes ?? []) sentences.push(`Note: ${note}`);
  return sentences.join(' ');
}
