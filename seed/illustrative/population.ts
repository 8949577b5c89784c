import { type Draw, round, tableOf } from './random';
import type { Population, TrialInputLike } from './types';

const POPULATION = tableOf<Population>({
  POSTMENOPAUSAL: 45,
  AGE_RELATED: 15,
  GLUCOCORTICOID_INDUCED: 8,
  MALE: 6,
  SECONDARY_OTHER: 6,
  MIXED: 12,
  NOT_REPORTED: 8,
});

/** Plausible mean ages at baseline, [lo, hi] years. */
const AGE_RANGE: Record<Population, [number, number]> = {
  POSTMENOPAUSAL: [58, 70],
  AGE_RELATED: [68, 80],
  GLUCOCORTICOID_INDUCED: [45, 65],
  MALE: [60, 75],
  SECONDARY_OTHER: [45, 65],
  MIXED: [60, 72],
  NOT_REPORTED: [55, 72],
};

/** The population studied and, for most records, its mean age and T-score at baseline. */
export function drawPopulation(d: Draw): { population: Population; baseline: TrialInputLike['baseline'] } {
  const population = d.from(POPULATION);
  const [ageLo, ageHi] = AGE_RANGE[population];
  const baseline = d.chance(0.6)
    ? {
        meanAge: round(d.between(ageLo, ageHi), 1),
        meanTScore: round(d.between(-3.6, -2.5), 2),
        note: 'Illustrative baseline values.',
      }
    : null;
  return { population, baseline };
}
