import { z } from 'zod';
import { RecordId, RegistryId, vocabEnum } from '../schemas/common';
import { ArmInput, BmdResultInput, ProvenanceInput, TrialInput } from '../schemas/trial-input';

/** Export columns an import ignores: the server derives or assigns them. */
export const READ_ONLY_COLUMNS = ['id', 'sdEffective', 'sdSource'] as const;
/**
 * Columns every file needs: what states one result of a named arm. The file also needs a column
 * that finds each row's trial (TRIAL_KEY_COLUMNS) and one for the result's spread (sd, se, or both
 * CI bounds). Every other column is needed only to create a trial or an arm the catalogue lacks.
 */
export const REQUIRED_COLUMNS = ['armLabel', 'site', 'metric', 'timepointMonths', 'n', 'mean'] as const;
export const TRIAL_KEY_COLUMNS = ['trialId', 'registryIds'] as const;
/** Other names a header may give a column: a minimal file has one registry id per row. */
export const COLUMN_ALIASES: Readonly<Record<string, string>> = { registryId: 'registryIds' };

export const NUMBER_COLUMNS = new Set([
  'participants',
  'timepointMonths',
  'n',
  'mean',
  'sd',
  'se',
  'ciLower',
  'ciUpper',
]);
export const LIST_COLUMNS = new Set(['registryIds', 'phases', 'provenanceSources']);
/** Columns of free text (or ids), taken as written; every other text column holds vocabulary values. */
export const TEXT_COLUMNS = new Set([
  'trialId',
  'registryIds',
  'trialTitle',
  'provenanceSources',
  'armId',
  'armLabel',
  'note',
]);

const arm = ArmInput.shape;
const result = BmdResultInput.shape;

/**
 * One row's cells once read: the same rules as the write schema, column by column. Whether a
 * row's trial and arm columns are complete enough to create them is checked later, on the
 * assembled trial, because a row of a stored trial needs only its result columns.
 */
export const CsvRowSchema = z
  .object({
    trialId: RecordId.optional(),
    registryIds: z.array(RegistryId).default([]),
    trialTitle: TrialInput.shape.title.optional(),
    studyType: vocabEnum('studyType').optional(),
    overallStatus: vocabEnum('overallStatus').optional(),
    phases: z.array(vocabEnum('phase')).default([]),
    population: vocabEnum('population').optional(),
    provenanceKind: vocabEnum('provenanceKind').optional(),
    provenanceSources: ProvenanceInput.shape.sources.default([]),
    armId: RecordId.optional(),
    armLabel: arm.label,
    armType: vocabEnum('armType').optional(),
    participants: arm.participants,
    cellSource: arm.cellSource,
    cellType: arm.cellType,
    donor: arm.donor,
    route: arm.route,
    comparator: arm.comparator,
    site: result.site,
    metric: result.metric,
    method: result.method,
    statistic: result.statistic,
    timepointMonths: result.timepointMonths,
    n: result.n,
    mean: result.mean,
    sd: result.sd,
    se: result.se,
    ciLower: result.ciLower,
    ciUpper: result.ciUpper,
    note: result.note,
  })
  .superRefine((row, ctx) => {
    if (row.trialId === undefined && row.registryIds.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['trialId'],
        message: 'give trialId or registryIds, so that the row’s trial is found again on a re-import',
      });
  });
export type CsvRowValues = z.output<typeof CsvRowSchema>;
