import { describe, expect, it } from 'vitest';
import { extractCtgovStudies, mapCtgovStudy } from '../../../src/domain/ctgov';
import { TrialInput } from '../../../src/schemas/trial-input';
import { readSynthetic } from './fixtures';

/**
 * SYNTHETIC records (test/fixtures/ctgov-synthetic/, not real studies). Every expected value below
 * was worked out by hand from the fixture and the rules in src/domain/ctgov/README.md.
 */

const none = { sd: null, se: null, ciLower: null, ciUpper: null };

function result(fields: Record<string, unknown>) {
  return { ...none, ...fields };
}

describe('NCT99999901: MSC arm vs placebo with BMD results', () => {
  const study = readSynthetic('NCT99999901.json');
  const { trial, warnings } = mapCtgovStudy(study);

  it('maps every field', () => {
    const lumbar =
      'Percent Change From Baseline in Lumbar Spine (L1-L4) Bone Mineral Density (time frame: Month 12)';
    const neck = 'Change From Baseline in Femoral Neck BMD at Week 52 (time frame: Week 52)';
    const hip = 'Total Hip Bone Mineral Density (time frame: 1 year)';
    const tScore = 'Change From Baseline in Lumbar Spine T-score (time frame: Year 2)';
    const radius = 'Percent Change in Distal Radius BMD (time frame: Baseline, Month 6)';
    expect(trial).toEqual({
      registryIds: ['NCT99999901'],
      title:
        'SYNTHETIC Test Record, Not a Real Study: Autologous Bone Marrow Mesenchymal Stem Cells Versus Placebo in Postmenopausal Osteoporosis',
      briefSummary: study._synthetic,
      studyType: 'INTERVENTIONAL',
      phases: ['PHASE1', 'PHASE2'],
      overallStatus: 'COMPLETED',
      allocation: 'RANDOMIZED',
      masking: 'DOUBLE',
      enrollment: { count: 40, type: 'ACTUAL' },
      startDate: '2019-03',
      completionDate: '2021-06-30',
      // Korea, Republic of; United States (twice); Russian Federation; Taiwan; Iran, Islamic Republic of.
      countries: ['IR', 'KR', 'RU', 'TW', 'US'],
      sponsor: 'Synthetic Test Sponsor (not a real organisation)',
      population: 'POSTMENOPAUSAL',
      baseline: null,
      arms: [
        {
          label: 'MSC infusion',
          type: 'EXPERIMENTAL',
          participants: 20,
          cellSource: 'BONE_MARROW',
          cellType: 'MSC',
          donor: 'AUTOLOGOUS',
          route: 'INTRAVENOUS',
          dose: null,
          comparator: null,
          cointerventions: ['CALCIUM_VITAMIN_D'],
          safety: null,
        },
        {
          label: 'Placebo infusion',
          type: 'PLACEBO_COMPARATOR',
          participants: 20,
          cellSource: null,
          cellType: null,
          donor: null,
          route: null,
          dose: null,
          comparator: 'PLACEBO',
          cointerventions: ['CALCIUM_VITAMIN_D'],
          safety: null,
        },
      ],
      bmdResults: [
        // MEAN ± STANDARD_DEVIATION in "%" at "Month 12"; dual-energy → DXA.
        result({
          armLabel: 'MSC infusion',
          site: 'LUMBAR_SPINE',
          metric: 'PERCENT_CHANGE',
          method: 'DXA',
          statistic: 'MEAN',
          timepointMonths: 12,
          n: 18,
          mean: 3.2,
          sd: 2.1,
          note: lumbar,
        }),
        result({
          armLabel: 'Placebo infusion',
          site: 'LUMBAR_SPINE',
          metric: 'PERCENT_CHANGE',
          method: 'DXA',
          statistic: 'MEAN',
          timepointMonths: 12,
          n: 19,
          mean: 0.4,
          sd: 1.9,
          note: lumbar,
        }),
        // LEAST_SQUARES_MEAN ± STANDARD_ERROR in g/cm2, title says change, "Week 52" → 12.0 months; no method named.
        result({
          armLabel: 'MSC infusion',
          site: 'FEMORAL_NECK',
          metric: 'ABSOLUTE_CHANGE',
          method: 'NOT_REPORTED',
          statistic: 'LS_MEAN',
          timepointMonths: 12,
          n: 18,
          mean: 0.021,
          se: 0.006,
          note: neck,
        }),
        result({
          armLabel: 'Placebo infusion',
          site: 'FEMORAL_NECK',
          metric: 'ABSOLUTE_CHANGE',
          method: 'NOT_REPORTED',
          statistic: 'LS_MEAN',
          timepointMonths: 12,
          n: 19,
          mean: -0.004,
          se: 0.007,
          note: neck,
        }),
        // CONFIDENCE_95 in g/cm², no "change" → value at "1 year"; DEXA → DXA.
        result({
          armLabel: 'MSC infusion',
          site: 'TOTAL_HIP',
          metric: 'FINAL_VALUE',
          method: 'DXA',
          statistic: 'MEAN',
          timepointMonths: 12,
          n: 18,
          mean: 0.812,
          ciLower: 0.771,
          ciUpper: 0.853,
          note: hip,
        }),
        result({
          armLabel: 'Placebo infusion',
          site: 'TOTAL_HIP',
          metric: 'FINAL_VALUE',
          method: 'DXA',
          statistic: 'MEAN',
          timepointMonths: 12,
          n: 19,
          mean: 0.798,
          ciLower: 0.76,
          ciUpper: 0.836,
          note: hip,
        }),
        // "Standard Deviation" (legacy spelling), T-score unit and "change" at "Year 2" → 24; QCT named.
        result({
          armLabel: 'MSC infusion',
          site: 'LUMBAR_SPINE',
          metric: 'T_SCORE_CHANGE',
          method: 'QCT',
          statistic: 'MEAN',
          timepointMonths: 24,
          n: 17,
          mean: 0.31,
          sd: 0.42,
          note: tScore,
        }),
        result({
          armLabel: 'Placebo infusion',
          site: 'LUMBAR_SPINE',
          metric: 'T_SCORE_CHANGE',
          method: 'QCT',
          statistic: 'MEAN',
          timepointMonths: 24,
          n: 18,
          mean: 0.02,
          sd: 0.4,
          note: tScore,
        }),
        // "Baseline, Month 6" → 6; the placebo group's "NA" is skipped.
        result({
          armLabel: 'MSC infusion',
          site: 'DISTAL_RADIUS',
          metric: 'PERCENT_CHANGE',
          method: 'NOT_REPORTED',
          statistic: 'MEAN',
          timepointMonths: 6,
          n: 18,
          mean: 1.1,
          sd: 0.9,
          note: radius,
        }),
      ],
      references: [
        {
          pmid: null,
          doi: null,
          citation: 'SYNTHETIC citation for importer tests; not a real publication.',
          url: null,
        },
      ],
      riskOfBias: null,
      provenance: {
        kind: 'REGISTRY',
        sources: ['https://clinicaltrials.gov/study/NCT99999901'],
        note: 'Mapped from the ClinicalTrials.gov API v2 record NCT99999901 (last update posted 2022-01-15). Cell-therapy details, comparators and population were inferred by keyword rules; check them against the record.',
      },
    });
    expect(TrialInput.parse(trial).bmdResults).toHaveLength(9);
  });

  it('warns about what it left out, naming the outcome and group', () => {
    expect(warnings.map((w) => w.code)).toEqual([
      'UNMAPPED_COUNTRY',
      'BMD_UNMATCHED_GROUP',
      'BMD_VALUE_NOT_NUMERIC',
      'BMD_UNSUPPORTED_STATISTIC',
    ]);
    expect(warnings[0]?.message).toContain('"Republic of Nowhere"');
    expect(warnings[1]?.message).toContain(
      'Percent Change From Baseline in Lumbar Spine (L1-L4) Bone Mineral Density',
    );
    expect(warnings[1]?.message).toContain('"Open-label extension" (OG002)');
    expect(warnings[2]?.message).toBe(
      'outcome "Percent Change in Distal Radius BMD", group "Placebo infusion" (OG001): value "NA" is not a number; skipped',
    );
    expect(warnings[3]?.message).toContain('"Total Body Bone Mineral Density"');
    expect(warnings[3]?.message).toContain('MEDIAN');
  });

  it('ignores outcomes that are not about bone density', () => {
    expect(trial.bmdResults.some((r) => r.note.includes('CTX'))).toBe(false);
    expect(warnings.some((w) => w.message.includes('CTX'))).toBe(false);
  });
});

describe('NCT99999902: no arm groups, single results group', () => {
  const study = readSynthetic('NCT99999902.json');
  const { trial, warnings } = mapCtgovStudy(study);

  it('maps every field', () => {
    expect(trial).toEqual({
      registryIds: ['NCT99999902'],
      // No official title: the brief title is used.
      title:
        'SYNTHETIC Test Record, Not a Real Study: Umbilical Cord MSCs in Glucocorticoid-Induced Osteoporosis',
      briefSummary: study._synthetic,
      studyType: 'OBSERVATIONAL',
      phases: [],
      overallStatus: 'COMPLETED',
      allocation: null,
      masking: null,
      enrollment: { count: 8, type: 'ACTUAL' },
      startDate: '2020',
      completionDate: null,
      countries: ['VN'],
      sponsor: 'Synthetic Test Hospital (not a real organisation)',
      population: 'GLUCOCORTICOID_INDUCED',
      baseline: null,
      arms: [
        {
          // The one arm holds every intervention: allogeneic Wharton's jelly cells by intravenous infusion.
          label: 'All participants',
          type: 'OTHER',
          participants: 8,
          cellSource: 'UMBILICAL_CORD',
          cellType: 'MSC',
          donor: 'ALLOGENEIC',
          route: 'INTRAVENOUS',
          dose: null,
          comparator: null,
          cointerventions: [],
          safety: null,
        },
      ],
      bmdResults: [
        // Group "Treated Participants" is the only group of a single-arm study; "Year 1" → 12.
        result({
          armLabel: 'All participants',
          site: 'LUMBAR_SPINE',
          metric: 'PERCENT_CHANGE',
          method: 'NOT_REPORTED',
          statistic: 'MEAN',
          timepointMonths: 12,
          n: 6,
          mean: 2.5,
          sd: 1.4,
          note: 'Percent Change From Baseline in Lumbar Spine BMD (time frame: Year 1)',
        }),
      ],
      references: [],
      riskOfBias: null,
      provenance: {
        kind: 'REGISTRY',
        sources: ['https://clinicaltrials.gov/study/NCT99999902'],
        note: 'Mapped from the ClinicalTrials.gov API v2 record NCT99999902 (last update posted 2023-02). Cell-therapy details, comparators and population were inferred by keyword rules; check them against the record.',
      },
    });
    expect(TrialInput.safeParse(trial).success).toBe(true);
    expect(warnings).toEqual([
      {
        code: 'NO_ARM_GROUPS',
        message:
          'the record lists no arm groups; one arm "All participants" (type OTHER) holds all participants and interventions',
      },
    ]);
  });

  it.each([
    'APPROVED_FOR_MARKETING',
    'AVAILABLE',
    'NO_LONGER_AVAILABLE',
    'TEMPORARILY_NOT_AVAILABLE',
    'WITHHELD',
  ])('stores the registry-only status %s as UNKNOWN with a warning', (status) => {
    const copy = structuredClone(study) as { protocolSection: { statusModule: { overallStatus: string } } };
    copy.protocolSection.statusModule.overallStatus = status;
    const mapped = mapCtgovStudy(copy);
    expect(mapped.trial.overallStatus).toBe('UNKNOWN');
    expect(mapped.warnings).toContainEqual({
      code: 'STATUS_NOT_IN_VOCABULARY',
      message: `overall status ${status} has no equivalent in the catalogue; stored as UNKNOWN`,
    });
    expect(TrialInput.safeParse(mapped.trial).success).toBe(true);
  });
});

describe('NCT99999903: unstated cell details, active and no-intervention controls', () => {
  const study = readSynthetic('NCT99999903.json');
  const { trial, warnings } = mapCtgovStudy(study);

  it('maps every field', () => {
    const pct = 'Percent Change From Baseline in Bone Mineral Density (time frame: Month 12)';
    const qct =
      'Change From Baseline in Trabecular Spine Volumetric BMD (time frame: Baseline, 6 and 24 months)';
    const common = { metric: 'PERCENT_CHANGE', method: 'DXA', statistic: 'MEAN', timepointMonths: 12 };
    expect(trial).toEqual({
      registryIds: ['NCT99999903'],
      title: 'SYNTHETIC Test Record, Not a Real Study: A Three-Arm Trial in Male Osteoporosis',
      briefSummary: study._synthetic,
      studyType: 'INTERVENTIONAL',
      phases: ['PHASE2'],
      overallStatus: 'TERMINATED',
      allocation: 'RANDOMIZED',
      masking: 'NONE',
      enrollment: { count: 45, type: 'ACTUAL' },
      startDate: '2018-01-15',
      // "2017" is before the start: left out.
      completionDate: null,
      countries: [],
      sponsor: 'Synthetic Test University (not a real organisation)',
      population: 'MALE',
      baseline: null,
      arms: [
        {
          label: 'Stem cell injection',
          type: 'EXPERIMENTAL',
          participants: 15,
          cellSource: 'NOT_REPORTED',
          cellType: 'NOT_REPORTED',
          donor: 'NOT_REPORTED',
          route: 'NOT_REPORTED',
          dose: null,
          comparator: null,
          cointerventions: [],
          safety: null,
        },
        {
          label: 'Zoledronic acid',
          type: 'ACTIVE_COMPARATOR',
          participants: 15,
          cellSource: null,
          cellType: null,
          donor: null,
          route: null,
          dose: null,
          comparator: 'BISPHOSPHONATE',
          cointerventions: ['CALCIUM_VITAMIN_D'],
          safety: null,
        },
        {
          label: 'No treatment',
          type: 'NO_INTERVENTION',
          participants: 15,
          cellSource: null,
          cellType: null,
          donor: null,
          route: null,
          dose: null,
          comparator: 'NONE',
          cointerventions: [],
          safety: null,
        },
      ],
      bmdResults: [
        // Sites come from the class titles.
        result({
          armLabel: 'Stem cell injection',
          site: 'LUMBAR_SPINE',
          ...common,
          n: 14,
          mean: 2.9,
          sd: 2.2,
          note: `${pct} [class: Lumbar spine]`,
        }),
        result({
          armLabel: 'Zoledronic acid',
          site: 'LUMBAR_SPINE',
          ...common,
          n: 15,
          mean: 4.6,
          sd: 2.8,
          note: `${pct} [class: Lumbar spine]`,
        }),
        result({
          armLabel: 'No treatment',
          site: 'LUMBAR_SPINE',
          ...common,
          n: 13,
          mean: -0.7,
          sd: 1.8,
          note: `${pct} [class: Lumbar spine]`,
        }),
        result({
          armLabel: 'Stem cell injection',
          site: 'FEMORAL_NECK',
          ...common,
          n: 14,
          mean: 1.2,
          sd: 1.9,
          note: `${pct} [class: Femoral neck]`,
        }),
        result({
          armLabel: 'Zoledronic acid',
          site: 'FEMORAL_NECK',
          ...common,
          n: 15,
          mean: 2.1,
          sd: 2.0,
          note: `${pct} [class: Femoral neck]`,
        }),
        // mg/cm3 change by QCT, "95% Confidence Interval" (legacy spelling), latest of "Baseline, 6 and 24 months".
        result({
          armLabel: 'Stem cell injection',
          site: 'LUMBAR_SPINE',
          metric: 'ABSOLUTE_CHANGE',
          method: 'QCT',
          statistic: 'LS_MEAN',
          timepointMonths: 24,
          n: 12,
          mean: 4.8,
          ciLower: 1.2,
          ciUpper: 8.4,
          note: qct,
        }),
        // Lower bound "NA": the mean is kept without a CI.
        result({
          armLabel: 'Zoledronic acid',
          site: 'LUMBAR_SPINE',
          metric: 'ABSOLUTE_CHANGE',
          method: 'QCT',
          statistic: 'LS_MEAN',
          timepointMonths: 24,
          n: 13,
          mean: 9.6,
          note: qct,
        }),
      ],
      references: [
        {
          pmid: null,
          doi: null,
          citation: 'SYNTHETIC citation with a malformed PMID; not a real publication.',
          url: null,
        },
      ],
      riskOfBias: null,
      provenance: {
        kind: 'REGISTRY',
        sources: ['https://clinicaltrials.gov/study/NCT99999903'],
        note: 'Mapped from the ClinicalTrials.gov API v2 record NCT99999903. Cell-therapy details, comparators and population were inferred by keyword rules; check them against the record.',
      },
    });
    expect(TrialInput.safeParse(trial).success).toBe(true);
  });

  it('asks for curation of the cell arm and reports skipped values', () => {
    expect(warnings.map((w) => w.code)).toEqual([
      'COMPLETION_BEFORE_START',
      'REFERENCE_PMID_INVALID',
      'NEEDS_CURATION',
      'BMD_VALUE_NOT_NUMERIC',
      'BMD_SPREAD_NOT_USABLE',
      'BMD_UNSUPPORTED_DISPERSION',
    ]);
    const curation = warnings[2]?.message ?? '';
    expect(curation).toContain('arm "Stem cell injection"');
    expect(curation).toContain('needs curation');
    for (const field of ['cell source', 'cell type', 'donor', 'route'])
      expect(curation).toContain(`${field} not stated`);
    expect(warnings[3]?.message).toBe(
      'outcome "Percent Change From Baseline in Bone Mineral Density" [Femoral neck], group "No treatment" (OG002): value "" is not a number; skipped',
    );
    expect(warnings[5]?.message).toContain('FULL_RANGE');
  });
});

describe('a /studies page of synthetic records', () => {
  it('maps each record of the page', () => {
    const page = {
      studies: ['NCT99999901.json', 'NCT99999902.json', 'NCT99999903.json'].map(readSynthetic),
      nextPageToken: 'abc',
    };
    const ids = extractCtgovStudies(page).map((s) => mapCtgovStudy(s).trial.registryIds[0]);
    expect(ids).toEqual(['NCT99999901', 'NCT99999902', 'NCT99999903']);
  });
});
