import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { cumulativeAnswer } from '../../analysis/evidence/cumulative';
import { cumulativeSvg, funnelSvg } from '../../analysis/evidence/plots';
import {
  Cumulative,
  LeaveOneOut,
  MetaRegression,
  RegressionQuery,
  SmallStudyEffects,
  SummaryOfFindings,
  SummaryOfFindingsQuery,
} from '../../analysis/evidence/schemas';
import type { smallStudyEffectsAnswer } from '../../analysis/evidence/small-study-effects';
import type { runSummaryOfFindings } from '../../analysis/evidence/summary-of-findings';
import { summaryOfFindingsCsv } from '../../analysis/evidence/summary-of-findings-csv';
import { ForestPlotQuery, type MetaAnalysis } from '../../analysis/meta-analysis/schemas';
import { ANALYSIS_ERRORS } from '../analysis-responses';
import { sendCsv, sendJsonText, wantsCsv } from '../list-support';

const SAME_STUDIES =
  'Runs on exactly the studies `GET /meta-analyses/bmd` pools for the same query (same selection, timepoint ' +
  'rule, effect sizes and exclusions), with the same `method` (τ² estimator) and `test`.';

const svg = z.string().meta({ description: 'A standalone SVG document (image/svg+xml).' });

/** The analyses a reviewer publishes around the pooled estimate: sensitivity and small-study effects. */
export function evidenceRoutes(app: FastifyInstance) {
  const { analyses } = app;
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** A JSON analysis of the meta-analysis query, answered from the analysis runner as it is. */
  const analysisJson = (
    path: string,
    kind: 'leave-one-out' | 'cumulative' | 'small-study-effects',
    doc: { operationId: string; summary: string; description: string; response: z.ZodType },
  ) =>
    r.get(
      path,
      {
        schema: {
          operationId: doc.operationId,
          tags: ['meta-analyses'],
          summary: doc.summary,
          description: doc.description,
          querystring: ForestPlotQuery,
          response: { 200: doc.response, ...ANALYSIS_ERRORS },
        },
      },
      async (request, reply) => sendJsonText(reply, await analyses.json({ kind, query: request.query })),
    );

  analysisJson('/meta-analyses/bmd/leave-one-out', 'leave-one-out', {
    operationId: 'getBmdLeaveOneOut',
    summary: 'Leave-one-out sensitivity analysis',
    description: `Each study's influence: the pool with each study left out in turn (metafor \`leave1out\`). ${SAME_STUDIES} At most ANALYSIS_MAX_STUDIES studies.`,
    response: LeaveOneOut,
  });

  analysisJson('/meta-analyses/bmd/cumulative', 'cumulative', {
    operationId: 'getBmdCumulativeMetaAnalysis',
    summary: 'Cumulative meta-analysis by start date',
    description: `How the evidence grew: step j pools the first j trials by start date (metafor \`cumul\`), ties by trial id, undated trials last. ${SAME_STUDIES} At most ANALYSIS_MAX_STUDIES studies.`,
    response: Cumulative,
  });

  r.get(
    '/meta-analyses/bmd/cumulative.svg',
    {
      schema: {
        operationId: 'getBmdCumulativePlot',
        tags: ['meta-analyses'],
        summary: 'The cumulative meta-analysis drawn',
        description: `One row per step: the pooled estimate and 95% CI once that trial is added. ${SAME_STUDIES}`,
        querystring: ForestPlotQuery,
        produces: ['image/svg+xml'],
        response: { 200: svg, ...ANALYSIS_ERRORS },
      },
    },
    async (request, reply) => {
      const answer = await analyses.value<ReturnType<typeof cumulativeAnswer>>({
        kind: 'cumulative',
        query: request.query,
      });
      return reply.type('image/svg+xml; charset=utf-8').send(cumulativeSvg(answer));
    },
  );

  analysisJson('/meta-analyses/bmd/small-study-effects', 'small-study-effects', {
    operationId: 'getBmdSmallStudyEffects',
    summary: 'Small-study effects: Egger, Begg, trim-and-fill',
    description:
      'Egger’s regression test (metafor `regtest(model = "lm")`: weighted regression on the standard error ' +
      'with multiplicative dispersion, the same whatever `method`), Begg’s rank correlation (`ranktest`: exact ' +
      'p when k < 50 and no ties, else the normal approximation) and trim-and-fill (`trimfill`, estimator L0, ' +
      'side from a regression on √vᵢ, every step fitted with the requested estimator, as metafor does it). ' +
      `Below 10 studies each still answers, with a FEW_STUDIES_FOR_SMALL_STUDY_TESTS warning. ${SAME_STUDIES}`,
    response: SmallStudyEffects,
  });

  r.get(
    '/meta-analyses/bmd/funnel.svg',
    {
      schema: {
        operationId: 'getBmdFunnelPlot',
        tags: ['meta-analyses'],
        summary: 'Funnel plot',
        description: `Each study's effect against its standard error with pseudo 95% limits; trim-and-fill's studies hollow. ${SAME_STUDIES}`,
        querystring: ForestPlotQuery,
        produces: ['image/svg+xml'],
        response: { 200: svg, ...ANALYSIS_ERRORS },
      },
    },
    async (request, reply) => {
      const [analysis, smallStudy] = await Promise.all([
        analyses.value<MetaAnalysis>({ kind: 'meta-analysis', query: request.query }),
        analyses.value<ReturnType<typeof smallStudyEffectsAnswer>>({
          kind: 'small-study-effects',
          query: request.query,
        }),
      ]);
      return reply.type('image/svg+xml; charset=utf-8').send(funnelSvg(analysis, smallStudy));
    },
  );

  r.get(
    '/meta-analyses/bmd/regression',
    {
      schema: {
        operationId: 'getBmdMetaRegression',
        tags: ['meta-analyses'],
        summary: 'Meta-regression on dose, timepoint, year, baseline and facets',
        description:
          'metafor `rma(yi, vi, mods = ~ …)` on the pooled studies that report every requested moderator (the others ' +
          'are in `excluded`: MODERATOR_NOT_REPORTED, or MODERATOR_MIXED when combined cell-therapy arms differ). ' +
          'Coefficients with z tests, or t on k − p df under `test=knha`; QM is χ² on m df, or metafor’s F on ' +
          '(m, k − p) df under Knapp–Hartung; QE tests residual heterogeneity; R² is metafor’s pseudo R². ' +
          `Redundant terms are dropped with a warning; k ≤ p answers with a \`reason\`. ${SAME_STUDIES} ` +
          'At most ANALYSIS_MAX_STUDIES studies.',
        querystring: RegressionQuery,
        response: { 200: MetaRegression, ...ANALYSIS_ERRORS },
      },
    },
    async (request, reply) =>
      sendJsonText(reply, await analyses.json({ kind: 'regression', query: request.query })),
  );

  r.get(
    '/meta-analyses/bmd/summary-of-findings',
    {
      schema: {
        operationId: 'getBmdSummaryOfFindings',
        tags: ['meta-analyses'],
        summary: 'Summary of findings with suggested certainty (GRADE-style)',
        description:
          'One row per site × metric × method the selected trials report (outcomes with no usable comparison are ' +
          'left out): the pooled comparison exactly as `GET /meta-analyses/bmd` pools it, and a certainty that ' +
          'starts HIGH when every study is randomised (else LOW) and is downgraded by fixed rules, each with its ' +
          'reason: risk of bias (pooled weight from trials at HIGH/SERIOUS/CRITICAL risk above 50% −2; with ' +
          'unassessed trials above 25% −1), inconsistency (I² ≥ 75% and a prediction interval spanning no effect −2; ' +
          'I² ≥ 50%, or a prediction interval spanning no effect when the CI does not, −1), indirectness (mixed ' +
          'populations −1, otherwise left to the reviewers), imprecision (a CI including no effect −1; fewer ' +
          'participants than the optimal information size, 786 for 0.2 SD at α 0.05 and 80% power, −1), publication ' +
          'bias (from 10 studies, Egger p < 0.10 −1). The ratings are suggestions for reviewers to confirm. ' +
          '`format=csv` gives the table.',
        querystring: SummaryOfFindingsQuery,
        response: {
          200: SummaryOfFindings.meta({ description: 'The table. With CSV, text/csv.' }),
          ...ANALYSIS_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const task = { kind: 'summary-of-findings' as const, query };
      if (!wantsCsv(request, format)) return sendJsonText(reply, await analyses.json(task));
      const answer = await analyses.value<ReturnType<typeof runSummaryOfFindings>>(task);
      return sendCsv(reply, summaryOfFindingsCsv(answer), 'summary-of-findings.csv');
    },
  );
}
