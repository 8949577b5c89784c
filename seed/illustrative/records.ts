import { drawArms } from './arms';
import { drawCountries, drawDesign, drawRiskOfBias, drawSchedule, drawSponsor } from './design';
import { drawPopulation } from './population';
import type { Draw } from './random';
import { drawResults } from './results';
import type { CellSource, Route, TrialInputLike } from './types';
import { describe } from './wording';

const SOURCE_PATH = 'seed/illustrative/generate.ts';
const PROVENANCE_NOTE =
  'Made-up record for demonstration; not a real trial. Numbers are drawn from plausible ranges.';

/** What the caller fixes for one record, so that a set covers the vocabularies and the rarer cases. */
export interface Slot {
  cellSource: CellSource;
  route: Route;
  controlled: boolean;
  wantMedian: boolean;
  wantLsMean: boolean;
  ongoing: boolean;
}

/** One record. The draws happen in a fixed order, so the output depends only on the random stream. */
export function makeTrial(
  d: Draw,
  slot: Slot,
): { trial: TrialInputLike; usedMedian: boolean; usedLsMean: boolean } {
  const design = drawDesign(d, slot.controlled, slot.ongoing);
  const { status, hasResults, observational, comparator, allocation, masking } = design;
  const { arms, armPlans, cellType, donor } = drawArms(d, design, slot.cellSource, slot.route);
  const schedule = drawSchedule(d, design);

  const enrollmentCount =
    status === 'WITHDRAWN' ? 0 : armPlans.reduce((sum, arm) => sum + arm.participants, 0);
  const enrollmentActual = status === 'WITHDRAWN' || hasResults;

  const countries = drawCountries(d);
  const { population, baseline } = drawPopulation(d);
  const { bmdResults, usedMedian, usedLsMean } = drawResults(
    d,
    design,
    schedule,
    armPlans,
    slot.wantMedian,
    slot.wantLsMean,
  );
  const riskOfBias = drawRiskOfBias(d, design);
  const { title, briefSummary } = describe({
    route: slot.route,
    donor,
    cellSource: slot.cellSource,
    cellType,
    population,
    comparator,
    observational,
    twoDoses: design.twoDoses,
    allocation,
    masking,
    followUp: schedule.followUp,
  });

  const trial: TrialInputLike = {
    registryIds: [],
    title,
    briefSummary,
    studyType: observational ? 'OBSERVATIONAL' : 'INTERVENTIONAL',
    phases: design.phases,
    overallStatus: status,
    allocation,
    masking,
    enrollment: { count: enrollmentCount, type: enrollmentActual ? 'ACTUAL' : 'ESTIMATED' },
    startDate: schedule.startDate,
    completionDate: schedule.completionDate,
    countries,
    sponsor: drawSponsor(d),
    population,
    baseline,
    arms,
    bmdResults,
    references: [],
    riskOfBias,
    provenance: { kind: 'ILLUSTRATIVE', sources: [SOURCE_PATH], note: PROVENANCE_NOTE },
  };
  return { trial, usedMedian, usedLsMean };
}
