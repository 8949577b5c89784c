import type { Vocab } from '../../vocabularies';

/**
 * What a non-cell arm was compared with, and the background therapy any arm received, from the
 * arm's label and its interventions' names (and other names). Free-text descriptions are not
 * read: they often describe the other arm too ("randomized to placebo or drug").
 *
 * Each name is read on its own: a name that says placebo / sham / dummy / vehicle / saline is a
 * placebo ("Placebo for zoledronic acid" is a placebo, not a bisphosphonate). The arm's comparator
 * is then the first active class named (bisphosphonate, denosumab, teriparatide, romosozumab,
 * hormone therapy), else PLACEBO, else CALCIUM_VITAMIN_D, else STANDARD_CARE, else NONE for a
 * NO_INTERVENTION arm, else null. The other non-placebo classes named are cointerventions.
 */
const PLACEBO_NAME = /\b(?:placebo|sham|dummy|vehicle|saline)\b/i;

const CLASS_RULES: [Vocab<'comparator'>, RegExp][] = [
  ['BISPHOSPHONATE', /zoledron|alendron|risedron|ibandron|pamidron|etidron|minodron|bisphosphonate/i],
  ['DENOSUMAB', /denosumab|\bprolia\b/i],
  ['TERIPARATIDE', /teriparatide|\bforteo\b|\bforsteo\b/i],
  ['ROMOSOZUMAB', /romosozumab|\bevenity\b/i],
  ['HORMONE_THERAPY', /hormone replacement|\bHRT\b|\bo?estrogens?\b|\bestradiol\b/i],
  [
    'CALCIUM_VITAMIN_D',
    /\bcalcium\b|\bvitamin d\d?\b|cholecalciferol|ergocalciferol|calcitriol|alfacalcidol/i,
  ],
  ['STANDARD_CARE', /\bstandard (?:of )?care\b|\busual care\b/i],
];
const ACTIVE: Vocab<'comparator'>[] = [
  'BISPHOSPHONATE',
  'DENOSUMAB',
  'TERIPARATIDE',
  'ROMOSOZUMAB',
  'HORMONE_THERAPY',
];

export interface ComparatorInference {
  comparator: Vocab<'comparator'> | null;
  cointerventions: Vocab<'comparator'>[];
}

/** The distinct classes named by `names`, each name read on its own, in rule order; placebo names yield PLACEBO only. */
export function classesNamed(names: string[]): Vocab<'comparator'>[] {
  const found = new Set<Vocab<'comparator'>>();
  for (const name of names) {
    if (PLACEBO_NAME.test(name)) {
      found.add('PLACEBO');
      continue;
    }
    for (const [value, pattern] of CLASS_RULES) if (pattern.test(name)) found.add(value);
  }
  return (['PLACEBO', ...CLASS_RULES.map(([value]) => value)] as Vocab<'comparator'>[]).filter((v) =>
    found.has(v),
  );
}

export function inferComparator(names: string[], armType: Vocab<'armType'>): ComparatorInference {
  const found = classesNamed(names);
  const order: Vocab<'comparator'>[] = [...ACTIVE, 'PLACEBO', 'CALCIUM_VITAMIN_D', 'STANDARD_CARE'];
  const comparator =
    order.find((value) => found.includes(value)) ?? (armType === 'NO_INTERVENTION' ? 'NONE' : null);
  return {
    comparator,
    cointerventions: found.filter((value) => value !== comparator && value !== 'PLACEBO'),
  };
}

/** Background therapy of a cell-therapy arm: the classes its other interventions name, placebo excepted. */
export function inferCointerventions(names: string[]): Vocab<'comparator'>[] {
  return classesNamed(names).filter((value) => value !== 'PLACEBO');
}
