import { z } from 'zod';
import { vocabEnum } from './common';
import { DoseInput, SafetyInput } from './trial-input';

/** The Trial as served. Every optional field is present, `null` when not reported. */
const nullableNumber = z.number().nullable();

export const Arm = z
  .object({
    id: z.string(),
    label: z.string(),
    type: vocabEnum('armType'),
    participants: z.number().int().nullable(),
    cellSource: vocabEnum('cellSource').nullable(),
    cellType: vocabEnum('cellType').nullable(),
    donor: vocabEnum('donor').nullable(),
    route: vocabEnum('route').nullable(),
    dose: DoseInput.nullable(),
    comparator: vocabEnum('comparator').nullable(),
    cointerventions: z.array(vocabEnum('comparator')),
    safety: SafetyInput.nullable(),
  })
  .meta({ id: 'Arm' });

export const BmdResult = z
  .object({
    id: z.string(),
    armId: z.string(),
    site: vocabEnum('site'),
    metric: vocabEnum('metric'),
    method: vocabEnum('method'),
    statistic: vocabEnum('statistic'),
    timepointMonths: z.number(),
    n: z.number().int(),
    mean: z.number(),
    sd: nullableNumber,
    se: nullableNumber,
    ciLower: nullableNumber,
    ciUpper: nullableNumber,
    sdEffective: nullableNumber.meta({ description: 'Reported SD, else derived from SE or 95% CI.' }),
    sdSource: vocabEnum('sdSource').nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'BmdResult' });

export const Reference = z.object({
  pmid: z.string().nullable(),
  doi: z.string().nullable(),
  citation: z.string(),
  url: z.string().nullable(),
});

export const Provenance = z
  .object({
    kind: vocabEnum('provenanceKind'),
    sources: z.array(z.string()),
    note: z.string().nullable(),
  })
  .meta({ id: 'Provenance' });

export const Trial = z
  .object({
    id: z.string(),
    registryIds: z.array(z.string()),
    title: z.string(),
    briefSummary: z.string().nullable(),
    studyType: vocabEnum('studyType'),
    phases: z.array(vocabEnum('phase')),
    overallStatus: vocabEnum('overallStatus'),
    allocation: vocabEnum('allocation').nullable(),
    masking: vocabEnum('masking').nullable(),
    enrollment: z.object({ count: z.number().int(), type: vocabEnum('enrollmentType') }).nullable(),
    startDate: z.string().nullable(),
    completionDate: z.string().nullable(),
    countries: z.array(z.string()),
    sponsor: z.string().nullable(),
    population: vocabEnum('population'),
    baseline: z
      .object({
        meanAge: z.number().nullable().optional(),
        meanTScore: z.number().nullable().optional(),
        note: z.string().nullable().optional(),
      })
      .nullable(),
    arms: z.array(Arm),
    bmdResults: z.array(BmdResult),
    references: z.array(Reference),
    riskOfBias: z
      .object({
        tool: vocabEnum('riskOfBiasTool'),
        overall: vocabEnum('riskOfBias'),
        note: z.string().nullable(),
      })
      .nullable(),
    provenance: Provenance,
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Trial' });

export type Trial = z.output<typeof Trial>;
export type Arm = z.output<typeof Arm>;
export type BmdResult = z.output<typeof BmdResult>;
