import { vocabularies } from '../vocabularies';
import type { EffectMeasure } from './controlled-comparison';
import type { ForestPlotInput } from './forest-plot';
import type { MetaAnalysisReport } from './meta-analysis-report';

export interface ForestContext {
  site: string;
  metric: string;
  method: string | null;
  effect: EffectMeasure;
  /** How many selected trials were left out (the answer lists only the first of them). */
  excludedTotal: number;
}

const label = (name: 'site' | 'metric' | 'method', value: string): string =>
  (vocabularies[name].labels as Record<string, string>)[value] ?? value;

const EFFECT_LABELS: Record<EffectMeasure, string> = {
  MD: 'Mean difference',
  SMD: 'Standardised mean difference (Hedges’ g)',
};

/** The forest plot of a controlled BMD meta-analysis: one row per trial and the pooled diamond. */
export function forestPlotInput(report: MetaAnalysisReport, ctx: ForestContext): ForestPlotInput {
  const site = label('site', ctx.site);
  const metric = label('metric', ctx.metric).toLowerCase();
  const method = ctx.method === null ? '' : ` (${ctx.method})`;
  const excluded = ctx.excludedTotal;
  return {
    title: `${site} BMD, cell therapy vs control`,
    effectLabel: `${EFFECT_LABELS[ctx.effect]} in ${metric}, ${site.toLowerCase()}${method}`,
    studies: report.studies.map((s) => ({
      label: s.title,
      id: s.trialId,
      estimate: s.yi,
      ciLower: s.ciLower,
      ciUpper: s.ciUpper,
      weight: s.weight ?? 0,
      timepointMonths: s.timepointMonths,
    })),
    pooled: report.pooled,
    notes: [
      ...report.warnings.map((w) => w.message),
      ...(excluded > 0
        ? [
            `${excluded} selected trial${excluded === 1 ? ' was' : 's were'} left out; the JSON answer says why.`,
          ]
        : []),
      ...(report.pooled === null && report.pooledReason ? [report.pooledReason] : []),
    ],
    favoursLeft: 'Favours control',
    favoursRight: 'Favours cell therapy',
  };
}
