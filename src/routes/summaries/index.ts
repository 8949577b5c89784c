import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BmdChangeQuery, BmdChangeSummary, CountsQuery, FacetCounts } from '../../analysis/summaries/schemas';
import { ANALYSIS_ERRORS } from '../analysis-responses';
import { sendJsonText } from '../list-support';

export default async function summaryRoutes(app: FastifyInstance) {
  const { analyses } = app;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/summaries/counts',
    {
      schema: {
        operationId: 'getFacetCounts',
        tags: ['summaries'],
        summary: 'Facet counts of the selected trials',
        description:
          'For each facet asked for (all when `facets` is omitted), its values and how many selected trials ' +
          'have each; a trial counts once per distinct value. The filters select trials as on `GET /trials`. ' +
          'Arm facets (cellSource, cellType, donor, route) count the cell-therapy arms that match every ' +
          'cell-arm filter; comparator counts control arms; armType all arms (narrowed by `armType`); ' +
          'site, metric and method the results matching the result filters. riskOfBias is NOT_ASSESSED ' +
          'when no judgement was made; other unreported values are null.',
        querystring: CountsQuery,
        response: { 200: FacetCounts, ...ANALYSIS_ERRORS },
      },
    },
    async (request, reply) =>
      sendJsonText(reply, await analyses.json({ kind: 'counts', query: request.query })),
  );

  r.get(
    '/summaries/bmd-change',
    {
      schema: {
        operationId: 'getBmdChangeSummary',
        tags: ['summaries'],
        summary: 'Within-arm BMD change, described and pooled',
        description:
          'Cell-therapy arms only (`armType` narrows them), change metrics only (PERCENT_CHANGE, ' +
          'ABSOLUTE_CHANGE, T_SCORE_CHANGE). Here the filters select arms and results themselves. Per arm ' +
          'and site, metric, method and statistic, the latest result after baseline inside ' +
          '[timepointMin, timepointMax] is used (ties: a reported SD, then a derived one, then the lowest ' +
          'result id); bmdChangeMin/Max then apply to its mean. Groups are keyed by site, metric, method and ' +
          'statistic (so pooled numbers never mix them) plus each `groupBy` facet. Medians are never ' +
          'summarised or pooled: they are left out with a MEDIAN_NOT_POOLED warning.\n\n' +
          '`pooled` pools the arm means by random effects with vᵢ = sdᵢ²/nᵢ (metafor `rma(measure="MN")`) over ' +
          'the arms with an SD; it is null, with `pooledReason`, when none has one. `method` carries both ' +
          'vocabularies: measurement methods filter (DXA, QCT, OTHER, NOT_REPORTED) and one τ² estimator ' +
          'value (REML default, DL, PM, EE) chooses the model, e.g. `method=DXA,PM`.',
        querystring: BmdChangeQuery,
        response: { 200: BmdChangeSummary, ...ANALYSIS_ERRORS },
      },
    },
    async (request, reply) =>
      sendJsonText(reply, await analyses.json({ kind: 'bmd-change', query: request.query })),
  );
}
