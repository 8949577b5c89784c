import type { Arm, BmdResult, Trial } from '../schemas/trial';
import type { TrialInput } from '../schemas/trial-input';
import { newId } from './ids';
import { deriveSd } from './meta-analysis';
import { type ReportedResultField, reportedValues } from './reported-result';

export interface RecordStamp {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A result's identity across a replace: the same arm and the same reported result. */
function resultSignature(r: Pick<BmdResult, 'armId' | ReportedResultField>): string {
  return JSON.stringify([r.armId, ...reportedValues(r)]);
}

/**
 * Turns a validated write body into the Trial as it will be stored and served: ids assigned,
 * results tied to arm ids, spreads derived. Arm ids sent by the client are kept, so a replace
 * does not change the identity of arms that are still there; a result equal to one of `previous`
 * keeps that result's id, so rows other apps hold on to stay valid across replaces.
 */
export function materializeTrial(input: TrialInput, stamp: RecordStamp, previous?: Trial): Trial {
  const arms: Arm[] = input.arms.map((arm) => ({
    id: arm.id ?? newId('arm'),
    label: arm.label,
    type: arm.type,
    participants: arm.participants,
    cellSource: arm.cellSource,
    cellType: arm.cellType,
    donor: arm.donor,
    route: arm.route,
    dose: arm.dose,
    comparator: arm.comparator,
    cointerventions: [...new Set(arm.cointerventions)],
    safety: arm.safety,
  }));
  const byLabel = new Map(arms.map((a) => [a.label, a.id]));
  const knownIds = new Set(arms.map((a) => a.id));
  const previousIds = new Map<string, string[]>();
  for (const r of previous?.bmdResults ?? []) {
    const key = resultSignature(r);
    previousIds.set(key, [...(previousIds.get(key) ?? []), r.id]);
  }
  const bmdResults: BmdResult[] = input.bmdResults.map((r) => {
    const armId =
      r.armId !== undefined && knownIds.has(r.armId) ? r.armId : (byLabel.get(r.armLabel ?? '') as string);
    const { sdEffective, sdSource } = deriveSd(r);
    const kept = previousIds.get(resultSignature({ ...r, armId }))?.shift();
    return {
      id: kept ?? newId('res'),
      armId,
      site: r.site,
      metric: r.metric,
      method: r.method,
      statistic: r.statistic,
      timepointMonths: r.timepointMonths,
      n: r.n,
      mean: r.mean,
      sd: r.sd,
      se: r.se,
      ciLower: r.ciLower,
      ciUpper: r.ciUpper,
      sdEffective,
      sdSource,
      note: r.note,
    };
  });
  return {
    id: stamp.id,
    registryIds: input.registryIds,
    title: input.title,
    briefSummary: input.briefSummary,
    studyType: input.studyType,
    phases: [...new Set(input.phases)],
    overallStatus: input.overallStatus,
    allocation: input.allocation,
    masking: input.masking,
    enrollment: input.enrollment,
    startDate: input.startDate,
    completionDate: input.completionDate,
    countries: [...new Set(input.countries)],
    sponsor: input.sponsor,
    population: input.population,
    baseline: input.baseline,
    arms,
    bmdResults,
    references: input.references,
    riskOfBias: input.riskOfBias,
    provenance: input.provenance,
    version: stamp.version,
    createdAt: stamp.createdAt,
    updatedAt: stamp.updatedAt,
  };
}

/** The first day a partial ISO date names: `2015` → `2015-01-01`, `2015-09` → `2015-09-01`. */
export function partialDateSortKey(date: string | null): string | null {
  if (date === null) return null;
  if (date.length === 4) return `${date}-01-01`;
  if (date.length === 7) return `${date}-01`;
  return date;
}

/** True when the trial has a cell-therapy arm: an arm whose cellSource is set, whatever its type. */
export function isCellArm(arm: Pick<Arm, 'cellSource'>): boolean {
  return arm.cellSource !== null;
}
