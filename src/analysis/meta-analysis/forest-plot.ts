import { forestPlotInput } from '../../domain/controlled-forest';
import { renderForestPlot } from '../../domain/forest-plot';
import type { MetaAnalysis } from './schemas';

/** The analysis drawn as a standalone SVG forest plot, its exclusions and warnings noted under it. */
export function forestPlotSvg(analysis: MetaAnalysis): string {
  return renderForestPlot(
    forestPlotInput(analysis, {
      site: analysis.site,
      metric: analysis.metric,
      method: analysis.method,
      effect: analysis.effect,
      excludedTotal: analysis.excludedTotal,
    }),
  );
}
