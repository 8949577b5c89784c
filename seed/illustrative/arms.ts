import type { Design } from './design';
import { type Draw, type Table, table, tableOf } from './random';
import type { ArmLike, CellSource, CellType, ControlComparator, Donor, Route } from './types';
import { CELL_TYPE_WORDS, CONTROL_LABEL, capitalise, SOURCE_WORDS, words } from './wording';

export const CELL_SOURCE = tableOf<CellSource>({
  BONE_MARROW: 25,
  ADIPOSE: 14,
  UMBILICAL_CORD: 24,
  CORD_BLOOD: 5,
  PLACENTA: 5,
  DENTAL_PULP: 4,
  PERIPHERAL_BLOOD: 5,
  IPSC: 2,
  EMBRYONIC: 1,
  OTHER: 5,
  NOT_REPORTED: 10,
});

export const ROUTE = tableOf<Route>({
  INTRAVENOUS: 45,
  INTRAOSSEOUS: 14,
  INTRA_ARTERIAL: 6,
  LOCAL_INJECTION: 12,
  SURGICAL_IMPLANT: 8,
  OTHER: 5,
  NOT_REPORTED: 10,
});

const CELL_TYPE: Record<CellSource, Table<CellType>> = {
  BONE_MARROW: table([
    ['MSC', 70],
    ['MONONUCLEAR_CELLS', 20],
    ['OSTEOPROGENITORS', 10],
  ]),
  ADIPOSE: table([
    ['MSC', 60],
    ['STROMAL_VASCULAR_FRACTION', 40],
  ]),
  UMBILICAL_CORD: table([
    ['MSC', 85],
    ['EXTRACELLULAR_VESICLES', 15],
  ]),
  CORD_BLOOD: table([
    ['MONONUCLEAR_CELLS', 50],
    ['HEMATOPOIETIC', 25],
    ['MSC', 25],
  ]),
  PLACENTA: table([['MSC', 1]]),
  DENTAL_PULP: table([['MSC', 1]]),
  PERIPHERAL_BLOOD: table([
    ['HEMATOPOIETIC', 50],
    ['MONONUCLEAR_CELLS', 50],
  ]),
  IPSC: table([
    ['OSTEOPROGENITORS', 60],
    ['MSC', 40],
  ]),
  EMBRYONIC: table([
    ['OSTEOPROGENITORS', 60],
    ['MSC', 40],
  ]),
  OTHER: table([
    ['MSC', 60],
    ['OTHER', 40],
  ]),
  NOT_REPORTED: table([
    ['MSC', 50],
    ['NOT_REPORTED', 50],
  ]),
};

const DONOR: Record<CellSource, Table<Donor>> = {
  BONE_MARROW: table([
    ['AUTOLOGOUS', 70],
    ['ALLOGENEIC', 30],
  ]),
  ADIPOSE: table([
    ['AUTOLOGOUS', 80],
    ['ALLOGENEIC', 20],
  ]),
  UMBILICAL_CORD: table([['ALLOGENEIC', 1]]),
  CORD_BLOOD: table([['ALLOGENEIC', 1]]),
  PLACENTA: table([['ALLOGENEIC', 1]]),
  DENTAL_PULP: table([
    ['ALLOGENEIC', 70],
    ['AUTOLOGOUS', 30],
  ]),
  PERIPHERAL_BLOOD: table([['AUTOLOGOUS', 1]]),
  IPSC: table([
    ['ALLOGENEIC', 80],
    ['AUTOLOGOUS', 20],
  ]),
  EMBRYONIC: table([['ALLOGENEIC', 1]]),
  OTHER: table([
    ['ALLOGENEIC', 50],
    ['NOT_REPORTED', 50],
  ]),
  NOT_REPORTED: table([
    ['NOT_REPORTED', 60],
    ['AUTOLOGOUS', 20],
    ['ALLOGENEIC', 20],
  ]),
};

/** Plausible 12-month lumbar-spine percent change on a control arm, by what the arm received. */
const CONTROL_LS12: Record<ControlComparator, [number, number]> = {
  PLACEBO: [-1.5, 2],
  CALCIUM_VITAMIN_D: [-1.5, 2],
  STANDARD_CARE: [-1.5, 2],
  BISPHOSPHONATE: [1, 4],
};

const CELLS_PER_KG = [5e5, 1e6, 2e6, 3e6, 5e6];
const CELLS_TOTAL = [1e7, 2e7, 5e7, 1e8, 2e8];
const ADMINISTRATIONS = table<number>([
  [1, 60],
  [2, 20],
  [3, 15],
  [4, 5],
]);

/** One arm as the results step needs it. */
export interface ArmPlan {
  label: string;
  participants: number;
  /** 12-month lumbar-spine percent change drawn for this arm; other sites and times scale from it. */
  ls12: number;
  cell: boolean;
}

export interface Arms {
  arms: ArmLike[];
  armPlans: ArmPlan[];
  cellType: CellType;
  donor: Donor;
}

/** The cell-therapy arm(s), then the control arm when the design has one. */
export function drawArms(d: Draw, design: Design, cellSource: CellSource, route: Route): Arms {
  const { hasResults, observational, twoDoses, comparator, perArm } = design;
  const cellType = d.from(CELL_TYPE[cellSource]);
  const donor = d.from(DONOR[cellSource]);
  const background = comparator === 'CALCIUM_VITAMIN_D' || d.chance(0.35);
  const baseLabel = capitalise(words(SOURCE_WORDS[cellSource], CELL_TYPE_WORDS[cellType]));
  const perKg = route === 'INTRAVENOUS' || route === 'INTRA_ARTERIAL';
  const doses = perKg ? CELLS_PER_KG : CELLS_TOTAL;
  const low = d.int(0, doses.length - 2);
  const doseLevels = twoDoses
    ? [low, Math.min(doses.length - 1, low + d.int(1, 2))]
    : [d.int(0, doses.length - 1)];
  const administrations = d.from(ADMINISTRATIONS);
  const withSafety = hasResults && d.chance(0.5);

  const arms: ArmLike[] = [];
  const armPlans: ArmPlan[] = [];
  const armSize = (): number => Math.min(120, Math.max(5, perArm + (arms.length === 0 ? 0 : d.int(-2, 2))));
  const safety = (participants: number) =>
    withSafety
      ? {
          seriousAdverseEvents: d.int(0, participants > 20 ? 2 : 1),
          newFractures: d.int(0, 2),
          deaths: 0,
          note: 'Illustrative counts.',
        }
      : null;

  for (let a = 0; a < doseLevels.length; a++) {
    const level = doseLevels[a] as number;
    const amount = doses[level] as number;
    const label = twoDoses
      ? `${baseLabel}, ${a === 0 ? 'low' : 'high'} dose`
      : observational
        ? `${baseLabel} cohort`
        : baseLabel;
    const size = armSize();
    arms.push({
      label,
      type: observational ? 'OTHER' : 'EXPERIMENTAL',
      participants: hasResults ? size : null,
      cellSource,
      cellType,
      donor,
      route,
      dose:
        cellType === 'EXTRACELLULAR_VESICLES'
          ? { administrations, note: 'Illustrative dose of a cell-free vesicle preparation.' }
          : perKg
            ? { cellsPerKg: amount, administrations, note: 'Illustrative dose.' }
            : { cells: amount, administrations, note: 'Illustrative dose.' },
      comparator: null,
      cointerventions: background ? ['CALCIUM_VITAMIN_D'] : [],
      safety: safety(size),
    });
    // Higher doses do a little better on average, within the same plausible range.
    const ls12 = twoDoses && a === 1 ? d.triangular(-2, 8) : d.triangular(-3, 8);
    armPlans.push({ label, participants: size, ls12, cell: true });
  }

  if (comparator !== null) {
    const size = armSize();
    const label = CONTROL_LABEL[comparator];
    arms.push({
      label,
      type:
        comparator === 'PLACEBO'
          ? 'PLACEBO_COMPARATOR'
          : comparator === 'STANDARD_CARE'
            ? 'NO_INTERVENTION'
            : 'ACTIVE_COMPARATOR',
      participants: hasResults ? size : null,
      cellSource: null,
      cellType: null,
      donor: null,
      route: null,
      dose: null,
      comparator,
      cointerventions: background && comparator !== 'CALCIUM_VITAMIN_D' ? ['CALCIUM_VITAMIN_D'] : [],
      safety: safety(size),
    });
    const [lo, hi] = CONTROL_LS12[comparator];
    armPlans.push({ label, participants: size, ls12: d.triangular(lo, hi), cell: false });
  }

  return { arms, armPlans, cellType, donor };
}
