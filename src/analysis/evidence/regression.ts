import { dummyColumns, interceptColumn } from '../../domain/evidence/design';
import { type DesignColumn, metaRegression } from '../../domain/evidence/meta-regression';
import { CannotPoolError } from '../../domain/meta-analysis';
import type { CategoricalModerator } from '../../filters/facets';
import type { MetaAnalysis } from '../meta-analysis/schemas';
import { type EvidenceBase, evidenceContext } from './evidence-base';
import type { StudyFacts } from './study-facts';

export const CONTINUOUS_MODERATORS = [
  'cellsPerKg',
  'cells',
  'administrations',
  'timepointMonths',
  'startYear',
  'meanAge',
  'meanTScore',
] as const;
export type ContinuousModerator = (typeof CONTINUOUS_MODERATORS)[number];
export type Moderator = ContinuousModerator | CategoricalModerator;

type Study = MetaAnalysis['studies'][number];

/**
 * A study's value of a moderator: the cell-therapy arms' dose (their n-weighted mean, combined
 * as the comparison combines them), the compared timepoint, or its trial's start year and baseline;
 * categorical ones from the compared arms or the trial. NOT_REPORTED counts as missing; MIXED
 * means the combined arms disagree.
 */
function moderatorValue(
  study: Study,
  facts: StudyFacts | undefined,
  moderator: Moderator,
): number | string | null {
  switch (moderator) {
    case 'cellsPerKg':
    case 'cells':
    case 'administrations':
      return study[moderator];
    case 'timepointMonths':
      return study.timepointMonths;
    case 'startYear':
    case 'meanAge':
    case 'meanTScore':
    case 'population':
    case 'allocation':
      return facts?.[moderator] ?? null;
    case 'riskOfBias':
      return study.riskOfBias;
    default: {
      const value = study[moderator];
      return value === 'NOT_REPORTED' ? null : value;
    }
  }
}

const isContinuous = (m: Moderator): m is ContinuousModerator =>
  (CONTINUOUS_MODERATORS as readonly string[]).includes(m);

export interface RegressionExclusion {
  trialId: string;
  title: string;
  reason: 'MODERATOR_NOT_REPORTED' | 'MODERATOR_MIXED';
  detail: string;
}

/**
 * metafor's rma(yi, vi, mods = ~ …) on the pooled studies that report every requested moderator;
 * the others are listed with a reason. A categorical moderator is dummy-coded against its first
 * level in code-point order (R's factor() under LC_COLLATE=C); redundant terms are dropped with a
 * warning, as metafor does; too few studies for the terms is an answer with a reason, not an error.
 */
export function regressionAnswer(base: EvidenceBase, moderators: readonly Moderator[]) {
  const { analysis, facts, options } = base;
  const context = evidenceContext(base);
  const excluded: RegressionExclusion[] = [];
  const kept: { study: Study; values: (number | string)[] }[] = [];
  for (const study of analysis.studies) {
    const values = moderators.map((m) => moderatorValue(study, facts.get(study.trialId), m));
    const missing = moderators.filter((_, i) => values[i] === null || values[i] === undefined);
    const mixed = moderators.filter((_, i) => values[i] === 'MIXED');
    if (missing.length)
      excluded.push({
        ...idOf(study),
        reason: 'MODERATOR_NOT_REPORTED',
        detail: `No ${missing.join(', ')}.`,
      });
    else if (mixed.length)
      excluded.push({
        ...idOf(study),
        reason: 'MODERATOR_MIXED',
        detail: `The combined cell-therapy arms differ in ${mixed.join(', ')}.`,
      });
    else kept.push({ study, values: values as (number | string)[] });
  }

  const k = kept.length;
  const columns: DesignColumn[] = [interceptColumn(k)];
  moderators.forEach((moderator, j) => {
    const values = kept.map((row) => row.values[j] as number | string);
    if (isContinuous(moderator)) columns.push({ term: moderator, values: values as number[] });
    else columns.push(...dummyColumns(moderator, values.map(String)).columns);
  });

  const answer = { ...context, k, moderators: [...moderators], excluded };
  try {
    const fit = metaRegression(
      kept.map(({ study }) => ({ yi: study.yi, vi: study.vi })),
      columns,
      options,
    );
    const { droppedTerms, k: _k, ...result } = fit;
    const warnings = droppedTerms.length
      ? [
          ...context.warnings,
          {
            code: 'REDUNDANT_TERMS_DROPPED',
            message: `Dropped because earlier terms already determine them (as metafor does): ${droppedTerms.join(', ')}.`,
          },
        ]
      : context.warnings;
    return { ...answer, warnings, ...result, droppedTerms, reason: null };
  } catch (error) {
    if (!(error instanceof CannotPoolError)) throw error;
    return {
      ...answer,
      ...EMPTY_FIT,
      method: options.method,
      test: options.test,
      reason: `${error.message}.`,
    };
  }
}

const idOf = (study: Study) => ({ trialId: study.trialId, title: study.title });

const EMPTY_FIT = {
  coefficients: [],
  droppedTerms: [],
  tau2: null,
  i2: null,
  h2: null,
  r2: null,
  qm: null,
  qmDf: null,
  qmDfResidual: null,
  qmPValue: null,
  qe: null,
  qeDf: null,
  qePValue: null,
};
