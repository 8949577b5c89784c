import type { Vocab } from '../../vocabularies';
import type { Intervention } from './interventions';

/**
 * Keyword rules that decide whether an arm is a cell-therapy arm and describe its cells. They are
 * deliberately simple and are documented in README.md; whatever they cannot tell is NOT_REPORTED
 * and the importer asks for curation, because a wrong source or route would mislead a pooled
 * analysis more than a missing one.
 */

/** Interventions whose name marks them as a control are never cell therapy, even when their description mentions cells ("saline without MSCs"). */
const CONTROL_NAME = /\b(?:placebo|sham|vehicle|dummy|saline)\b/i;

const CELL_WORDS = [
  /\bstem[- ]cells?\b/i,
  /\bstromal cells?\b/i,
  /\bMSCs?\b/,
  /\bmesenchymal\b/i,
  /\bmononuclear cells?\b/i,
  /\bstromal vascular fraction\b/i,
  /\bSVF\b/,
  /\biPSCs?\b/i,
  /\binduced pluripotent\b/i,
  /\bexosomes?\b/i,
  /\bextracellular vesicles?\b/i,
  /\bosteoprogenitor/i,
  /\bha?ematopoietic (?:stem |progenitor )?cells?\b/i,
];

/** "cells" alone counts only for intervention types that hold biological products. */
const CELL_TYPES = /^(?:BIOLOGICAL|GENETIC|COMBINATION_PRODUCT|CELL)/;
const PLAIN_CELLS = /\bcells?\b(?![- ]free)/i;

function textOf(iv: Intervention): string {
  return [iv.name, ...iv.otherNames, iv.description ?? ''].join(' \n ');
}

export function isCellIntervention(iv: Intervention): boolean {
  if (CONTROL_NAME.test(iv.name)) return false;
  const text = textOf(iv);
  if (CELL_WORDS.some((pattern) => pattern.test(text))) return true;
  return iv.type !== null && CELL_TYPES.test(iv.type) && PLAIN_CELLS.test(text);
}

const SOURCE_RULES: [Vocab<'cellSource'>, RegExp][] = [
  ['BONE_MARROW', /\bbone[- ]marrow\b|\bBM-?MSCs?\b|\bBMSCs?\b|\bBM-?MNCs?\b|\bBMAC\b/i],
  [
    'ADIPOSE',
    /\badipose\b|\blipoaspirate|\bfat[- ]derived\b|\bAD-?MSCs?\b|\bADSCs?\b|\bASCs?\b|\bstromal vascular fraction\b|\bSVF\b/i,
  ],
  ['UMBILICAL_CORD', /\bumbilical cord\b(?! blood)|\bwharton|\bUC-?MSCs?\b/i],
  ['CORD_BLOOD', /\bcord blood\b|\bUCB\b/i],
  ['PLACENTA', /\bplacenta|\bamnio|\bamniotic\b|\bchorionic\b/i],
  ['DENTAL_PULP', /\bdental pulp\b|\bDPSCs?\b|\bexfoliated deciduous teeth\b|\bSHED\b/i],
  ['PERIPHERAL_BLOOD', /\bperipheral blood\b|\bPBSCs?\b|\bPB-?MNCs?\b|\bPBMCs?\b/i],
  ['IPSC', /\biPSCs?\b|\binduced pluripotent\b/i],
  ['EMBRYONIC', /\bembryonic stem\b|\bhESCs?\b/i],
];

const TYPE_RULES: [Vocab<'cellType'>, RegExp][] = [
  ['MSC', /\bmesenchymal\b|\bMSCs?\b|\bstromal cells?\b|\bBMSCs?\b|\bADSCs?\b|\bASCs?\b|\bDPSCs?\b/i],
  ['MONONUCLEAR_CELLS', /\bmononuclear\b|\bMNCs?\b|\bBM-?MNCs?\b|\bPBMCs?\b/i],
  ['STROMAL_VASCULAR_FRACTION', /\bstromal vascular fraction\b|\bSVF\b/i],
  ['EXTRACELLULAR_VESICLES', /\bexosomes?\b|\bextracellular vesicles?\b/i],
  ['OSTEOPROGENITORS', /\bosteoprogenitor|\bosteoblast/i],
  ['HEMATOPOIETIC', /\bha?ematopoietic\b|\bHSCs?\b|\bCD34\+/i],
];

const DONOR_RULES: [Vocab<'donor'>, RegExp][] = [
  [
    'AUTOLOGOUS',
    /\bautologous\b|\bautogenous\b|\bpatient'?s own\b|\bown (?:bone marrow|fat|adipose|cells)\b/i,
  ],
  ['ALLOGENEIC', /\ballogen(?:e)?ic\b|\ballo-|\bhealthy donors?\b|\boff-the-shelf\b/i],
];

/** Routes named outright. "Infusion" and "injected into" are weaker: they count only when no outright route is named. */
const ROUTE_RULES: [Vocab<'route'>, RegExp][] = [
  ['INTRAVENOUS', /\bintra-?venous(?:ly)?\b|\bi\.v\./i],
  // Only the upper-case abbreviation: lower-case "iv" is a Roman numeral too often ("phase iv").
  ['INTRAVENOUS', /\bIV\b/],
  ['INTRAOSSEOUS', /\bintra-?osseous(?:ly)?\b|\bintramedullary\b|\bintra-?vertebral\b|\binto the bone\b/i],
  ['INTRA_ARTERIAL', /\bintra-?arterial(?:ly)?\b/i],
  ['LOCAL_INJECTION', /\blocal(?:ly)? inject|\blocal injections?\b/i],
  ['SURGICAL_IMPLANT', /\bimplant\w*|\bgraft(?:s|ed|ing)?\b(?![- ]versus)|\bscaffolds?\b/i],
];
const WEAK_ROUTE_RULES: [Vocab<'route'>, RegExp][] = [
  ['INTRAVENOUS', /\binfusions?\b|\binfused\b/i],
  ['LOCAL_INJECTION', /\binjected into\b|\binjections? into\b/i],
];
/** The distinct values whose rule matches, in rule order. */
function matches<T extends string>(rules: [T, RegExp][], text: string): T[] {
  return [...new Set(rules.filter(([, pattern]) => pattern.test(text)).map(([value]) => value))];
}

export interface CellDetails {
  cellSource: Vocab<'cellSource'>;
  cellType: Vocab<'cellType'>;
  donor: Vocab<'donor'>;
  route: Vocab<'route'>;
  /** Fields the text did not state (NOT_REPORTED) or stated ambiguously (OTHER / NOT_REPORTED). */
  unresolved: string[];
}

function pick<T extends string>(found: T[], several: T, none: T, field: string, unresolved: string[]): T {
  if (found.length === 1) return found[0] as T;
  unresolved.push(found.length === 0 ? `${field} not stated` : `${field} ambiguous (${found.join(', ')})`);
  return found.length === 0 ? none : several;
}

/**
 * Describes an arm's cells from its cell interventions' names, other names and descriptions plus
 * the arm's own label and description.
 */
export function inferCellDetails(cellInterventions: Intervention[], armText: string): CellDetails {
  const text = [...cellInterventions.map(textOf), armText].join(' \n ');
  const unresolved: string[] = [];
  const sources = matches(SOURCE_RULES, text);
  let types = matches(TYPE_RULES, text);
  // SVF is a fraction that contains stromal cells; naming it is not a second cell type.
  if (types.includes('STROMAL_VASCULAR_FRACTION')) types = types.filter((t) => t !== 'MSC');
  const donors = matches(DONOR_RULES, text);
  let routes = matches(ROUTE_RULES, text);
  if (routes.length === 0) routes = matches(WEAK_ROUTE_RULES, text);
  return {
    cellSource: pick(sources, 'OTHER', 'NOT_REPORTED', 'cell source', unresolved),
    cellType: pick(types, 'OTHER', 'NOT_REPORTED', 'cell type', unresolved),
    donor: pick(donors, 'NOT_REPORTED', 'NOT_REPORTED', 'donor', unresolved),
    route: pick(routes, 'OTHER', 'NOT_REPORTED', 'route', unresolved),
    unresolved,
  };
}
