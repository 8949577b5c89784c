import { type Draw, table, tableOf } from './random';
import type {
  Allocation,
  ControlComparator,
  Masking,
  Phase,
  RiskOfBias,
  Status,
  TrialInputLike,
} from './types';

/** Trials that have finished follow-up (or reached an interim look) and report results. */
const FINISHED_STATUS = table<Status>([
  ['COMPLETED', 82],
  ['ACTIVE_NOT_RECRUITING', 10],
  ['TERMINATED', 8],
]);

/** Trials without results: BMD is "not reported" (an empty bmdResults). */
const ONGOING_STATUS = table<Status>([
  ['RECRUITING', 35],
  ['NOT_YET_RECRUITING', 12],
  ['ENROLLING_BY_INVITATION', 8],
  ['UNKNOWN', 30],
  ['SUSPENDED', 7],
  ['WITHDRAWN', 8],
]);

/** Start years by status, so that ongoing trials start recently and completed ones finished by 2025. */
const START_YEARS: Record<Status, [number, number]> = {
  COMPLETED: [2008, 2021],
  TERMINATED: [2009, 2021],
  ACTIVE_NOT_RECRUITING: [2021, 2023],
  UNKNOWN: [2010, 2019],
  RECRUITING: [2021, 2025],
  NOT_YET_RECRUITING: [2025, 2025],
  ENROLLING_BY_INVITATION: [2022, 2025],
  SUSPENDED: [2018, 2023],
  WITHDRAWN: [2014, 2024],
};

const UNCONTROLLED_PHASES = table<Phase[]>([
  [['PHASE1'], 35],
  [['PHASE1', 'PHASE2'], 25],
  [['PHASE2'], 18],
  [['EARLY_PHASE1'], 10],
  [['NA'], 12],
]);

const CONTROLLED_PHASES = table<Phase[]>([
  [['PHASE2'], 40],
  [['PHASE1', 'PHASE2'], 20],
  [['PHASE2', 'PHASE3'], 12],
  [['PHASE3'], 13],
  [['NA'], 15],
]);

const PLACEBO_MASKING = table<Masking>([
  ['SINGLE', 15],
  ['DOUBLE', 35],
  ['TRIPLE', 20],
  ['QUADRUPLE', 30],
]);

const ROB2 = table<RiskOfBias>([
  ['LOW', 25],
  ['SOME_CONCERNS', 45],
  ['HIGH', 30],
]);

const ROBINS_I = table<RiskOfBias>([
  ['MODERATE', 30],
  ['SERIOUS', 50],
  ['CRITICAL', 20],
]);

const COMPARATOR = tableOf<ControlComparator>({
  PLACEBO: 40,
  CALCIUM_VITAMIN_D: 25,
  STANDARD_CARE: 20,
  BISPHOSPHONATE: 15,
});

const COUNTRY = table<string>([
  ['CN', 22],
  ['US', 10],
  ['ES', 6],
  ['IR', 6],
  ['KR', 6],
  ['JP', 5],
  ['IN', 5],
  ['DE', 3],
  ['IT', 3],
  ['FR', 3],
  ['GB', 3],
  ['BR', 3],
  ['TR', 3],
  ['EG', 3],
  ['ID', 3],
  ['TW', 2],
  ['VN', 2],
  ['PK', 2],
  ['AU', 2],
  ['CA', 2],
  ['MX', 2],
  ['PL', 1],
  ['SE', 1],
  ['NL', 1],
]);

/** Sponsors are obviously fictional, never a real institution. */
const SPONSORS = [
  'Example Research Consortium',
  'Sample Bone Research Group',
  'Demo Regenerative Medicine Centre',
  'Placeholder University Hospital',
  'Fictional Cell Therapy Institute',
  'Example Osteoporosis Network',
];

const TIMEPOINTS = table<number[]>([
  [[12], 30],
  [[6, 12], 35],
  [[6, 12, 24], 20],
  [[12, 24], 15],
]);

export interface Design {
  status: Status;
  hasResults: boolean;
  observational: boolean;
  controlled: boolean;
  twoDoses: boolean;
  comparator: ControlComparator | null;
  phases: Phase[];
  allocation: Allocation | null;
  masking: Masking | null;
  /** Participants per arm before each arm's own small variation. */
  perArm: number;
}

export function drawDesign(d: Draw, controlled: boolean, ongoing: boolean): Design {
  const hasResults = !ongoing;
  const status = d.from(hasResults ? FINISHED_STATUS : ONGOING_STATUS);
  const observational = d.chance(0.05);
  const twoDoses = !observational && d.chance(0.22);
  const comparator: ControlComparator | null = controlled
    ? observational
      ? 'STANDARD_CARE'
      : d.from(COMPARATOR)
    : null;

  const phases: Phase[] = observational
    ? []
    : d.from(controlled ? CONTROLLED_PHASES : UNCONTROLLED_PHASES).slice();
  const allocation: Allocation | null = observational
    ? null
    : controlled
      ? d.chance(0.8)
        ? 'RANDOMIZED'
        : 'NON_RANDOMIZED'
      : twoDoses
        ? d.chance(0.4)
          ? 'RANDOMIZED'
          : 'NON_RANDOMIZED'
        : 'NA';
  let masking: Masking | null = observational ? null : 'NONE';
  if (allocation === 'RANDOMIZED') {
    if (comparator === 'PLACEBO') masking = d.from(PLACEBO_MASKING);
    else if (d.chance(0.35)) masking = 'SINGLE';
  }

  // Participants per arm; larger for phase 3, smaller when the trial stopped early.
  let perArm = phases.includes('PHASE3')
    ? d.int(40, 120)
    : controlled
      ? d.int(10, 60)
      : twoDoses
        ? d.int(5, 30)
        : d.int(5, 40);
  if (status === 'TERMINATED') perArm = Math.max(5, Math.round(perArm * 0.6));

  return {
    status,
    hasResults,
    observational,
    controlled,
    twoDoses,
    comparator,
    phases,
    allocation,
    masking,
    perArm,
  };
}

function partialDate(totalMonths: number, day: number): string {
  const year = Math.floor(totalMonths / 12);
  const month = (totalMonths % 12) + 1;
  const ym = `${year}-${month < 10 ? '0' : ''}${month}`;
  return day === 0 ? ym : `${ym}-${day < 10 ? '0' : ''}${day}`;
}

export interface Schedule {
  /** Months after baseline at which BMD is measured. */
  timepoints: number[];
  followUp: number;
  startDate: string;
  completionDate: string;
}

/** Dates: accrual, then follow-up to the last timepoint. */
export function drawSchedule(d: Draw, design: Design): Schedule {
  const { status, hasResults } = design;
  let timepoints: number[] = d.from(TIMEPOINTS);
  if (status === 'ACTIVE_NOT_RECRUITING' || status === 'TERMINATED')
    timepoints = timepoints.filter((t) => t <= 12);
  const followUp = timepoints[timepoints.length - 1] as number;
  const [y0, y1] = START_YEARS[status];
  const start = d.int(y0, y1) * 12 + d.int(0, 11);
  const accrual = status === 'TERMINATED' ? d.int(4, 12) : d.int(6, 24);
  // Trials still running are expected to finish a year or more after their last visit.
  const end =
    start + accrual + followUp + d.int(0, 6) + (hasResults && status !== 'ACTIVE_NOT_RECRUITING' ? 0 : 12);
  const fullDates = d.chance(0.25);
  const startDate = partialDate(start, fullDates ? d.int(1, 28) : 0);
  const completionDate = partialDate(end, fullDates ? d.int(1, 28) : 0);
  return { timepoints, followUp, startDate, completionDate };
}

/** None, one or (rarely) two distinct countries. */
export function drawCountries(d: Draw): string[] {
  const c = d.unit();
  if (c < 0.04) return [];
  if (c < 0.12) {
    const first = d.from(COUNTRY);
    let second = d.from(COUNTRY);
    while (second === first) second = d.from(COUNTRY);
    return [first, second];
  }
  return [d.from(COUNTRY)];
}

export function drawSponsor(d: Draw): string | null {
  return d.chance(0.45) ? null : d.pick(SPONSORS);
}

export function drawRiskOfBias(d: Draw, design: Design): TrialInputLike['riskOfBias'] {
  if (!design.hasResults || !d.chance(0.35)) return null;
  return design.allocation === 'RANDOMIZED'
    ? { tool: 'ROB2', overall: d.from(ROB2), note: 'Illustrative judgement.' }
    : { tool: 'ROBINS_I', overall: d.from(ROBINS_I), note: 'Illustrative judgement.' };
}
