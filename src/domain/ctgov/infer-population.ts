import type { Vocab } from '../../vocabularies';
import { obj, strings } from './json';

/**
 * The population is inferred only from the record's conditions and keywords, and only when they
 * name osteoporosis (or osteopenia) at all, so a breast-cancer trial in postmenopausal women is not
 * filed as postmenopausal osteoporosis. Rules (see README.md):
 *   POSTMENOPAUSAL          "postmenopausal", "post-menopausal"
 *   GLUCOCORTICOID_INDUCED  "glucocorticoid-induced", "corticosteroid-induced", "steroid-induced",
 *                           "glucocorticoid osteoporosis"
 *   MALE                    "male osteoporosis", "osteoporosis in men", "Osteoporosis, Male",
 *                           "men with osteoporosis"
 * One rule matching gives that population, several give MIXED, none gives NOT_REPORTED.
 */
const ABOUT_OSTEOPOROSIS = /osteopor|osteopeni/i;

const RULES: [Vocab<'population'>, RegExp][] = [
  ['POSTMENOPAUSAL', /\bpost-?\s?menopaus/i],
  [
    'GLUCOCORTICOID_INDUCED',
    /\b(?:gluco)?cortico(?:id|steroid)s?[- ]induced|\bsteroid[- ]induced|\bglucocorticoid osteopor/i,
  ],
  ['MALE', /\bmale osteopor|\bosteoporosis,? (?:in )?(?:men|males?)\b|\b(?:men|males) with osteopor/i],
];

export function inferPopulation(conditionsModule: unknown): Vocab<'population'> {
  const module = obj(conditionsModule);
  const terms = [...strings(module.conditions), ...strings(module.keywords)];
  if (!terms.some((term) => ABOUT_OSTEOPOROSIS.test(term))) return 'NOT_REPORTED';
  const matched = RULES.filter(([, pattern]) => terms.some((term) => pattern.test(term))).map(
    ([value]) => value,
  );
  if (matched.length === 1) return matched[0] as Vocab<'population'>;
  return matched.length > 1 ? 'MIXED' : 'NOT_REPORTED';
}
