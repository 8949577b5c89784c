/**
 * Every controlled vocabulary of the catalogue, with the label a person reads.
 * Spellings follow ClinicalTrials.gov wherever that registry has the field, so records map across.
 */
function vocabulary<const T extends Record<string, string>>(labels: T) {
  return { values: Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]], labels };
}

export const vocabularies = {
  studyType: vocabulary({
    INTERVENTIONAL: 'Interventional',
    OBSERVATIONAL: 'Observational',
    EXPANDED_ACCESS: 'Expanded access',
  }),
  phase: vocabulary({
    EARLY_PHASE1: 'Early phase 1',
    PHASE1: 'Phase 1',
    PHASE2: 'Phase 2',
    PHASE3: 'Phase 3',
    PHASE4: 'Phase 4',
    NA: 'Not applicable',
  }),
  overallStatus: vocabulary({
    NOT_YET_RECRUITING: 'Not yet recruiting',
    RECRUITING: 'Recruiting',
    ENROLLING_BY_INVITATION: 'Enrolling by invitation',
    ACTIVE_NOT_RECRUITING: 'Active, not recruiting',
    SUSPENDED: 'Suspended',
    TERMINATED: 'Terminated',
    COMPLETED: 'Completed',
    WITHDRAWN: 'Withdrawn',
    UNKNOWN: 'Unknown status',
  }),
  allocation: vocabulary({
    RANDOMIZED: 'Randomized',
    NON_RANDOMIZED: 'Non-randomized',
    NA: 'Not applicable',
  }),
  masking: vocabulary({
    NONE: 'None (open label)',
    SINGLE: 'Single',
    DOUBLE: 'Double',
    TRIPLE: 'Triple',
    QUADRUPLE: 'Quadruple',
  }),
  enrollmentType: vocabulary({ ACTUAL: 'Actual', ESTIMATED: 'Estimated' }),
  population: vocabulary({
    POSTMENOPAUSAL: 'Postmenopausal osteoporosis',
    AGE_RELATED: 'Age-related (senile) osteoporosis',
    GLUCOCORTICOID_INDUCED: 'Glucocorticoid-induced osteoporosis',
    MALE: 'Male osteoporosis',
    SECONDARY_OTHER: 'Other secondary osteoporosis',
    MIXED: 'Mixed population',
    NOT_REPORTED: 'Not reported',
  }),
  armType: vocabulary({
    EXPERIMENTAL: 'Experimental',
    ACTIVE_COMPARATOR: 'Active comparator',
    PLACEBO_COMPARATOR: 'Placebo comparator',
    SHAM_COMPARATOR: 'Sham comparator',
    NO_INTERVENTION: 'No intervention',
    OTHER: 'Other',
  }),
  cellSource: vocabulary({
    BONE_MARROW: 'Bone marrow',
    ADIPOSE: 'Adipose tissue',
    UMBILICAL_CORD: 'Umbilical cord',
    CORD_BLOOD: 'Cord blood',
    PLACENTA: 'Placenta',
    DENTAL_PULP: 'Dental pulp',
    PERIPHERAL_BLOOD: 'Peripheral blood',
    IPSC: 'Induced pluripotent stem cells',
    EMBRYONIC: 'Embryonic stem cells',
    OTHER: 'Other',
    NOT_REPORTED: 'Not reported',
  }),
  cellType: vocabulary({
    MSC: 'Mesenchymal stromal/stem cells',
    MONONUCLEAR_CELLS: 'Mononuclear cells',
    STROMAL_VASCULAR_FRACTION: 'Stromal vascular fraction',
    EXTRACELLULAR_VESICLES: 'Extracellular vesicles',
    OSTEOPROGENITORS: 'Osteoprogenitor cells',
    HEMATOPOIETIC: 'Hematopoietic stem cells',
    OTHER: 'Other',
    NOT_REPORTED: 'Not reported',
  }),
  donor: vocabulary({ AUTOLOGOUS: 'Autologous', ALLOGENEIC: 'Allogeneic', NOT_REPORTED: 'Not reported' }),
  route: vocabulary({
    INTRAVENOUS: 'Intravenous',
    INTRAOSSEOUS: 'Intraosseous',
    INTRA_ARTERIAL: 'Intra-arterial',
    LOCAL_INJECTION: 'Local injection',
    SURGICAL_IMPLANT: 'Surgical implant',
    OTHER: 'Other',
    NOT_REPORTED: 'Not reported',
  }),
  comparator: vocabulary({
    PLACEBO: 'Placebo',
    BISPHOSPHONATE: 'Bisphosphonate',
    DENOSUMAB: 'Denosumab',
    TERIPARATIDE: 'Teriparatide',
    ROMOSOZUMAB: 'Romosozumab',
    HORMONE_THERAPY: 'Hormone therapy',
    CALCIUM_VITAMIN_D: 'Calcium and vitamin D',
    STANDARD_CARE: 'Standard care',
    NONE: 'None',
    OTHER: 'Other',
  }),
  site: vocabulary({
    LUMBAR_SPINE: 'Lumbar spine',
    FEMORAL_NECK: 'Femoral neck',
    TOTAL_HIP: 'Total hip',
    DISTAL_RADIUS: 'Distal radius',
    TOTAL_BODY: 'Total body',
    OTHER: 'Other site',
  }),
  metric: vocabulary({
    PERCENT_CHANGE: 'Percent change from baseline',
    ABSOLUTE_CHANGE: 'Absolute change from baseline',
    FINAL_VALUE: 'Value at timepoint',
    T_SCORE: 'T-score at timepoint',
    T_SCORE_CHANGE: 'Change in T-score',
  }),
  method: vocabulary({
    DXA: 'Dual-energy X-ray absorptiometry (g/cm²)',
    QCT: 'Quantitative computed tomography (mg/cm³)',
    OTHER: 'Other',
    NOT_REPORTED: 'Not reported',
  }),
  statistic: vocabulary({ MEAN: 'Mean', LS_MEAN: 'Least-squares mean', MEDIAN: 'Median' }),
  sdSource: vocabulary({
    REPORTED: 'Reported SD',
    FROM_SE: 'Derived from the standard error',
    FROM_CI: 'Derived from the 95% confidence interval',
  }),
  riskOfBiasTool: vocabulary({ ROB2: 'Cochrane RoB 2', ROBINS_I: 'ROBINS-I' }),
  riskOfBias: vocabulary({
    LOW: 'Low',
    SOME_CONCERNS: 'Some concerns',
    HIGH: 'High',
    MODERATE: 'Moderate',
    SERIOUS: 'Serious',
    CRITICAL: 'Critical',
  }),
  provenanceKind: vocabulary({
    REGISTRY: 'Registry record',
    PUBLICATION: 'Published report',
    ILLUSTRATIVE: 'Illustrative (not real data)',
    USER: 'Entered by a curator',
  }),
  revisionAction: vocabulary({ CREATE: 'Created', UPDATE: 'Updated', DELETE: 'Deleted' }),
  revisionChannel: vocabulary({
    API: 'A write through the HTTP API (a curator)',
    IMPORT: 'An import (POST /imports or npm run import)',
    SYNC: 'A refresh from ClinicalTrials.gov (npm run sync)',
  }),
  syncOutcome: vocabulary({
    RUNNING: 'Started, not finished (or interrupted)',
    COMPLETED: 'Every study written or unchanged',
    REFUSALS: 'Finished with some studies refused',
    FAILED: 'Stopped early: the registry could not be read',
  }),
} as const;

export type VocabularyName = keyof typeof vocabularies;
export type Vocab<N extends VocabularyName> = (typeof vocabularies)[N]['values'][number];

/** Change metrics are the ones whose mean is itself a change from baseline, so they can be pooled as change. */
export const CHANGE_METRICS = ['PERCENT_CHANGE', 'ABSOLUTE_CHANGE', 'T_SCORE_CHANGE'] as const;
