import type { Side, Unit } from './trial-units';
import type { ArmDose, Comparison, ComparisonArm, ComparisonResult, StudyModerators } from './types';

type CellField = 'cellSource' | 'cellType' | 'donor' | 'route';

/** The combined arms' shared value of a cell field, or MIXED when they differ; missing is NOT_REPORTED. */
function shared<F extends CellField>(arms: readonly ComparisonArm[], field: F) {
  const [first] = arms;
  if (first === undefined) return 'MIXED';
  const value = first[field] ?? 'NOT_REPORTED';
  for (const arm of arms) if ((arm[field] ?? 'NOT_REPORTED') !== value) return 'MIXED';
  return value as NonNullable<ComparisonArm[F]>;
}

/** A combined cell-therapy arm as its dose is weighted: its dose, and n of the result it gives the comparison. */
export interface DosedArm {
  dose?: ArmDose | null;
  n: number;
}

/**
 * The n-weighted mean of a dose part over the combined arms, or null unless every one of them
 * reports it: a mean over some arms only would be credited to participants not given that dose.
 */
function weightedDose(arms: readonly DosedArm[], part: keyof ArmDose): number | null {
  let total = 0;
  let weight = 0;
  for (const { dose, n } of arms) {
    const value = dose?.[part];
    if (value === null || value === undefined) return null;
    total += n * value;
    weight += n;
  }
  return weight > 0 ? total / weight : null;
}

/** The dose moderators of combined cell-therapy arms. */
export function combinedDose(
  arms: readonly DosedArm[],
): Pick<StudyModerators, 'cellsPerKg' | 'cells' | 'administrations'> {
  return {
    cellsPerKg: weightedDose(arms, 'cellsPerKg'),
    cells: weightedDose(arms, 'cells'),
    administrations: weightedDose(arms, 'administrations'),
  };
}

/**
 * The comparisons with their dose moderators taken from `doseOf`, for a caller that reads doses
 * only for the arms finally compared (they live in the trial documents, costly to read for every
 * candidate arm).
 */
export function withDoses(
  comparisons: readonly Comparison[],
  doseOf: (armId: string) => ArmDose | null | undefined,
): Comparison[] {
  return comparisons.map((c) => ({
    ...c,
    moderators: {
      ...c.moderators,
      ...combinedDose(c.cellArmIds.map((id, i) => ({ dose: doseOf(id), n: c.cellArmSizes[i] ?? 0 }))),
    },
  }));
}

/** The last of the trial's cell arms with this id, as a map built from them would give it. */
function armOf(unit: Unit, id: string): ComparisonArm | undefined {
  let found: ComparisonArm | undefined;
  for (const { arm } of unit.cells) if (arm.id === id) found = arm;
  return found;
}

/** The study's moderators, from the trial, the cell-therapy arms whose results are combined, and the control. */
export function studyModerators(
  unit: Unit,
  cellResults: readonly ComparisonResult[],
  control: Side,
): StudyModerators {
  // A trial has a few cell arms: a scan finds each result's arm without building a map per trial.
  const arms: ComparisonArm[] = [];
  const dosed: DosedArm[] = [];
  for (const r of cellResults) {
    const arm = armOf(unit, r.armId);
    if (arm === undefined) continue;
    arms.push(arm);
    dosed.push({ dose: arm.dose, n: r.n });
  }
  const dose = combinedDose(dosed);
  return {
    cellSource: shared(arms, 'cellSource'),
    cellType: shared(arms, 'cellType'),
    donor: shared(arms, 'donor'),
    route: shared(arms, 'route'),
    comparator: control.arm.comparator ?? null,
    ...dose,
    provenanceKind: unit.trial.provenance,
    riskOfBias: unit.trial.riskOfBias ?? 'NOT_ASSESSED',
  };
}
