import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  CtgovFormatError,
  extractCtgovStudies,
  mapCtgovStudy,
  type TrialInputLike,
} from '../../../src/domain/ctgov';
import { TrialInput } from '../../../src/schemas/trial-input';
import { readReal } from './fixtures';

function nonCellArm(label: string, type: string, participants: number | null, comparator: string | null) {
  return {
    label,
    type,
    participants,
    cellSource: null,
    cellType: null,
    donor: null,
    route: null,
    dose: null,
    comparator,
    cointerventions: [],
    safety: null,
  };
}

/** Expected values read by eye from the JSON files in test/fixtures/ctgov/. */
describe('real ClinicalTrials.gov API v2 records', () => {
  it('NCT00763412: repaglinide pilot, phase NA, quadruple masked', () => {
    const { trial, warnings } = mapCtgovStudy(readReal('NCT00763412.json'));
    expect(TrialInput.safeParse(trial).success).toBe(true);
    expect(trial).toMatchObject({
      registryIds: ['NCT00763412'],
      title: 'Pilot and Feasibility Study for the Treatment of Pre-diabetes in Patients With Cystic Fibrosis',
      studyType: 'INTERVENTIONAL',
      phases: ['NA'],
      overallStatus: 'COMPLETED',
      allocation: 'RANDOMIZED',
      masking: 'QUADRUPLE',
      enrollment: { count: 31, type: 'ACTUAL' },
      startDate: '2006-11',
      completionDate: '2013-01',
      countries: ['US'],
      sponsor: 'Arbelaez, Ana Maria',
      population: 'NOT_REPORTED',
      bmdResults: [],
      references: [],
      provenance: { kind: 'REGISTRY', sources: ['https://clinicaltrials.gov/study/NCT00763412'] },
    });
    expect(trial.briefSummary).toMatch(/^The purpose of this study is to provide the necessary data/);
    expect(trial.arms).toEqual([
      // The flow group is titled "Placebo" and its description differs from the arm's, so no
      // results group can be matched to "1 Placebo" and its participants stay unknown.
      nonCellArm('1 Placebo', 'PLACEBO_COMPARATOR', null, 'PLACEBO'),
      // Flow group "2. Repaglinide" matches the label case-insensitively: STARTED 8.
      nonCellArm('2. repaglinide', 'EXPERIMENTAL', 8, null),
    ]);
    expect(warnings).toEqual([]);
  });

  it('NCT02210780: dupilumab phase 2, a placebo arm labelled EXPERIMENTAL stays EXPERIMENTAL and is not cell therapy', () => {
    const { trial, warnings } = mapCtgovStudy(readReal('NCT02210780.json'));
    expect(TrialInput.safeParse(trial).success).toBe(true);
    expect(trial).toMatchObject({
      registryIds: ['NCT02210780'],
      title:
        'A Randomized, Double-Blind, Placebo-Controlled, Study Investigating Vaccine Responses in Adults With Moderate to Severe Atopic Dermatitis Treated With Dupilumab',
      studyType: 'INTERVENTIONAL',
      phases: ['PHASE2'],
      overallStatus: 'COMPLETED',
      allocation: 'RANDOMIZED',
      masking: 'TRIPLE',
      enrollment: { count: 194, type: 'ACTUAL' },
      startDate: '2014-08-05',
      completionDate: '2015-09-15',
      countries: ['US'],
      sponsor: 'Regeneron Pharmaceuticals',
      population: 'NOT_REPORTED',
      // LS means with standard errors, but none is about bone density.
      bmdResults: [],
      references: [],
    });
    expect(trial.arms).toEqual([
      nonCellArm('Placebo qw', 'EXPERIMENTAL', 97, 'PLACEBO'),
      nonCellArm('Dupilumab 300 mg qw', 'EXPERIMENTAL', 97, null),
    ]);
    expect(warnings).toEqual([]);
  });

  it('NCT02513394: PALLAS phase 3, 21 countries, four PMIDs', () => {
    const { trial, warnings } = mapCtgovStudy(readReal('NCT02513394.json'));
    expect(TrialInput.safeParse(trial).success).toBe(true);
    expect(trial).toMatchObject({
      registryIds: ['NCT02513394'],
      title:
        'PALbociclib CoLlaborative Adjuvant Study: A Randomized Phase III Trial of Palbociclib With Standard Adjuvant Endocrine Therapy Versus Standard Adjuvant Endocrine Therapy Alone for Hormone Receptor Positive (HR+) / Human Epidermal Growth Factor Receptor 2 (HER2)-Negative Early Breast Cancer',
      studyType: 'INTERVENTIONAL',
      phases: ['PHASE3'],
      overallStatus: 'ACTIVE_NOT_RECRUITING',
      allocation: 'RANDOMIZED',
      masking: 'NONE',
      enrollment: { count: 5796, type: 'ACTUAL' },
      startDate: '2015-08',
      completionDate: '2025-09',
      sponsor: 'Alliance Foundation Trials, LLC.',
      population: 'NOT_REPORTED',
      bmdResults: [],
    });
    // United States, Australia, Austria, Belgium, Canada, Germany, Hungary, Ireland, Israel, Italy,
    // Japan, "Korea, Republic of", Mexico, Netherlands, Poland, Portugal, Spain, Sweden,
    // Switzerland, Taiwan, United Kingdom.
    expect(trial.countries).toEqual([
      'AT',
      'AU',
      'BE',
      'CA',
      'CH',
      'DE',
      'ES',
      'GB',
      'HU',
      'IE',
      'IL',
      'IT',
      'JP',
      'KR',
      'MX',
      'NL',
      'PL',
      'PT',
      'SE',
      'TW',
      'US',
    ]);
    // Flow groups are titled "… (Arm A)" but keep the arm descriptions word for word: 2896 and 2900 started.
    expect(trial.arms).toEqual([
      nonCellArm('Arm A', 'EXPERIMENTAL', 2896, null),
      nonCellArm('Arm B', 'OTHER', 2900, null),
    ]);
    expect(trial.references.map((r) => r.pmid)).toEqual(['34995105', '34874182', '33460574', '30032196']);
    expect(trial.references.every((r) => r.doi === null && r.url === null)).toBe(true);
    expect(trial.references[1]?.citation).toMatch(
      /^Gnant M, Dueck AC, Frantal S.*Adjuvant Palbociclib for Early Breast Cancer: The PALLAS Trial Results/,
    );
    expect(warnings).toEqual([]);
  });

  it('NCT05594173: observational record without arm groups gets one "All participants" arm', () => {
    const { trial, warnings } = mapCtgovStudy(readReal('NCT05594173.json'));
    expect(TrialInput.safeParse(trial).success).toBe(true);
    expect(trial).toMatchObject({
      registryIds: ['NCT05594173'],
      title: 'Chewing and Oral Processing of Solid Food in Healthy Swallowing',
      studyType: 'OBSERVATIONAL',
      phases: [],
      overallStatus: 'COMPLETED',
      allocation: null,
      masking: null,
      enrollment: { count: 20, type: 'ACTUAL' },
      startDate: '2019-09-13',
      completionDate: '2020-12-20',
      countries: ['CA'],
      sponsor: 'University Health Network, Toronto',
      population: 'NOT_REPORTED',
      // MEAN with "Standard Deviation", but about chewing, not bone.
      bmdResults: [],
      references: [],
    });
    // One flow group ("Healthy Participants", 20 started) for the single arm.
    expect(trial.arms).toEqual([nonCellArm('All participants', 'OTHER', 20, null)]);
    expect(warnings.map((w) => w.code)).toEqual(['NO_ARM_GROUPS']);
  });

  it('the mapped type is a write-schema input (checked by the type checker)', () => {
    expectTypeOf<TrialInputLike>().toExtend<z.input<typeof TrialInput>>();
  });

  it('every real v2 record passes the write schema', () => {
    for (const file of ['NCT00763412.json', 'NCT02210780.json', 'NCT02513394.json', 'NCT05594173.json']) {
      const result = TrialInput.safeParse(mapCtgovStudy(readReal(file)).trial);
      expect(result.error?.issues ?? [], file).toEqual([]);
    }
  });

  it('refuses the retired classic format with a message that says so', () => {
    const classic = readReal('classic/NCT00023673.json');
    expect(() => mapCtgovStudy(classic)).toThrow(CtgovFormatError);
    expect(() => mapCtgovStudy(classic)).toThrow(
      /classic ClinicalTrials\.gov API format.*retired.*API v2 JSON/,
    );
    expect(() => extractCtgovStudies(classic)).toThrow(/classic.*retired/);
  });
});
