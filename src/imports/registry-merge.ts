import type { Db } from '../db/client';
import { sameJson } from '../domain/trial-comparison';
import { toPointer } from '../errors';
import type { Arm, Trial } from '../schemas/trial';
import { type ArmInput, type BmdResultInput, TrialInput } from '../schemas/trial-input';
import { revisionsSinceCreated } from '../store/revision-snapshots';
import { type Curation, curationOf } from './curated-values';
import { BMD_RESULTS, type KeptItem, mergeKeyedList, REFERENCES, resultByLabel } from './keyed-merge';
import type { ImportWarning, RejectionCode, TrialRecord } from './types';

/*
 * Who owns what when a registry record refreshes a stored trial (SPEC §6, "merge policy").
 * The registry owns what it publishes, always refreshed: registry ids, titles and summary, study
 * type, phases, status, design, enrollment, dates, countries, sponsor, provenance sources (the
 * kind stays as stored, keep-kind.ts), its arm groups (which arms there are, their labels, types
 * and participants) and the BMD results mapped from its posted results. Curators own the judgements the keyword rules only guess: the population, each
 * arm's cell source, cell type, donor, route, comparator and cointerventions, the BMD results and
 * the references; each stays where a curator set it (curated-values.ts) and is refreshed where
 * an import did. Dose, safety, baseline and risk of bias the registry never carries: a stored value
 * always stays.
 */
const CURATED_ARM_FIELDS = [
  'cellSource',
  'cellType',
  'donor',
  'route',
  'comparator',
  'cointerventions',
] as const;
type CuratedArmField = (typeof CURATED_ARM_FIELDS)[number];

/** A curated value kept where the registry now says otherwise, ready for the report. */
interface KeptValue {
  /** JSON Pointer into the written trial, with the arm or result it is about. */
  path: string;
  kept: string;
  registry: string;
}

const show = (value: unknown) => JSON.stringify(value);

/** The two values side by side; of two objects, only the fields in which they differ. */
function sideBySide(kept: unknown, registry: unknown): { kept: string; registry: string } {
  const record = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!record(kept) || !record(registry)) return { kept: show(kept), registry: show(registry) };
  const a = kept as Record<string, unknown>;
  const b = registry as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => !sameJson(a[f], b[f]));
  const pick = (o: Record<string, unknown>) => show(Object.fromEntries(fields.map((f) => [f, o[f] ?? null])));
  return { kept: pick(a), registry: pick(b) };
}

/** A cell-therapy arm states its cells, donor and route and has no comparator; any other arm has none of those. */
function consistent(arm: Pick<ArmInput, CuratedArmField>): boolean {
  const cellFields = [arm.cellType, arm.donor, arm.route];
  if (arm.cellSource !== null) return arm.comparator === null && cellFields.every((v) => v !== null);
  return cellFields.every((v) => v === null);
}

/** The registry's arm over the stored arm of the same label: the curated classifications stay. */
function mergeArm(arm: ArmInput, index: number, old: Arm, curation: Curation, kept: KeptValue[]): ArmInput {
  const base: ArmInput = {
    ...arm,
    id: arm.id ?? old.id,
    dose: arm.dose ?? old.dose,
    safety: arm.safety ?? old.safety,
  };
  const differing = CURATED_ARM_FIELDS.filter((field) => !sameJson(arm[field], old[field]));
  let keep = differing.filter((field) =>
    curation.isCurated((trial) => trial.arms.find((a) => a.label === arm.label)?.[field]),
  );
  const withKept = (fields: CuratedArmField[]) =>
    ({ ...base, ...Object.fromEntries(fields.map((field) => [field, old[field]])) }) as ArmInput;
  // Half a curator's classification and half the registry's can contradict each other (a cell
  // source with a comparator): the curator's classification of the arm then stays whole.
  if (!consistent(withKept(keep))) keep = differing;
  for (const field of keep)
    kept.push({
      path: `/arms/${index}/${field} (arm "${arm.label}")`,
      ...sideBySide(old[field], arm[field]),
    });
  return withKept(keep);
}

function resultPath(index: number | null, result: BmdResultInput): string {
  const what = `arm "${result.armLabel}", ${result.site} ${result.metric} ${result.statistic} at ${result.timepointMonths} months`;
  return index === null ? `/bmdResults (${what}, removed by a curator)` : `/bmdResults/${index} (${what})`;
}

function keptItems<T extends object>(items: KeptItem<T>[], path: (item: KeptItem<T>) => string): KeptValue[] {
  return items.map((item) => ({
    path: path(item),
    ...(item.kept === undefined
      ? { kept: 'nothing (a curator removed it)', registry: show(item.registry) }
      : sideBySide(item.kept, item.registry)),
  }));
}

/**
 * The registry's list with the stored entries it lacks that a curator added (a second registry's
 * id, another source): the registry refreshes its own entries, never removes a curator's.
 */
function withCuratedExtras(
  registry: readonly string[],
  stored: readonly string[],
  curation: Curation,
  list: (trial: Trial) => readonly string[],
): string[] {
  const extras = stored.filter(
    (entry) => !registry.includes(entry) && curation.isCurated((trial) => list(trial).includes(entry)),
  );
  return [...registry, ...extras];
}

/** The registry's sources, with a curator's added sources and note kept. */
function mergeProvenance(
  incoming: TrialInput['provenance'],
  stored: Trial,
  curation: Curation,
  kept: KeptValue[],
): TrialInput['provenance'] {
  let note = incoming.note;
  if (!sameJson(note, stored.provenance.note) && curation.isCurated((trial) => trial.provenance.note)) {
    if (note !== null) kept.push({ path: '/provenance/note', ...sideBySide(stored.provenance.note, note) });
    note = stored.provenance.note;
  }
  const sources = withCuratedExtras(
    incoming.sources,
    stored.provenance.sources,
    curation,
    (t) => t.provenance.sources,
  );
  return { ...incoming, sources, note };
}

/**
 * The registry's record over the stored trial as SPEC §6 merges them: the registry's fields
 * refreshed, the curated ones kept, and each kept value the registry now gives otherwise.
 */
export function mergeRegistryRecord(
  incoming: TrialInput,
  stored: Trial,
  curation: Curation,
): { input: TrialInput; kept: KeptValue[] } {
  const kept: KeptValue[] = [];
  const storedArms = new Map(stored.arms.map((arm) => [arm.label, arm]));
  const arms = incoming.arms.map((arm, i) => {
    const old = storedArms.get(arm.label);
    return old ? mergeArm(arm, i, old, curation, kept) : arm;
  });
  const results = mergeKeyedList(
    BMD_RESULTS,
    incoming.bmdResults.map((r) => resultByLabel(r, r.armLabel)),
    stored,
    curation,
  );
  kept.push(...keptItems(results.kept, (item) => resultPath(item.index, item.kept ?? item.registry)));
  // An arm the registry does not list stays when a curator added it, or when curated results
  // refer to it; one the registry itself added and now dropped goes.
  for (const old of stored.arms) {
    if (arms.some((arm) => arm.label === old.label)) continue;
    const referred = results.items.some((r) => r.armLabel === old.label);
    const added = curation.isCurated((trial) => trial.arms.some((arm) => arm.label === old.label));
    if (!referred && !added) continue;
    arms.push(old as ArmInput);
    kept.push({
      path: `/arms/${arms.length - 1} (arm "${old.label}", ${added ? 'added by a curator' : 'which curated BMD results refer to'})`,
      kept: show(old.label),
      registry: 'no such arm group',
    });
  }
  const references = mergeKeyedList(REFERENCES, incoming.references, stored, curation);
  kept.push(
    ...keptItems(references.kept, (item) =>
      item.index === null ? '/references (removed by a curator)' : `/references/${item.index}`,
    ),
  );
  let population = incoming.population;
  if (population !== stored.population && curation.isCurated((trial) => trial.population)) {
    kept.push({ path: '/population', kept: show(stored.population), registry: show(population) });
    population = stored.population;
  }
  const input: TrialInput = {
    ...incoming,
    registryIds: withCuratedExtras(incoming.registryIds, stored.registryIds, curation, (t) => t.registryIds),
    provenance: mergeProvenance(incoming.provenance, stored, curation, kept),
    population,
    baseline: incoming.baseline ?? stored.baseline,
    riskOfBias: incoming.riskOfBias ?? stored.riskOfBias,
    arms,
    bmdResults: results.items,
    references: references.items,
  };
  return { input, kept };
}

/**
 * The record a registry import (ClinicalTrials.gov, by POST /imports or the sync) writes over
 * the stored trial it matched: merged by the policy above, one read of the trial's revisions at
 * most. Each kept curated value the registry now gives otherwise is a CURATED_VALUE_KEPT
 * warning; a merge the write schema refuses (a curated result's n above the registry's new
 * participant count) is a rejection, so the trial stays as it was rather than half-refreshed.
 * Other records (bundles) replace the stored trial as they are.
 */
export function refreshFromRegistry(
  db: Db,
  record: TrialRecord,
  adopted: TrialInput,
  stored: Trial,
  warnings: ImportWarning[],
  reject: (path: string, message: string, code?: RejectionCode) => void,
): TrialInput {
  if (!record.keepCurated) return adopted;
  const curation = curationOf(stored, () => revisionsSinceCreated(db, stored.id));
  const { input, kept } = mergeRegistryRecord(adopted, stored, curation);
  const name = input.registryIds[0] ?? 'the record';
  for (const value of kept)
    warnings.push({
      index: record.index,
      code: 'CURATED_VALUE_KEPT',
      message: `${name}: trial ${stored.id} keeps the curated ${value.path}: ${value.kept}; the registry now has ${value.registry}`,
      ...(record.source ? { source: record.source } : {}),
    });
  const checked = TrialInput.safeParse(input);
  if (!checked.success)
    for (const issue of checked.error.issues)
      reject(
        toPointer('', issue.path),
        `with the curated values of trial ${stored.id} kept, the record is not a valid trial: ${issue.message}`,
      );
  return input;
}
