import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forestPlotSvg } from '../../analysis/meta-analysis/forest-plot';
import {
  ForestPlotQuery,
  MetaAnalysis,
  MetaAnalysisQuery,
  type StudyPage,
} from '../../analysis/meta-analysis/schemas';
import { studiesToCsv } from '../../analysis/meta-analysis/studies-csv';
import { ANALYSIS_ERRORS } from '../analysis-responses';
import { sendCsv, sendJsonText, wantsCsv } from '../list-support';
import { evidenceRoutes } from './evidence-routes';

const ANALYSIS =
  'Within each selected trial, its cell-therapy arm(s) (those matching the cell-arm filters) against its ' +
  'control arm (the non-cell arm; `comparator` narrows), at one `site` and `metric`. Per trial the latest ' +
  'timepoint in [timepointMin, timepointMax] (after baseline) at which both report the same site, metric, ' +
  'method and statistic is used; ties prefer a reported SD, then the lowest result id. Several cell-therapy ' +
  'arms are combined into one group (Cochrane Handbook Table 6.5.a), the control counted once. Medians are ' +
  'never pooled. Pooling never mixes measurement methods: with none or several given in `method`, DXA is ' +
  'used when any trial offers a DXA comparison, else QCT, OTHER, NOT_REPORTED in that order, and trials ' +
  'comparable only by another method are excluded as OTHER_METHOD. Every selected trial not pooled is in ' +
  '`excluded` with a reason: NO_CELL_ARM, NO_CONTROL_ARM, MULTIPLE_CONTROLS, NO_COMMON_TIMEPOINT, ' +
  'OTHER_METHOD, MEDIAN_ONLY, NO_SD, EFFECT_NOT_ESTIMABLE.\n\n' +
  '`method` carries both vocabularies: measurement methods filter (DXA, QCT, OTHER, NOT_REPORTED) and one ' +
  'τ² estimator value (REML default, DL, PM, EE) chooses the model, e.g. `method=DXA,DL`. With k = 0, ' +
  '`pooled` is null and `pooledReason` says why; with k = 1 there is no heterogeneity to report.';

export default async function metaAnalysisRoutes(app: FastifyInstance) {
  const { analyses } = app;
  /**
   * One analysis serves its CSV and forest plot (every study) and each JSON page of its studies;
   * each is cached until the next write.
   */
  const task = (query: ForestPlotQuery & Partial<StudyPage>) => ({ kind: 'meta-analysis' as const, query });

  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/meta-analyses/bmd',
    {
      schema: {
        operationId: 'getBmdMetaAnalysis',
        tags: ['meta-analyses'],
        summary: 'Cell therapy vs control: BMD meta-analysis',
        description: `${ANALYSIS}\n\n\`format=csv\` (or \`Accept: text/csv\`) returns the study table with yi/vi columns for metafor: \`rma(yi, vi, data = read.csv(…))\`, every study; a JSON answer lists the page of studies \`studiesOffset\` and \`studiesLimit\` ask for (the first 1,000 by default) and counts them all in \`studiesTotal\`.`,
        querystring: MetaAnalysisQuery,
        response: {
          200: MetaAnalysis.meta({ description: 'The analysis. With CSV, text/csv: one row per study.' }),
          ...ANALYSIS_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const { format, studiesLimit, studiesOffset, ...query } = request.query;
      if (wantsCsv(request, format)) {
        const analysis = await analyses.value<MetaAnalysis>(task(query));
        return sendCsv(reply, studiesToCsv(analysis), 'meta-analysis.csv');
      }
      return sendJsonText(reply, await analyses.json(task({ ...query, studiesLimit, studiesOffset })));
    },
  );

  r.get(
    '/meta-analyses/bmd/forest.svg',
    {
      schema: {
        operationId: 'getBmdForestPlot',
        tags: ['meta-analyses'],
        summary: 'The BMD meta-analysis as a forest plot',
        description: `The same analysis as \`GET /meta-analyses/bmd\`, drawn: one row per trial (effect, 95% CI, weight) and the pooled diamond with its prediction interval. Warnings and exclusions are noted under the plot.\n\n${ANALYSIS}`,
        querystring: ForestPlotQuery,
        produces: ['image/svg+xml'],
        response: {
          200: z.string().meta({ description: 'A standalone SVG document (image/svg+xml).' }),
          ...ANALYSIS_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const svg = forestPlotSvg(await analyses.value<MetaAnalysis>(task(request.query)));
      return reply.type('image/svg+xml; charset=utf-8').send(svg);
    },
  );

  evidenceRoutes(app);
}
