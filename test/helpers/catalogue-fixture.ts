import type { z } from 'zod';
import type { Db } from '../../src/db/client';
import { TrialInput } from '../../src/schemas/trial-input';
import { insertTrial, inTransaction } from '../../src/store/trial-store';

type TrialBody = z.input<typeof TrialInput>;
type ArmBody = TrialBody['arms'][number];
type ResultBody = NonNullable<TrialBody['bmdResults']>[number];

/**
 * A small catalogue whose every attribute is written out here, so tests can work out expected
 * answers from these literals with plain array filters. Test data only: not real trials.
 */
const cell = (
  label: string,
  cellSource: ArmBody['cellSource'],
  route: ArmBody['route'],
  extra: Partial<ArmBody> = {},
): ArmBody => ({
  label,
  type: 'EXPERIMENTAL',
  participants: 40,
  cellSource,
  cellType: 'MSC',
  donor: 'AUTOLOGOUS',
  route,
  ...extra,
});
const control = (
  label: string,
  comparator: ArmBody['comparator'],
  extra: Partial<ArmBody> = {},
): ArmBody => ({
  label,
  type: 'PLACEBO_COMPARATOR',
  participants: 40,
  comparator,
  ...extra,
});
const result = (armLabel: string, mean: number, extra: Partial<ResultBody> = {}): ResultBody => ({
  armLabel,
  site: 'LUMBAR_SPINE',
  metric: 'PERCENT_CHANGE',
  method: 'DXA',
  timepointMonths: 12,
  n: 20,
  mean,
  sd: 3,
  ...extra,
});

const base = (title: string, over: Partial<TrialBody>): TrialBody => ({
  title,
  studyType: 'INTERVENTIONAL',
  overallStatus: 'COMPLETED',
  provenance: { kind: 'USER', sources: ['test fixture'] },
  arms: [cell('Cells', 'BONE_MARROW', 'INTRAVENOUS')],
  ...over,
});

export const FIXTURE_TRIALS: TrialBody[] = [
  base('Alpha marrow infusion', {
    registryIds: ['NCT00000001'],
    phases: ['PHASE1'],
    allocation: 'NA',
    enrollment: { count: 10, type: 'ACTUAL' },
    startDate: '2012',
    countries: ['ES'],
    sponsor: 'Alpha Hospital',
    population: 'POSTMENOPAUSAL',
    riskOfBias: { tool: 'ROBINS_I', overall: 'SERIOUS' },
    bmdResults: [result('Cells', 4.5)],
  }),
  base('Beta adipose injection', {
    phases: ['PHASE2'],
    overallStatus: 'RECRUITING',
    allocation: 'RANDOMIZED',
    enrollment: { count: 60, type: 'ESTIMATED' },
    startDate: '2019-03',
    countries: ['CN', 'US'],
    population: 'AGE_RELATED',
    arms: [
      cell('Adipose cells', 'ADIPOSE', 'LOCAL_INJECTION', { donor: 'ALLOGENEIC' }),
      control('Placebo', 'PLACEBO'),
    ],
    bmdResults: [
      result('Adipose cells', 2.1, { timepointMonths: 6 }),
      result('Placebo', 0.4, { timepointMonths: 6 }),
      result('Adipose cells', 0.031, { metric: 'ABSOLUTE_CHANGE', site: 'FEMORAL_NECK', sd: 0.02 }),
    ],
  }),
  base('Gamma cord vs bisphosphonate', {
    registryIds: ['ChiCTR2000000001'],
    provenance: { kind: 'REGISTRY', sources: ['test fixture, not a real registry record'] },
    phases: ['PHASE2', 'PHASE3'],
    allocation: 'RANDOMIZED',
    masking: 'DOUBLE',
    enrollment: { count: 120, type: 'ACTUAL' },
    startDate: '2019-03-15',
    countries: ['CN'],
    population: 'POSTMENOPAUSAL',
    riskOfBias: { tool: 'ROB2', overall: 'LOW' },
    arms: [
      cell('UC-MSC', 'UMBILICAL_CORD', 'INTRAVENOUS', { donor: 'ALLOGENEIC' }),
      control('Zoledronate', 'BISPHOSPHONATE', { type: 'ACTIVE_COMPARATOR' }),
    ],
    bmdResults: [
      result('UC-MSC', 6.2, { timepointMonths: 24, method: 'QCT' }),
      result('Zoledronate', 3.9, { timepointMonths: 24, method: 'QCT' }),
    ],
  }),
  base('Delta marrow intraosseous', {
    overallStatus: 'TERMINATED',
    studyType: 'INTERVENTIONAL',
    phases: ['PHASE1'],
    enrollment: { count: 8, type: 'ACTUAL' },
    startDate: null,
    population: 'GLUCOCORTICOID_INDUCED',
    arms: [
      cell('Marrow IO', 'BONE_MARROW', 'INTRAOSSEOUS', { cellType: 'MONONUCLEAR_CELLS' }),
      cell('Adipose IV', 'ADIPOSE', 'INTRAVENOUS', { label: 'Adipose IV', type: 'OTHER' }),
    ],
    bmdResults: [result('Marrow IO', -1.5, { timepointMonths: 12 })],
  }),
  base('Epsilon observational registry', {
    studyType: 'OBSERVATIONAL',
    phases: [],
    overallStatus: 'ACTIVE_NOT_RECRUITING',
    enrollment: null,
    startDate: '2021-07',
    countries: ['DE'],
    sponsor: 'Epsilon Foundation',
    population: 'MALE',
    arms: [cell('Cohort', 'PERIPHERAL_BLOOD', 'OTHER', { cellType: 'HEMATOPOIETIC', type: 'OTHER' })],
  }),
  base('Zeta illustrative iPSC', {
    phases: ['EARLY_PHASE1'],
    overallStatus: 'NOT_YET_RECRUITING',
    enrollment: { count: 30, type: 'ESTIMATED' },
    startDate: '2025-01',
    population: 'MIXED',
    provenance: { kind: 'ILLUSTRATIVE', sources: ['test fixture'] },
    arms: [
      cell('iPSC osteoprogenitors', 'IPSC', 'SURGICAL_IMPLANT', {
        cellType: 'OSTEOPROGENITORS',
        donor: 'ALLOGENEIC',
      }),
    ],
    bmdResults: [result('iPSC osteoprogenitors', 8, { site: 'TOTAL_HIP', statistic: 'MEDIAN', sd: null })],
  }),
  base('Eta placenta with calcium background', {
    phases: ['PHASE2'],
    allocation: 'NON_RANDOMIZED',
    enrollment: { count: 60, type: 'ACTUAL' },
    startDate: '2016-11',
    countries: ['IR'],
    population: 'SECONDARY_OTHER',
    riskOfBias: { tool: 'ROB2', overall: 'HIGH' },
    // A PUBLICATION record names its publication; this citation is a placeholder, not a real paper.
    references: [{ citation: 'Test fixture citation, not a real publication' }],
    provenance: { kind: 'PUBLICATION', sources: ['test fixture'] },
    arms: [
      cell('Placental cells', 'PLACENTA', 'INTRA_ARTERIAL', { cointerventions: ['CALCIUM_VITAMIN_D'] }),
      control('Calcium only', 'CALCIUM_VITAMIN_D', { type: 'NO_INTERVENTION' }),
    ],
    bmdResults: [
      result('Placental cells', 3.3, { se: 0.7, sd: null }),
      result('Calcium only', 1.1, { ciLower: 0.1, ciUpper: 2.1, sd: null }),
      result('Placental cells', 0.71, { metric: 'FINAL_VALUE', timepointMonths: 0, sd: 0.1 }),
    ],
  }),
  base('Theta dental pulp', {
    phases: ['PHASE1', 'PHASE2'],
    overallStatus: 'WITHDRAWN',
    enrollment: { count: 0, type: 'ACTUAL' },
    startDate: '2012-05',
    population: 'NOT_REPORTED',
    arms: [
      cell('Dental pulp', 'DENTAL_PULP', 'NOT_REPORTED', { donor: 'NOT_REPORTED', cellType: 'NOT_REPORTED' }),
    ],
  }),
];

/** Loads the fixture; returns the ids in fixture order. */
export function loadFixture(db: Db, trials: TrialBody[] = FIXTURE_TRIALS): string[] {
  return inTransaction(db, () =>
    trials.map((body, i) => {
      const input = TrialInput.parse(body);
      return insertTrial(db, input, {
        changedBy: 'test',
        channel: 'API',
        now: new Date(Date.UTC(2026, 0, 1 + i)),
      }).id;
    }),
  );
}
