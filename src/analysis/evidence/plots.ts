import { renderForestPlot } from '../../domain/forest-plot';
import { renderFunnelPlot } from '../../domain/funnel-plot/render';
import { vocabularies } from '../../vocabularies';
import type { MetaAnalysis } from '../meta-analysis/schemas';
import type { cumulativeAnswer } from './cumulative';
import type { smallStudyEffectsAnswer } from './small-study-effects';

type CumulativeAnswer = ReturnType<typeof cumulativeAnswer>;
type SmallStudyAnswer = ReturnType<typeof smallStudyEffectsAnswer>;

const siteLabel = (site: string) => (vocabularies.site.labels as Record<string, string>)[site] ?? site;
const effectName = (effect: 'MD' | 'SMD') => (effect === 'MD' ? 'Mean difference' : 'Hedges’ g');

/**
 * The cumulative meta-analysis drawn as a forest plot: row j is the pooled estimate and 95% CI
 * once the j-th trial (by start date) is added, so the reader sees the evidence settle.
 */
export function cumulativeSvg(answer: CumulativeAnswer): string {
  const rows = answer.steps.filter((s) => s.pooled !== null);
  const last = rows.at(-1)?.pooled ?? null;
  return renderForestPlot({
    columns: { study: 'Trial added (start date)', weight: 'Studies' },
    title: `Cumulative meta-analysis: ${siteLabel(answer.site)} BMD, cell therapy vs control`,
    effectLabel: `${effectName(answer.effect)} as each trial is added (by start date)`,
    studies: rows.map((step, j) => ({
      // The date first, so a long title is cut rather than the date.
      label: `${step.startDate ?? 'undated'}: ${step.title}`,
      estimate: step.pooled?.estimate ?? 0,
      ciLower: step.pooled?.ciLower ?? 0,
      ciUpper: step.pooled?.ciUpper ?? 0,
      // The share of the studies pooled by this step.
      weight: (100 * (j + 1)) / rows.length,
    })),
    pooled: last,
    notes: answer.warnings.map((w) => w.message),
    favoursLeft: 'Favours control',
    favoursRight: 'Favours cell therapy',
  });
}

/** The funnel of the pooled studies, with trim-and-fill's studies hollow and the centre at its estimate. */
export function funnelSvg(analysis: MetaAnalysis, smallStudy: SmallStudyAnswer): string {
  const filled = smallStudy.trimFill?.filled ?? [];
  const centre = smallStudy.trimFill?.pooled.estimate ?? analysis.pooled?.estimate ?? 0;
  const notes = [
    ...smallStudy.warnings.map((w) => w.message),
    ...(filled.length
      ? [
          `Hollow circles: ${filled.length} studies trim-and-fill estimates missing; they are not real trials.`,
        ]
      : []),
  ];
  return renderFunnelPlot({
    title: `Funnel plot: ${siteLabel(analysis.site)} BMD, cell therapy vs control`,
    effectLabel: `${effectName(analysis.effect)} (pseudo 95% limits dashed)`,
    studies: analysis.studies.map((s) => ({ yi: s.yi, se: s.se })),
    filled: filled.map((f) => ({ yi: f.yi, se: Math.sqrt(f.vi) })),
    centre,
    notes,
  });
}
