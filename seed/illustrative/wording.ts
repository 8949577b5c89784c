import type {
  Allocation,
  CellSource,
  CellType,
  ControlComparator,
  Donor,
  Masking,
  Population,
  Route,
} from './types';

export const SOURCE_WORDS: Record<CellSource, string> = {
  BONE_MARROW: 'bone-marrow',
  ADIPOSE: 'adipose-derived',
  UMBILICAL_CORD: 'umbilical-cord',
  CORD_BLOOD: 'cord-blood',
  PLACENTA: 'placental',
  DENTAL_PULP: 'dental-pulp',
  PERIPHERAL_BLOOD: 'peripheral-blood',
  IPSC: 'iPSC-derived',
  EMBRYONIC: 'embryonic-stem-cell-derived',
  OTHER: '',
  NOT_REPORTED: '',
};

export const CELL_TYPE_WORDS: Record<CellType, string> = {
  MSC: 'MSC',
  MONONUCLEAR_CELLS: 'mononuclear cells',
  STROMAL_VASCULAR_FRACTION: 'stromal vascular fraction',
  EXTRACELLULAR_VESICLES: 'MSC extracellular vesicles',
  OSTEOPROGENITORS: 'osteoprogenitor cells',
  HEMATOPOIETIC: 'hematopoietic stem cells',
  OTHER: 'cell therapy',
  NOT_REPORTED: 'stem cells',
};

const DONOR_WORDS: Record<Donor, string> = {
  AUTOLOGOUS: 'autologous',
  ALLOGENEIC: 'allogeneic',
  NOT_REPORTED: '',
};

const ROUTE_WORDS: Record<Route, string> = {
  INTRAVENOUS: 'intravenous',
  INTRAOSSEOUS: 'intraosseous',
  INTRA_ARTERIAL: 'intra-arterial',
  LOCAL_INJECTION: 'locally injected',
  SURGICAL_IMPLANT: 'surgically implanted',
  OTHER: '',
  NOT_REPORTED: '',
};

const POPULATION_WORDS: Record<Population, string> = {
  POSTMENOPAUSAL: 'postmenopausal osteoporosis',
  AGE_RELATED: 'age-related osteoporosis',
  GLUCOCORTICOID_INDUCED: 'glucocorticoid-induced osteoporosis',
  MALE: 'men with osteoporosis',
  SECONDARY_OTHER: 'secondary osteoporosis',
  MIXED: 'adults with osteoporosis',
  NOT_REPORTED: 'osteoporosis',
};

export const CONTROL_LABEL: Record<ControlComparator, string> = {
  PLACEBO: 'Placebo',
  BISPHOSPHONATE: 'Bisphosphonate',
  CALCIUM_VITAMIN_D: 'Calcium and vitamin D alone',
  STANDARD_CARE: 'Standard care',
};

const CONTROL_WORDS: Record<ControlComparator, string> = {
  PLACEBO: 'placebo',
  BISPHOSPHONATE: 'bisphosphonate',
  CALCIUM_VITAMIN_D: 'calcium and vitamin D alone',
  STANDARD_CARE: 'standard care',
};

export function capitalise(text: string): string {
  // "iPSC-derived" keeps its lower-case i.
  if (text.startsWith('iPSC')) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function words(...parts: string[]): string {
  let out = '';
  for (const part of parts) if (part !== '') out = out === '' ? part : `${out} ${part}`;
  return out;
}

export interface Description {
  route: Route;
  donor: Donor;
  cellSource: CellSource;
  cellType: CellType;
  population: Population;
  comparator: ControlComparator | null;
  observational: boolean;
  twoDoses: boolean;
  allocation: Allocation | null;
  masking: Masking | null;
  followUp: number;
}

/** A record's title and brief summary, both marked as illustrative. */
export function describe(x: Description): { title: string; briefSummary: string } {
  const { comparator, observational, allocation, masking } = x;
  const cellWords = words(
    ROUTE_WORDS[x.route],
    DONOR_WORDS[x.donor],
    SOURCE_WORDS[x.cellSource],
    CELL_TYPE_WORDS[x.cellType],
  );
  const populationWords = POPULATION_WORDS[x.population];
  const title = `[Illustrative] ${capitalise(cellWords)}${x.twoDoses ? ' at two dose levels' : ''}${
    comparator === null ? '' : ` versus ${CONTROL_WORDS[comparator]}`
  } in ${populationWords}${observational ? ': observational cohort' : ''}`;
  const design = observational
    ? 'An observational cohort study'
    : `A ${allocation === 'RANDOMIZED' ? 'randomized' : allocation === 'NON_RANDOMIZED' ? 'non-randomized' : 'single-group'}, ${
        masking === 'NONE' ? 'open-label' : 'masked'
      } study`;
  const briefSummary = `Illustrative record, not a real trial. ${design} of ${cellWords} in ${populationWords}${
    comparator === null ? '' : `, compared with ${CONTROL_WORDS[comparator]}`
  }; bone mineral density is followed for ${x.followUp} months.`;
  return { title, briefSummary };
}
