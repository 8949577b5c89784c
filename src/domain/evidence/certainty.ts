import { normalCritical } from '../meta-analysis/distributions';

/**
 * A GRADE-style certainty suggestion for one pooled outcome, by fixed, documented rules, so the same
 * evidence always gets the same suggestion and a reviewer can see exactly why. It is a starting
 * point for the reviewers' own judgement, never a substitute for it.
 */
export type Certainty = 'HIGH' | 'MODERATE' | 'LOW' | 'VERY_LOW';
const LEVELS: Certainty[] = ['VERY_LOW', 'LOW', 'MODERATE', 'HIGH'];

export interface Domain {
  downgrade: 0 | 1 | 2;
  reason: string;
}

export interface CertaintyStudy {
  /** Percent of the pooled weight. */
  weight: number;
  riskOfBias: string;
  allocation: string | null;
  population: string | null;
  participants: number;
}

export interface CertaintyInput {
  studies: readonly CertaintyStudy[];
  ciLower: number;
  ciUpper: number;
  i2: number | null;
  predictionLower: number;
  predictionUpper: number;
  /** Egger's test p-value, when it could be computed. */
  eggerP: number | null;
}

export interface CertaintyAssessment {
  certainty: Certainty;
  start: 'HIGH' | 'LOW';
  domains: {
    riskOfBias: Domain;
    inconsistency: Domain;
    indirectness: Domain;
    imprecision: Domain;
    publicationBias: Domain;
  };
}

const HIGH_RISK = new Set(['HIGH', 'SERIOUS', 'CRITICAL']);
/** Egger's test is not read below this many studies (Cochrane Handbook 13.3.5.4). */
export const MIN_STUDIES_FOR_PUBLICATION_BIAS = 10;
/** Egger's p below this counts as evidence of small-study effects (the test's usual 10% level). */
const EGGER_ALPHA = 0.1;

/**
 * The optimal information size: participants a single trial needs to detect a small standardised
 * difference (0.2 SD) with two-sided α = 0.05 and 80% power, 2·⌈2(z₀.₉₇₅ + z₀.₈₀)²/0.2²⌉ = 786.
 */
export const OPTIMAL_INFORMATION_SIZE =
  2 * Math.ceil((2 * (normalCritical(0.95) + normalCritical(0.6)) ** 2) / 0.2 ** 2);

const percent = (x: number) => `${Math.round(x)}%`;

function riskOfBias(studies: readonly CertaintyStudy[]): Domain {
  const share = (keep: (s: CertaintyStudy) => boolean) =>
    studies.filter(keep).reduce((sum, s) => sum + s.weight, 0);
  const high = share((s) => HIGH_RISK.has(s.riskOfBias));
  const unassessed = share((s) => s.riskOfBias === 'NOT_ASSESSED');
  const said = `${percent(high)} of the weight from trials at high risk of bias, ${percent(unassessed)} not assessed`;
  if (high > 50) return { downgrade: 2, reason: `${said}: more than half at high risk.` };
  if (high + unassessed > 25)
    return { downgrade: 1, reason: `${said}: more than a quarter at high risk or unassessed.` };
  return { downgrade: 0, reason: `${said}.` };
}

function inconsistency(input: CertaintyInput, k: number): Domain {
  if (k < 2 || input.i2 === null)
    return { downgrade: 0, reason: 'A single study: inconsistency cannot be assessed.' };
  const piBoth = input.predictionLower < 0 && input.predictionUpper > 0;
  const ciBoth = input.ciLower < 0 && input.ciUpper > 0;
  const said = `I² = ${percent(input.i2)}; the 95% prediction interval ${piBoth ? 'includes' : 'excludes'} no effect`;
  if (input.i2 >= 75 && piBoth) return { downgrade: 2, reason: `${said}: considerable heterogeneity.` };
  if (input.i2 >= 50 || (piBoth && !ciBoth))
    return {
      downgrade: 1,
      reason: `${said}: substantial heterogeneity, or effects that may differ in direction.`,
    };
  return { downgrade: 0, reason: `${said}.` };
}

function imprecision(input: CertaintyInput): Domain {
  const participants = input.studies.reduce((sum, s) => sum + s.participants, 0);
  const includesNull = input.ciLower <= 0 && input.ciUpper >= 0;
  const small = participants < OPTIMAL_INFORMATION_SIZE;
  const parts = [
    includesNull ? 'the 95% CI includes no effect' : 'the 95% CI excludes no effect',
    `${participants} participants ${small ? 'below' : 'reach'} the optimal information size of ${OPTIMAL_INFORMATION_SIZE}`,
  ];
  const downgrade = ((includesNull ? 1 : 0) + (small ? 1 : 0)) as 0 | 1 | 2;
  return { downgrade, reason: `${parts.join('; ')}.` };
}

function publicationBias(input: CertaintyInput, k: number): Domain {
  if (k < MIN_STUDIES_FOR_PUBLICATION_BIAS || input.eggerP === null)
    return {
      downgrade: 0,
      reason: `Fewer than ${MIN_STUDIES_FOR_PUBLICATION_BIAS} studies: small-study effects cannot be assessed reliably.`,
    };
  const p = input.eggerP.toPrecision(2);
  if (input.eggerP < EGGER_ALPHA) return { downgrade: 1, reason: `Egger's test p = ${p} < ${EGGER_ALPHA}.` };
  return { downgrade: 0, reason: `Egger's test p = ${p}.` };
}

function indirectness(studies: readonly CertaintyStudy[]): Domain {
  const populations = new Set(studies.map((s) => s.population ?? 'NOT_REPORTED'));
  if (populations.size > 1 || populations.has('MIXED'))
    return {
      downgrade: 1,
      reason: `The studies' populations mix (${[...populations].sort().join(', ')}).`,
    };
  return {
    downgrade: 0,
    reason: 'One population; whether it matches the question is left to the reviewers.',
  };
}

/**
 * Starts HIGH when every study is randomised, else LOW, and downgrades by each domain's rule:
 * risk of bias (the pooled weight from trials at HIGH/SERIOUS/CRITICAL risk: more than half −2;
 * with unassessed trials, more than a quarter −1), inconsistency (I² ≥ 75% with a prediction interval
 * spanning no effect −2; I² ≥ 50%, or a prediction interval spanning no effect when the CI does not,
 * −1), indirectness (populations that mix −1; otherwise left to the reviewers), imprecision (−1 for a
 * CI that includes no effect, −1 for fewer participants than the optimal information size), and
 * publication bias (from 10 studies, Egger's p < 0.10 −1). The certainty never falls below VERY_LOW.
 */
export function assessCertainty(input: CertaintyInput): CertaintyAssessment {
  const k = input.studies.length;
  const randomised = k > 0 && input.studies.every((s) => s.allocation === 'RANDOMIZED');
  const start = randomised ? 'HIGH' : 'LOW';
  const domains = {
    riskOfBias: riskOfBias(input.studies),
    inconsistency: inconsistency(input, k),
    indirectness: indirectness(input.studies),
    imprecision: imprecision(input),
    publicationBias: publicationBias(input, k),
  };
  const total = Object.values(domains).reduce((sum, d) => sum + d.downgrade, 0);
  const level = Math.max(0, LEVELS.indexOf(start) - total);
  return { certainty: LEVELS[level] ?? 'VERY_LOW', start, domains };
}
