import { ProblemDetails } from '../plugins/problem-details';

/** What every aggregate answers when it cannot run now: added to each analysis route's responses. */
export const ANALYSIS_ERRORS = {
  503: ProblemDetails.meta({
    description:
      'No analysis now: ANALYSIS_QUEUE_MAX analyses are already waiting (`type` ending `analysis-queue-full`), ' +
      'or this one ran longer than ANALYSIS_TIMEOUT_MS and was stopped (`analysis-timeout`); or the server ' +
      'is overloaded. Retry after `Retry-After` seconds; an answer computed before comes from the cache.',
  }),
};
