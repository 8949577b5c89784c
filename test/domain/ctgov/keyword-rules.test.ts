import { describe, expect, it } from 'vitest';
import {
  dispersionOf,
  methodOf,
  metricOf,
  siteOf,
  statisticOf,
} from '../../../src/domain/ctgov/classify-bmd';
import { inferCellDetails, isCellIntervention } from '../../../src/domain/ctgov/infer-cell-therapy';
import { inferComparator } from '../../../src/domain/ctgov/infer-comparator';
import { inferPopulation } from '../../../src/domain/ctgov/infer-population';
import type { Intervention } from '../../../src/domain/ctgov/interventions';
import { countryCode } from '../../../src/domain/ctgov/map-countries';
import { matchGroupToArm } from '../../../src/domain/ctgov/match-groups';

const iv = (
  name: string,
  type: string | null = 'BIOLOGICAL',
  description: string | null = null,
): Intervention => ({
  type,
  name,
  description,
  otherNames: [],
});

describe('cell-therapy detection', () => {
  it.each([
    'Autologous bone marrow mesenchymal stem cells',
    'hUC-MSC',
    'Bone marrow mononuclear cells',
    'Stromal vascular fraction',
    'SVF',
    'iPSC-derived osteoblasts',
    'Induced pluripotent stem cell derivatives',
    'Exosomes',
    'Extracellular vesicles from MSCs',
    'Osteoprogenitor cells',
    'Hematopoietic stem cells',
  ])('names cells: %s', (name) => {
    expect(isCellIntervention(iv(name, 'DRUG'))).toBe(true);
  });

  it('counts plain "cells" only for biological-type interventions', () => {
    expect(isCellIntervention(iv('Expanded cells', 'BIOLOGICAL'))).toBe(true);
    expect(isCellIntervention(iv('Expanded cells', 'GENETIC'))).toBe(true);
    expect(isCellIntervention(iv('Expanded cells', 'DRUG'))).toBe(false);
    expect(isCellIntervention(iv('Cell-free conditioned medium', 'BIOLOGICAL'))).toBe(false);
  });

  it('never counts a placebo, however its description reads', () => {
    expect(isCellIntervention(iv('Placebo', 'BIOLOGICAL', 'Saline without mesenchymal stem cells'))).toBe(
      false,
    );
    expect(isCellIntervention(iv('Zoledronic acid', 'DRUG', '5 mg yearly'))).toBe(false);
  });
});

describe('cell details', () => {
  it.each([
    ['Autologous bone marrow MSCs, intravenous infusion', 'BONE_MARROW', 'MSC', 'AUTOLOGOUS', 'INTRAVENOUS'],
    [
      'Allogeneic umbilical cord mesenchymal stromal cells given IV',
      'UMBILICAL_CORD',
      'MSC',
      'ALLOGENEIC',
      'INTRAVENOUS',
    ],
    [
      'Umbilical cord blood mononuclear cells, infused',
      'CORD_BLOOD',
      'MONONUCLEAR_CELLS',
      'NOT_REPORTED',
      'INTRAVENOUS',
    ],
    [
      'Autologous stromal vascular fraction from lipoaspirate, injected into the femoral head',
      'ADIPOSE',
      'STROMAL_VASCULAR_FRACTION',
      'AUTOLOGOUS',
      'LOCAL_INJECTION',
    ],
    [
      'Placenta-derived MSCs on a scaffold implanted at surgery',
      'PLACENTA',
      'MSC',
      'NOT_REPORTED',
      'SURGICAL_IMPLANT',
    ],
    [
      'Dental pulp stem cells, intraosseous injection',
      'DENTAL_PULP',
      'NOT_REPORTED',
      'NOT_REPORTED',
      'INTRAOSSEOUS',
    ],
    [
      'Peripheral blood CD34+ cells by intra-arterial infusion',
      'PERIPHERAL_BLOOD',
      'HEMATOPOIETIC',
      'NOT_REPORTED',
      'INTRA_ARTERIAL',
    ],
    ['iPSC-derived osteoprogenitors', 'IPSC', 'OSTEOPROGENITORS', 'NOT_REPORTED', 'NOT_REPORTED'],
    [
      'Embryonic stem cell derived exosomes',
      'EMBRYONIC',
      'EXTRACELLULAR_VESICLES',
      'NOT_REPORTED',
      'NOT_REPORTED',
    ],
  ])('%s', (name, cellSource, cellType, donor, route) => {
    const details = inferCellDetails([iv(name)], '');
    expect({
      cellSource: details.cellSource,
      cellType: details.cellType,
      donor: details.donor,
      route: details.route,
    }).toEqual({
      cellSource,
      cellType,
      donor,
      route,
    });
  });

  it('reads the arm description too, and lists what it could not tell', () => {
    const details = inferCellDetails([iv('Stem cells')], 'Allogeneic cells, given intravenously');
    expect(details).toEqual({
      cellSource: 'NOT_REPORTED',
      cellType: 'NOT_REPORTED',
      donor: 'ALLOGENEIC',
      route: 'INTRAVENOUS',
      unresolved: ['cell source not stated', 'cell type not stated'],
    });
  });

  it('several sources or routes named → OTHER; both donors → NOT_REPORTED', () => {
    const details = inferCellDetails(
      [iv('Autologous or allogeneic MSCs from bone marrow or adipose tissue, intravenous or intraosseous')],
      '',
    );
    expect(details).toEqual({
      cellSource: 'OTHER',
      cellType: 'MSC',
      donor: 'NOT_REPORTED',
      route: 'OTHER',
      unresolved: [
        'cell source ambiguous (BONE_MARROW, ADIPOSE)',
        'donor ambiguous (AUTOLOGOUS, ALLOGENEIC)',
        'route ambiguous (INTRAVENOUS, INTRAOSSEOUS)',
      ],
    });
  });

  it('"infusion" does not make an intra-arterial route intravenous, and graft-versus-host is not a graft', () => {
    expect(inferCellDetails([iv('MSC intra-arterial infusion')], '').route).toBe('INTRA_ARTERIAL');
    expect(inferCellDetails([iv('MSC, to prevent graft-versus-host disease')], '').route).toBe(
      'NOT_REPORTED',
    );
  });
});

describe('comparator of a non-cell arm', () => {
  it.each([
    [['Placebo'], 'PLACEBO_COMPARATOR', 'PLACEBO', []],
    [['Placebo for zoledronic acid'], 'PLACEBO_COMPARATOR', 'PLACEBO', []],
    [
      ['Zoledronic acid', 'Calcium and vitamin D'],
      'ACTIVE_COMPARATOR',
      'BISPHOSPHONATE',
      ['CALCIUM_VITAMIN_D'],
    ],
    [['Alendronate', 'Placebo injection'], 'ACTIVE_COMPARATOR', 'BISPHOSPHONATE', []],
    [['Risedronate'], 'ACTIVE_COMPARATOR', 'BISPHOSPHONATE', []],
    [['Ibandronate'], 'ACTIVE_COMPARATOR', 'BISPHOSPHONATE', []],
    [['Denosumab'], 'ACTIVE_COMPARATOR', 'DENOSUMAB', []],
    [['Teriparatide'], 'ACTIVE_COMPARATOR', 'TERIPARATIDE', []],
    [['Romosozumab'], 'ACTIVE_COMPARATOR', 'ROMOSOZUMAB', []],
    [['Calcium', 'Cholecalciferol'], 'ACTIVE_COMPARATOR', 'CALCIUM_VITAMIN_D', []],
    [['Placebo', 'Vitamin D3'], 'PLACEBO_COMPARATOR', 'PLACEBO', ['CALCIUM_VITAMIN_D']],
    [['Usual care'], 'OTHER', 'STANDARD_CARE', []],
    [['Observation'], 'NO_INTERVENTION', 'NONE', []],
    [['Repaglinide'], 'EXPERIMENTAL', null, []],
  ])('%j (%s) → %s', (names, armType, comparator, cointerventions) => {
    expect(inferComparator(names as string[], armType as 'OTHER')).toEqual({ comparator, cointerventions });
  });
});

describe('population', () => {
  const population = (conditions: string[], keywords: string[] = []) =>
    inferPopulation({ conditions, keywords });
  it('needs osteoporosis or osteopenia named, then reads the qualifier', () => {
    expect(population(['Postmenopausal Osteoporosis'])).toBe('POSTMENOPAUSAL');
    expect(population(['Osteoporosis, Postmenopausal'])).toBe('POSTMENOPAUSAL');
    expect(population(['Osteopenia'], ['post-menopausal women'])).toBe('POSTMENOPAUSAL');
    expect(population(['Glucocorticoid-induced Osteoporosis'])).toBe('GLUCOCORTICOID_INDUCED');
    expect(population(['Osteoporosis'], ['corticosteroid-induced bone loss'])).toBe('GLUCOCORTICOID_INDUCED');
    expect(population(['Osteoporosis, Male'])).toBe('MALE');
    expect(population(['Osteoporosis in Men'])).toBe('MALE');
    expect(population(['Female osteoporosis'])).toBe('NOT_REPORTED');
    expect(population(['Osteoporosis'])).toBe('NOT_REPORTED');
    expect(population(['Postmenopausal Osteoporosis', 'Male Osteoporosis'])).toBe('MIXED');
    expect(population(['Breast Cancer'], ['postmenopausal'])).toBe('NOT_REPORTED');
    expect(inferPopulation(undefined)).toBe('NOT_REPORTED');
  });
});

describe('BMD outcome classification', () => {
  it('statistic and dispersion, in enum and legacy spellings', () => {
    expect(statisticOf('MEAN')).toBe('MEAN');
    expect(statisticOf('Mean')).toBe('MEAN');
    expect(statisticOf('LEAST_SQUARES_MEAN')).toBe('LS_MEAN');
    expect(statisticOf('Least Squares Mean')).toBe('LS_MEAN');
    expect(statisticOf('MEDIAN')).toBeNull();
    expect(statisticOf('GEOMETRIC_MEAN')).toBeNull();
    expect(dispersionOf('STANDARD_DEVIATION')).toBe('SD');
    expect(dispersionOf('Standard Deviation')).toBe('SD');
    expect(dispersionOf('STANDARD_ERROR')).toBe('SE');
    expect(dispersionOf('Standard Error')).toBe('SE');
    expect(dispersionOf('CONFIDENCE_95')).toBe('CI95');
    expect(dispersionOf('CONFIDENCE_INTERVAL_95')).toBe('CI95');
    expect(dispersionOf('95% Confidence Interval')).toBe('CI95');
    expect(dispersionOf(null)).toBe('NONE');
    expect(dispersionOf('NA')).toBe('NONE');
    expect(dispersionOf('CONFIDENCE_90')).toBeNull();
    expect(dispersionOf('Full Range')).toBeNull();
    expect(dispersionOf('INTER_QUARTILE_RANGE')).toBeNull();
  });

  it('site', () => {
    expect(siteOf(['Lumbar spine BMD'])).toBe('LUMBAR_SPINE');
    expect(siteOf(['BMD at L1-L4'])).toBe('LUMBAR_SPINE');
    expect(siteOf(['BMD at L2–4'])).toBe('LUMBAR_SPINE');
    expect(siteOf(['Femoral neck BMD'])).toBe('FEMORAL_NECK');
    expect(siteOf(['Hip (femoral neck) BMD'])).toBe('FEMORAL_NECK');
    expect(siteOf(['Total hip BMD'])).toBe('TOTAL_HIP');
    expect(siteOf(['Hip BMD'])).toBe('TOTAL_HIP');
    expect(siteOf(['Distal radius BMD'])).toBe('DISTAL_RADIUS');
    expect(siteOf(['Forearm BMD'])).toBe('DISTAL_RADIUS');
    expect(siteOf(['Whole body BMD'])).toBe('TOTAL_BODY');
    expect(siteOf(['Trochanter BMD'])).toBe('OTHER');
    expect(siteOf([null, 'Femoral neck', 'Lumbar spine and total hip BMD'])).toBe('FEMORAL_NECK');
    expect(siteOf(['Lumbar spine and total hip BMD'])).toBeNull();
  });

  it('metric from the unit (and "change" in the title)', () => {
    expect(metricOf('%', 'Percent change in BMD')).toBe('PERCENT_CHANGE');
    expect(metricOf('percent', 'BMD')).toBe('PERCENT_CHANGE');
    expect(metricOf('percent change', 'BMD')).toBe('PERCENT_CHANGE');
    expect(metricOf('g/cm2', 'Change in BMD')).toBe('ABSOLUTE_CHANGE');
    expect(metricOf('g/cm^2', 'Change From Baseline in BMD')).toBe('ABSOLUTE_CHANGE');
    expect(metricOf('g/cm²', 'BMD')).toBe('FINAL_VALUE');
    expect(metricOf('grams per square centimeter', 'BMD')).toBe('FINAL_VALUE');
    expect(metricOf('mg/cm3', 'Change in volumetric BMD')).toBe('ABSOLUTE_CHANGE');
    expect(metricOf('T-score', 'Change in BMD T-score')).toBe('T_SCORE_CHANGE');
    expect(metricOf('T score', 'BMD')).toBe('T_SCORE');
    expect(metricOf('standard deviations', 'Lumbar spine T-score')).toBe('T_SCORE');
    expect(metricOf('Z-score', 'BMD Z-score')).toBeNull();
    expect(metricOf('participants', 'BMD responders')).toBeNull();
    expect(metricOf(null, 'BMD')).toBeNull();
  });

  it('method', () => {
    expect(methodOf('by DXA')).toBe('DXA');
    expect(methodOf('by DEXA')).toBe('DXA');
    expect(methodOf('dual-energy X-ray absorptiometry')).toBe('DXA');
    expect(methodOf('by QCT')).toBe('QCT');
    expect(methodOf('peripheral QCT (pQCT)')).toBe('QCT');
    expect(methodOf('quantitative computed tomography')).toBe('QCT');
    expect(methodOf('BMD')).toBe('NOT_REPORTED');
    expect(methodOf('DXA and QCT')).toBe('NOT_REPORTED');
  });
});

describe('results groups to arms', () => {
  const arms = [
    { label: 'MSC infusion', description: 'One infusion of cells.' },
    { label: 'Placebo', description: 'One infusion of saline.' },
  ];
  it('by title (case and spaces ignored), then unique description, never fuzzily', () => {
    expect(matchGroupToArm({ id: 'OG000', title: '  msc INFUSION ', description: null }, arms, 2)).toBe(
      'MSC infusion',
    );
    expect(
      matchGroupToArm(
        { id: 'OG001', title: 'Saline group', description: 'One infusion of saline.' },
        arms,
        2,
      ),
    ).toBe('Placebo');
    expect(matchGroupToArm({ id: 'OG002', title: 'MSC', description: null }, arms, 2)).toBeNull();
  });
  it('the only arm of a single-arm study, when the results have a single group', () => {
    const one = [{ label: 'All participants', description: null }];
    expect(matchGroupToArm({ id: 'OG000', title: 'Treated', description: null }, one, 1)).toBe(
      'All participants',
    );
    expect(matchGroupToArm({ id: 'OG000', title: 'Responders', description: null }, one, 2)).toBeNull();
  });
});

describe('country names', () => {
  it.each([
    ['United States', 'US'],
    ['Korea, Republic of', 'KR'],
    ['Russian Federation', 'RU'],
    ['Taiwan', 'TW'],
    ['Iran, Islamic Republic of', 'IR'],
    ['Viet Nam', 'VN'],
    ['United Kingdom', 'GB'],
    ['Republic of Nowhere', null],
  ])('%s → %s', (name, code) => {
    expect(countryCode(name)).toBe(code);
  });
});
