import { type Vocab, vocabularies } from '../../vocabularies';
import { inferCellDetails, isCellIntervention } from './infer-cell-therapy';
import { inferCointerventions, inferComparator } from './infer-comparator';
import { type Intervention, interventionsOfArm, readInterventions } from './interventions';
import { arr, type JsonObject, obj, str, strings } from './json';
import { type ArmKey, matchGroupToArm, readGroups } from './match-groups';
import { parseCtgovCount } from './parse-number';
import type { MappedArm, Warn } from './types';

/** An arm as read from the record, before it is mapped: what the matchers and inference need. */
export interface ArmSource extends ArmKey {
  type: Vocab<'armType'>;
  interventions: Intervention[];
}

export const ALL_PARTICIPANTS = 'All participants';

function armTypeOf(raw: unknown, label: string, warn: Warn): Vocab<'armType'> {
  const value = str(raw);
  if (value !== null && (vocabularies.armType.values as readonly string[]).includes(value))
    return value as Vocab<'armType'>;
  warn(
    'UNKNOWN_ARM_TYPE',
    `arm "${label}" has arm type ${JSON.stringify(value)}, not a ClinicalTrials.gov arm type; stored as OTHER`,
  );
  return 'OTHER';
}

/** Reads the arm groups; a study without any (usual for observational records) becomes one arm holding every intervention. */
export function readArms(protocol: JsonObject, warn: Warn): ArmSource[] {
  const module = obj(protocol.armsInterventionsModule);
  const interventions = readInterventions(module);
  const arms: ArmSource[] = [];
  const labels = new Set<string>();
  for (const raw of arr(module.armGroups)) {
    const group = obj(raw);
    let label = str(group.label);
    if (label === null) {
      warn('ARM_WITHOUT_LABEL', 'an arm group has no label; it was left out');
      continue;
    }
    if (labels.has(label)) {
      // Labels must be unique within a trial; keep the arm, distinguished, rather than lose it.
      let i = 2;
      while (labels.has(`${label} (${i})`)) i += 1;
      warn(
        'DUPLICATE_ARM_LABEL',
        `arm label "${label}" is used twice; the second is stored as "${label} (${i})"`,
      );
      label = `${label} (${i})`;
    }
    labels.add(label);
    arms.push({
      label,
      type: armTypeOf(group.type, label, warn),
      description: str(group.description),
      interventions: interventionsOfArm(
        str(group.label) ?? label,
        strings(group.interventionNames),
        interventions,
      ),
    });
  }
  if (arms.length > 0) return arms;
  warn(
    'NO_ARM_GROUPS',
    `the record lists no arm groups; one arm "${ALL_PARTICIPANTS}" (type OTHER) holds all participants and interventions`,
  );
  return [
    {
      label: ALL_PARTICIPANTS,
      type: 'OTHER',
      description: null,
      interventions: interventions.map((i) => i.intervention),
    },
  ];
}

/**
 * Participants per arm: the participant flow's first period, milestone STARTED (everyone who
 * entered the arm, so no outcome's n can exceed it); else the baseline module's participant
 * denominator; else null. Groups are matched to arms as in match-groups.ts.
 */
export function participantsByArm(results: JsonObject, arms: ArmKey[]): Map<string, number> {
  const counts = new Map<string, number>();
  const flow = obj(results.participantFlowModule);
  const flowGroups = readGroups(flow.groups);
  const started = arr(obj(arr(flow.periods)[0]).milestones)
    .map(obj)
    .find((milestone) => str(milestone.type)?.toUpperCase() === 'STARTED');
  for (const group of flowGroups) {
    const arm = matchGroupToArm(group, arms, flowGroups.length);
    const achievement = arr(started?.achievements)
      .map(obj)
      .find((a) => str(a.groupId) === group.id);
    const n = parseCtgovCount(achievement?.numSubjects);
    if (arm !== null && n !== null && !counts.has(arm)) counts.set(arm, n);
  }
  const baseline = obj(results.baselineCharacteristicsModule);
  const baselineGroups = readGroups(baseline.groups).filter((g) => g.title?.trim().toLowerCase() !== 'total');
  const denom = arr(baseline.denoms)
    .map(obj)
    .find((d) => /participant/i.test(str(d.units) ?? ''));
  for (const group of baselineGroups) {
    const arm = matchGroupToArm(group, arms, baselineGroups.length);
    const count = arr(denom?.counts)
      .map(obj)
      .find((c) => str(c.groupId) === group.id);
    const n = parseCtgovCount(count?.value);
    if (arm !== null && n !== null && !counts.has(arm)) counts.set(arm, n);
  }
  return counts;
}

export function mapArms(sources: ArmSource[], results: JsonObject, warn: Warn): MappedArm[] {
  const participants = participantsByArm(results, sources);
  return sources.map((source) => {
    const cellInterventions = source.interventions.filter(isCellIntervention);
    const otherNames = source.interventions
      .filter((iv) => !cellInterventions.includes(iv))
      .flatMap((iv) => [iv.name, ...iv.otherNames]);
    const base = {
      label: source.label,
      type: source.type,
      participants: participants.get(source.label) ?? null,
    };
    if (cellInterventions.length === 0) {
      const { comparator, cointerventions } = inferComparator([source.label, ...otherNames], source.type);
      return {
        ...base,
        cellSource: null,
        cellType: null,
        donor: null,
        route: null,
        dose: null,
        comparator,
        cointerventions,
        safety: null,
      };
    }
    const details = inferCellDetails(
      cellInterventions,
      [source.label, source.description ?? ''].join(' \n '),
    );
    if (details.unresolved.length > 0)
      warn(
        'NEEDS_CURATION',
        `arm "${source.label}" is a cell-therapy arm (${cellInterventions.map((iv) => iv.name).join('; ')}) but the record does not say ` +
          `clearly enough: ${details.unresolved.join('; ')}; those fields were stored as NOT_REPORTED or OTHER and the record needs curation`,
      );
    return {
      ...base,
      cellSource: details.cellSource,
      cellType: details.cellType,
      donor: details.donor,
      route: details.route,
      dose: null,
      comparator: null,
      cointerventions: inferCointerventions(otherNames),
      safety: null,
    };
  });
}
