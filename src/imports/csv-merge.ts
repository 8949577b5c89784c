import { reportedResultKey } from '../domain/reported-result';
import { storedAsInput } from '../domain/trial-comparison';
import { type CsvTrialGroup, csvIssue } from './csv-groups';
import type { CsvResultRow, ImportIssue, ImportWarning } from './types';

/** A trial write body assembled from stored data and rows, and which row brought each part. */
export interface CsvMerge {
  body: Record<string, unknown>;
  armRows: (CsvResultRow | null)[];
  resultRows: (CsvResultRow | null)[];
  added: number;
  unchanged: number;
}

/** One column of a trial or arm as the rows give it: the first non-empty value and its row. */
type Given = Map<string, { value: unknown; row: CsvResultRow | null }>;

interface ArmSlot {
  label: string;
  /** The row that created the arm; null for a stored arm. */
  from: CsvResultRow | null;
  columns: Given;
  results: Set<string>;
}

const TRIAL_FIELDS = [
  'trialTitle',
  'studyType',
  'overallStatus',
  'population',
  'provenanceKind',
  'phases',
  'provenanceSources',
  'registryIds',
] as const;
const NEEDED_FOR_TRIAL = ['trialTitle', 'studyType', 'overallStatus', 'provenanceKind'];
const ARM_FIELDS = [
  'armType',
  'participants',
  'cellSource',
  'cellType',
  'donor',
  'route',
  'comparator',
] as const;

const isEmpty = (value: unknown) =>
  value === undefined || value === null || (Array.isArray(value) && value.length === 0);
const upperSet = (values: readonly string[]) => [...new Set(values.map((v) => v.toUpperCase()))].sort();
/** Lists (registry ids, phases, sources) compare as sets, ignoring case; other values exactly. */
const same = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b)
    ? JSON.stringify(upperSet(a)) === JSON.stringify(upperSet(b))
    : JSON.stringify(a) === JSON.stringify(b);
const show = (value: unknown) => JSON.stringify(value);

function trialColumnsOf(row: CsvResultRow): Record<(typeof TRIAL_FIELDS)[number], unknown> {
  return { ...row.trial, registryIds: row.registryIds };
}

function storedGiven(group: CsvTrialGroup): Given {
  const s = group.stored;
  const given: Given = new Map();
  if (!s) return given;
  const values: Record<string, unknown> = {
    trialTitle: s.title,
    studyType: s.studyType,
    overallStatus: s.overallStatus,
    population: s.population,
    provenanceKind: s.provenance.kind,
    phases: s.phases,
    provenanceSources: s.provenance.sources,
    registryIds: s.registryIds,
  };
  for (const [field, value] of Object.entries(values)) given.set(field, { value, row: null });
  return given;
}

/**
 * Merges a group's rows into one trial body. Rows of a stored trial only add arms and results;
 * where their trial or arm columns differ from what is stored, the stored values stay and a
 * warning says so. Rows that create a trial or an arm must agree with each other.
 */
export function mergeCsvGroup(
  group: CsvTrialGroup,
  isArmIdFree: (armId: string) => boolean,
  rejected: ImportIssue[],
  warnings: ImportWarning[],
): CsvMerge {
  const stored = group.stored ? storedAsInput(group.stored) : null;
  const results: Record<string, unknown>[] = stored ? [...stored.bmdResults] : [];
  const resultRows: (CsvResultRow | null)[] = results.map(() => null);
  const slots = storedSlots(group);
  const trial = storedGiven(group);
  const warned = new Set<string>();

  /** A column value against what is known: a stored value stays (with a warning), a new one must agree. */
  const reconcile = (row: CsvResultRow, known: Given, field: string, value: unknown, what: string) => {
    if (isEmpty(value)) return;
    const current = known.get(field);
    if (current?.row === null) {
      if (same(current.value, value) || warned.has(`${what}:${field}`)) return;
      warned.add(`${what}:${field}`);
      if (what === 'trial' && field === 'provenanceKind') {
        warnings.push(kindKept(row, group, current.value, value));
        return;
      }
      warnings.push({
        index: row.index,
        code: what === 'trial' ? 'CSV_TRIAL_FIELD_KEPT' : 'CSV_ARM_FIELD_KEPT',
        message:
          `line ${row.line}: ${field} of the stored ${what} stays ${show(current.value)}; the row says ${show(value)} ` +
          '(a CSV import adds arms and results; it does not edit what is stored)',
        ...(row.source ? { source: row.source } : {}),
      });
    } else if (!current) known.set(field, { value, row });
    else if (!same(current.value, value))
      rejected.push(
        csvIssue(
          row,
          field,
          `${show(value)} differs from line ${current.row.line}, which gives ${show(current.value)}`,
        ),
      );
  };

  let added = 0;
  let unchanged = 0;
  for (const row of group.rows) {
    const columns = trialColumnsOf(row);
    for (const field of TRIAL_FIELDS) reconcile(row, trial, field, columns[field], 'trial');
    let slot = slots.get(row.arm.armLabel);
    if (!slot) {
      slot = { label: row.arm.armLabel, from: row, columns: new Map(), results: new Set() };
      slots.set(slot.label, slot);
    }
    for (const field of ARM_FIELDS)
      reconcile(row, slot.columns, field, row.arm[field], `arm "${slot.label}"`);
    const key = reportedResultKey(row.result);
    if (slot.results.has(key)) unchanged += 1;
    else {
      slot.results.add(key);
      results.push({ armLabel: slot.label, ...row.result });
      resultRows.push(row);
      added += 1;
    }
  }

  const first = group.rows[0] as CsvResultRow;
  if (!stored) {
    const missing = NEEDED_FOR_TRIAL.filter((field) => !trial.has(field));
    const which = `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`;
    for (const field of missing)
      rejected.push(
        csvIssue(
          first,
          field,
          `the trial ${group.newId ?? first.registryIds.join(', ')} is not in the catalogue; creating it needs ` +
            `the columns ${NEEDED_FOR_TRIAL.join(', ')}, and ${which}`,
        ),
      );
  }
  const newSlots = [...slots.values()].filter((slot) => slot.from !== null);
  for (const slot of newSlots)
    if (!slot.columns.has('armType'))
      rejected.push(
        csvIssue(
          slot.from as CsvResultRow,
          'armType',
          stored
            ? `trial ${stored.id} has no arm labelled "${slot.label}" (its arms: ${stored.arms.map((a) => `"${a.label}"`).join(', ')}); creating the arm needs armType`
            : `armType is needed to create arm "${slot.label}"`,
        ),
      );
  const arms = [
    ...(stored?.arms ?? []),
    ...newSlots.map((slot) => armBody(slot, slot.from as CsvResultRow, isArmIdFree)),
  ];
  const armRows = [...(stored?.arms ?? []).map(() => null), ...newSlots.map((slot) => slot.from)];
  const body = stored
    ? { ...stored, arms, bmdResults: results }
    : { ...newTrialBody(group.newId, trial), arms, bmdResults: results };
  return { body, armRows, resultRows, added, unchanged };
}

/** An import never changes a stored trial's provenance kind: it stays, and the warning names both. */
function kindKept(row: CsvResultRow, group: CsvTrialGroup, stored: unknown, sent: unknown): ImportWarning {
  return {
    index: row.index,
    code: 'PROVENANCE_KIND_KEPT',
    message:
      `line ${row.line}: trial ${group.stored?.id} stays provenance kind ${String(stored)}; the row says ` +
      `${String(sent)} (an import never changes a stored kind: an admin changes it by PUT /trials/{id} ` +
      'with X-Revision-Note)',
    ...(row.source ? { source: row.source } : {}),
  };
}

function storedSlots(group: CsvTrialGroup): Map<string, ArmSlot> {
  const slots = new Map<string, ArmSlot>();
  const labelOf = new Map<string, string>();
  for (const arm of group.stored?.arms ?? []) {
    labelOf.set(arm.id, arm.label);
    const columns: Given = new Map();
    const values = {
      armType: arm.type,
      participants: arm.participants,
      cellSource: arm.cellSource,
      cellType: arm.cellType,
      donor: arm.donor,
      route: arm.route,
      comparator: arm.comparator,
    };
    for (const [field, value] of Object.entries(values)) columns.set(field, { value, row: null });
    slots.set(arm.label, { label: arm.label, from: null, columns, results: new Set() });
  }
  for (const result of group.stored?.bmdResults ?? [])
    slots.get(labelOf.get(result.armId) ?? '')?.results.add(reportedResultKey(result));
  return slots;
}

const givenValue = (given: Given, field: string) => given.get(field)?.value;

function armBody(slot: ArmSlot, from: CsvResultRow, isArmIdFree: (armId: string) => boolean) {
  const body: Record<string, unknown> = { label: slot.label, type: givenValue(slot.columns, 'armType') };
  // The export's arm id is kept when it is free, so an export loads back with the same arm ids.
  if (from.armId !== undefined && isArmIdFree(from.armId)) body.id = from.armId;
  for (const field of ARM_FIELDS.slice(1)) body[field] = givenValue(slot.columns, field) ?? null;
  return body;
}

function newTrialBody(id: string | undefined, trial: Given): Record<string, unknown> {
  return {
    ...(id ? { id } : {}),
    registryIds: givenValue(trial, 'registryIds') ?? [],
    title: givenValue(trial, 'trialTitle'),
    studyType: givenValue(trial, 'studyType'),
    overallStatus: givenValue(trial, 'overallStatus'),
    phases: givenValue(trial, 'phases') ?? [],
    population: givenValue(trial, 'population') ?? 'NOT_REPORTED',
    provenance: {
      kind: givenValue(trial, 'provenanceKind'),
      sources: givenValue(trial, 'provenanceSources') ?? [],
    },
  };
}
