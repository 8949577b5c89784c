import { z } from 'zod';
import {
  CountryCode,
  NCT_ID,
  OneDecimal,
  PartialDate,
  ReadOnly,
  RecordId,
  RegistryId,
  vocabEnum,
} from './common';
import { provenanceProblems } from './provenance-rules';

const text = (max: number) => z.string().trim().min(1).max(max);
const nullableText = (max: number) => z.string().trim().max(max).nullable().default(null);
const count = z.number().int().min(0).max(10_000_000);

export const DoseInput = z
  .strictObject({
    cells: z.number().positive().nullable().optional(),
    cellsPerKg: z.number().positive().nullable().optional(),
    administrations: z.number().int().min(1).max(1000).nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .meta({ example: { cellsPerKg: 2000000, administrations: 1, note: 'single infusion' } });

export const SafetyInput = z.strictObject({
  seriousAdverseEvents: count.nullable().optional(),
  newFractures: count.nullable().optional(),
  deaths: count.nullable().optional(),
  note: z.string().max(2000).nullable().optional(),
});

export const ArmInput = z.strictObject({
  id: RecordId.optional().meta({ description: 'Send an arm’s id to keep it on replace; new arms get one.' }),
  label: text(300),
  type: vocabEnum('armType'),
  participants: count.nullable().default(null),
  cellSource: vocabEnum('cellSource').nullable().default(null),
  cellType: vocabEnum('cellType').nullable().default(null),
  donor: vocabEnum('donor').nullable().default(null),
  route: vocabEnum('route').nullable().default(null),
  dose: DoseInput.nullable().default(null),
  comparator: vocabEnum('comparator').nullable().default(null),
  cointerventions: z.array(vocabEnum('comparator')).max(10).default([]),
  safety: SafetyInput.nullable().default(null),
});

export const BmdResultInput = z.strictObject({
  id: ReadOnly,
  armId: RecordId.optional(),
  armLabel: text(300).optional(),
  site: vocabEnum('site'),
  metric: vocabEnum('metric'),
  method: vocabEnum('method').default('NOT_REPORTED'),
  statistic: vocabEnum('statistic').default('MEAN'),
  timepointMonths: OneDecimal,
  n: z.number().int().min(1).max(10_000_000),
  mean: z.number().min(-1e6).max(1e6),
  sd: z.number().min(0).max(1e6).nullable().default(null),
  se: z.number().min(0).max(1e6).nullable().default(null),
  ciLower: z.number().min(-1e6).max(1e6).nullable().default(null),
  ciUpper: z.number().min(-1e6).max(1e6).nullable().default(null),
  note: z.string().max(4000).nullable().default(null),
  sdEffective: ReadOnly,
  sdSource: ReadOnly,
});

export const ReferenceInput = z
  .strictObject({
    pmid: z
      .string()
      .regex(/^\d{1,9}$/, 'a PMID is 1 to 9 digits')
      .nullable()
      .default(null),
    doi: z
      .string()
      .regex(/^10\.\d{4,9}\/\S+$/, 'a DOI starts with 10.NNNN/')
      .nullable()
      .default(null),
    citation: text(2000),
    url: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .default(null),
  })
  .meta({
    example: {
      citation: 'Li J, et al. J Transl Med. 2012;10:102.',
      url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC3408346',
    },
  });

export const ProvenanceInput = z.strictObject({
  kind: vocabEnum('provenanceKind'),
  sources: z.array(text(2000)).max(50),
  note: z.string().max(4000).nullable().default(null),
});

export const RiskOfBiasInput = z.strictObject({
  tool: vocabEnum('riskOfBiasTool'),
  overall: vocabEnum('riskOfBias'),
  note: z.string().max(4000).nullable().default(null),
});

const TrialInputShape = z.strictObject({
  id: RecordId.optional().meta({
    description: 'Read-only on POST and PUT; a bundle import keeps it on create.',
  }),
  registryIds: z.array(RegistryId).max(20).default([]),
  title: text(1000),
  briefSummary: z.string().trim().max(20_000).nullable().default(null),
  studyType: vocabEnum('studyType'),
  phases: z.array(vocabEnum('phase')).max(6).default([]),
  overallStatus: vocabEnum('overallStatus'),
  allocation: vocabEnum('allocation').nullable().default(null),
  masking: vocabEnum('masking').nullable().default(null),
  enrollment: z
    .strictObject({ count: count, type: vocabEnum('enrollmentType') })
    .nullable()
    .default(null),
  startDate: PartialDate.nullable().default(null),
  completionDate: PartialDate.nullable().default(null),
  countries: z.array(CountryCode).max(250).default([]),
  sponsor: nullableText(500),
  population: vocabEnum('population').default('NOT_REPORTED'),
  baseline: z
    .strictObject({
      meanAge: z.number().min(0).max(130).nullable().optional(),
      meanTScore: z.number().min(-10).max(10).nullable().optional(),
      note: z.string().max(4000).nullable().optional(),
    })
    .nullable()
    .default(null),
  arms: z.array(ArmInput).min(1).max(50),
  bmdResults: z.array(BmdResultInput).max(2000).default([]),
  references: z.array(ReferenceInput).max(100).default([]),
  riskOfBias: RiskOfBiasInput.nullable().default(null),
  provenance: ProvenanceInput,
  version: ReadOnly,
  createdAt: ReadOnly,
  updatedAt: ReadOnly,
});

type Ctx = z.RefinementCtx<z.output<typeof TrialInputShape>>;

function issue(ctx: Ctx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/** Rules that span fields: they need the whole record, so they run after each field is valid. */
function checkWholeRecord(trial: z.output<typeof TrialInputShape>, ctx: Ctx): void {
  const seenIds = new Set<string>();
  trial.registryIds.forEach((id, i) => {
    const key = id.toUpperCase();
    if (seenIds.has(key)) issue(ctx, ['registryIds', i], `registry id ${id} is listed twice`);
    seenIds.add(key);
    if (key.startsWith('NCT') && !NCT_ID.test(id))
      issue(ctx, ['registryIds', i], 'an NCT id must be NCT + 8 digits');
  });
  const labels = new Map<string, number>();
  const armIds = new Map<string, number>();
  trial.arms.forEach((arm, i) => {
    if (labels.has(arm.label)) issue(ctx, ['arms', i, 'label'], `arm label "${arm.label}" is used twice`);
    labels.set(arm.label, i);
    if (arm.id !== undefined) {
      if (armIds.has(arm.id)) issue(ctx, ['arms', i, 'id'], `arm id ${arm.id} is used twice`);
      armIds.set(arm.id, i);
    }
    if (arm.cellSource === null) {
      for (const field of ['cellType', 'donor', 'route'] as const) {
        if (arm[field] !== null)
          issue(
            ctx,
            ['arms', i, field],
            `${field} is only for cell-therapy arms; set cellSource or send null`,
          );
      }
    } else {
      // The arms table's CHECK: a cell-therapy arm states its cells, donor and route, if only as unknown.
      for (const field of ['cellType', 'donor', 'route'] as const) {
        if (arm[field] === null)
          issue(
            ctx,
            ['arms', i, field],
            `a cell-therapy arm (cellSource ${arm.cellSource}) needs ${field}; send NOT_REPORTED when the source does not say`,
          );
      }
      if (arm.comparator !== null)
        issue(ctx, ['arms', i, 'comparator'], 'comparator is only for control (non-cell) arms');
    }
  });
  trial.bmdResults.forEach((result, i) => {
    const byId = result.armId === undefined ? undefined : armIds.get(result.armId);
    const byLabel = result.armLabel === undefined ? undefined : labels.get(result.armLabel);
    if (result.armId === undefined && result.armLabel === undefined) {
      issue(ctx, ['bmdResults', i, 'armId'], 'a result needs armId or armLabel naming an arm of this trial');
      return;
    }
    if (result.armId !== undefined && byId === undefined && byLabel === undefined) {
      issue(ctx, ['bmdResults', i, 'armId'], `no arm of this trial has id ${result.armId}`);
      return;
    }
    if (result.armId === undefined && byLabel === undefined) {
      issue(ctx, ['bmdResults', i, 'armLabel'], `no arm of this trial is labelled "${result.armLabel}"`);
      return;
    }
    const arm = trial.arms[(byId ?? byLabel) as number];
    if (arm?.participants != null && result.n > arm.participants)
      issue(
        ctx,
        ['bmdResults', i, 'n'],
        `n (${result.n}) exceeds the arm's participants (${arm.participants})`,
      );
    const oneBound = (result.ciLower === null) !== (result.ciUpper === null);
    if (oneBound) issue(ctx, ['bmdResults', i, 'ciUpper'], 'give both ciLower and ciUpper, or neither');
    if (result.ciLower !== null && result.ciUpper !== null && !(result.ciLower < result.ciUpper))
      issue(ctx, ['bmdResults', i, 'ciLower'], 'ciLower must be less than ciUpper');
    else if (result.ciLower !== null && result.ciUpper !== null) {
      // A 95% CI around the reported mean contains it; one that does not is a typing error.
      const side = result.mean < result.ciLower ? 'ciLower' : result.mean > result.ciUpper ? 'ciUpper' : null;
      if (side)
        issue(
          ctx,
          ['bmdResults', i, side],
          `the 95% CI [${result.ciLower}, ${result.ciUpper}] does not contain the ${result.statistic === 'MEDIAN' ? 'median' : 'mean'} (${result.mean})`,
        );
    }
  });
  if (
    trial.startDate &&
    trial.completionDate &&
    trial.completionDate < trial.startDate.slice(0, trial.completionDate.length)
  )
    issue(ctx, ['completionDate'], 'completionDate is before startDate');
  for (const problem of provenanceProblems(trial)) issue(ctx, problem.path, problem.message);
}

export const TrialInput = TrialInputShape.superRefine(checkWholeRecord).meta({ id: 'TrialBody' });
export type TrialInput = z.output<typeof TrialInput>;
export type ArmInput = z.output<typeof ArmInput>;
export type BmdResultInput = z.output<typeof BmdResultInput>;
