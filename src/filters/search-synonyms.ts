/**
 * The field's terms and abbreviations that full-text search (`q`) treats as the same thing. A word
 * or phrase of a query that is one of a group's terms matches any term of that group, and of the
 * groups it names in `includes` (its narrower kinds: "MSC" also finds "BMSC"). Terms match as
 * FTS5 phrases under the porter tokenizer, so each also matches its plural and other forms with
 * the same stem ("bone marrow stromal cell" finds "bone-marrow stromal cells"). Matching a query
 * against the terms ignores case, hyphens and a final plural "s". README.md lists this table.
 */
export interface SynonymGroup {
  /** What the group stands for, for the README and messages. */
  name: string;
  terms: readonly string[];
  /** Names of narrower groups whose terms a query for this group also finds. */
  includes?: readonly string[];
}

export const SEARCH_SYNONYMS: readonly SynonymGroup[] = [
  {
    name: 'mesenchymal stem/stromal cells',
    terms: ['MSC', 'mesenchymal', 'mesenchymal stem cell', 'mesenchymal stromal cell'],
    includes: [
      'bone-marrow MSC',
      'adipose-derived stem cells',
      'umbilical-cord MSC',
      'dental-pulp stem cells',
    ],
  },
  {
    name: 'bone-marrow MSC',
    terms: [
      'BMSC',
      'BM-MSC',
      'bone marrow MSC',
      'bone marrow mesenchymal',
      'bone marrow derived mesenchymal',
      'bone marrow stromal cell',
    ],
  },
  {
    name: 'adipose-derived stem cells',
    terms: [
      'ADSC',
      'AD-MSC',
      'ASC',
      'adipose derived stem cell',
      'adipose derived stromal cell',
      'adipose MSC',
    ],
  },
  {
    name: 'umbilical-cord MSC',
    terms: [
      'UC-MSC',
      'hUC-MSC',
      'UCMSC',
      'umbilical cord MSC',
      'umbilical cord mesenchymal',
      "Wharton's jelly",
      'Wharton jelly',
    ],
  },
  { name: 'dental-pulp stem cells', terms: ['DPSC', 'dental pulp stem cell'] },
  { name: 'stromal vascular fraction', terms: ['SVF', 'stromal vascular fraction'] },
  {
    name: 'mononuclear cells',
    terms: ['MNC', 'mononuclear cell'],
    includes: ['bone-marrow mononuclear cells'],
  },
  { name: 'bone-marrow mononuclear cells', terms: ['BM-MNC', 'BMMNC', 'bone marrow mononuclear cell'] },
  { name: 'induced pluripotent stem cells', terms: ['iPSC', 'iPS cell', 'induced pluripotent stem cell'] },
  {
    name: 'hematopoietic stem cells',
    terms: ['HSC', 'hematopoietic stem cell', 'haematopoietic stem cell'],
  },
  { name: 'cord blood', terms: ['UCB', 'cord blood'] },
  { name: 'extracellular vesicles', terms: ['extracellular vesicle', 'exosome'] },
  { name: 'bone mineral density', terms: ['BMD', 'bone mineral density', 'bone density'] },
  {
    name: 'dual-energy X-ray absorptiometry',
    terms: ['DXA', 'DEXA', 'dual energy X-ray absorptiometry', 'dual energy absorptiometry'],
  },
  { name: 'quantitative computed tomography', terms: ['QCT', 'quantitative computed tomography'] },
  { name: 'ovariectomy', terms: ['OVX', 'ovariectomy', 'ovariectomized', 'ovariectomised'] },
  {
    name: 'glucocorticoid-induced osteoporosis',
    terms: ['GIOP', 'glucocorticoid induced osteoporosis', 'steroid induced osteoporosis'],
  },
  { name: 'postmenopausal osteoporosis', terms: ['PMO', 'postmenopausal osteoporosis'] },
];

/** A word or phrase as matched against the terms: lower case, no diacritics, no hyphens or final plural "s". */
function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((token) =>
      token.length > 3 && token.endsWith('s') && !token.endsWith('ss') ? token.slice(0, -1) : token,
    )
    .join(' ');
}

const GROUP_BY_NAME = new Map(SEARCH_SYNONYMS.map((group) => [group.name, group]));

/** Every term a group finds: its own, then those of the groups it includes (and theirs). */
function termsOf(group: SynonymGroup, seen = new Set<string>()): string[] {
  if (seen.has(group.name)) return [];
  seen.add(group.name);
  const included = (group.includes ?? []).flatMap((name) => {
    const narrower = GROUP_BY_NAME.get(name);
    return narrower ? termsOf(narrower, seen) : [];
  });
  return [...group.terms, ...included];
}

/** Normalised term → every term its group finds. */
const EXPANSIONS = new Map<string, string[]>();
for (const group of SEARCH_SYNONYMS) {
  const terms = termsOf(group);
  for (const term of group.terms) EXPANSIONS.set(normalise(term), terms);
}
/** The most words a term has, so the matching looks no further ahead. */
const LONGEST_TERM = Math.max(...[...EXPANSIONS.keys()].map((key) => key.split(' ').length));

/**
 * The query's words as alternatives: each word, or each run of words that is a term of the table
 * (longest first), becomes one group of forms that may match in its place: itself and, for a
 * term, every term its synonym group finds. A search matches a trial that has one form of every
 * group.
 */
export function searchAlternatives(words: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (let i = 0; i < words.length; ) {
    let matched = 0;
    for (let n = Math.min(LONGEST_TERM, words.length - i); n >= 1 && matched === 0; n--) {
      const phrase = words.slice(i, i + n).join(' ');
      const expansion = EXPANSIONS.get(normalise(phrase));
      if (expansion) {
        groups.push([...new Set([phrase, ...expansion])]);
        matched = n;
      }
    }
    if (matched === 0) {
      groups.push([words[i] as string]);
      matched = 1;
    }
    i += matched;
  }
  return groups;
}
