import { z } from 'zod';
import {
  IMPORT_FORMATS,
  MAX_REPORTED_RECORDS,
  MAX_REPORTED_REJECTIONS,
  MAX_REPORTED_WARNINGS,
  RECORD_OUTCOMES,
  REJECTION_CODES,
} from '../../imports/types';
import { ProblemDetails } from '../../plugins/problem-details';
import { trueOrFalse } from '../../schemas/common';
import { TrialInput } from '../../schemas/trial-input';

export const ImportQuery = z.strictObject({
  format: z
    .enum(IMPORT_FORMATS, { error: () => 'must be bundle, csv or ctgov' })
    .optional()
    .meta({
      description:
        '`bundle` (JSON `{ "trials": [...] }`), `csv` (`text/csv`, the columns of `GET /bmd-results?format=csv`) or ' +
        '`ctgov` (ClinicalTrials.gov API v2 JSON: one study, an array, or a `/studies` page). Without it, ' +
        '`text/csv` is read as csv and JSON as ctgov when it is ClinicalTrials.gov data, else as a bundle.',
    }),
  dryRun: trueOrFalse()
    .default(false)
    .meta({ description: '`true`: validate, match and report without writing anything (default false).' }),
  allowOffTopic: trueOrFalse()
    .default(false)
    .meta({
      description:
        '`true`: import ClinicalTrials.gov records that name no bone condition or no cell-based intervention ' +
        '(each with an `OFF_TOPIC` warning) instead of skipping them (default false). Only for `format=ctgov`.',
    }),
});

const RejectionCode = z.enum(REJECTION_CODES).meta({
  id: 'RejectionCode',
  description:
    'MALFORMED_JSON / MALFORMED_CSV: the body cannot be read; INVALID_BODY: it is no import body (empty, wrong ' +
    'shape or format); INVALID_HEADER: a CSV header column is unknown, repeated or missing; INVALID_FIELD: a ' +
    'value is refused; UNKNOWN_FIELD: a field the schema does not have; DUPLICATE_ID: another record of the same ' +
    'import gives the same id or registry id; CONFLICT: an id belongs to another stored trial, or the store ' +
    'refused the write; UNREADABLE_FILE (CLI): a file cannot be read.',
});

const Rejection = z.object({
  code: RejectionCode,
  index: z.number().int().nullable().meta({
    description: 'The record (CSV: the data row, 0 = first after the header); null for the body as a whole.',
  }),
  path: z.string().meta({ description: 'JSON Pointer inside the record; for CSV `/<column>`.' }),
  message: z.string(),
  line: z
    .number()
    .int()
    .optional()
    .meta({ description: 'CSV: the line of the file (the header is line 1).' }),
  column: z.string().optional().meta({ description: 'CSV: the column.' }),
});

const Warning = z.object({
  index: z.number().int().nullable(),
  code: z.string().meta({ example: 'NEEDS_CURATION' }),
  message: z.string(),
});

const ImportRecord = z
  .object({
    index: z
      .number()
      .int()
      .meta({ description: 'The record in the body (CSV: the first data row of its trial).' }),
    id: z
      .string()
      .nullable()
      .meta({
        description:
          'The catalogue trial written or matched; null when skipped, or when an id this import assigned is not kept ' +
          '(dry run or refused import).',
      }),
    title: z.string(),
    outcome: z.enum(RECORD_OUTCOMES),
    reason: z.string().optional().meta({ description: 'Why the record was skipped.' }),
  })
  .meta({ id: 'ImportRecord', description: 'What the import did (or would do) with one record.' });

const reportShape = {
  created: z.number().int(),
  updated: z.number().int().meta({ description: 'Trials written as a new revision.' }),
  unchanged: z.number().int().meta({ description: 'Records equal to the stored trial: nothing written.' }),
  skipped: z
    .number()
    .int()
    .meta({
      description:
        'Records left out on purpose: ClinicalTrials.gov records with no bone condition or no cell-based ' +
        'intervention (see `allowOffTopic`). Each is in `records` with its reason.',
    }),
  records: z.array(ImportRecord).meta({
    description: `Each record's outcome, in the body's order (the first ${MAX_REPORTED_RECORDS.toLocaleString('en')}; the counts are whole).`,
  }),
  rejected: z.array(Rejection).meta({
    description: `The first ${MAX_REPORTED_REJECTIONS} problems; any one means nothing was written.`,
  }),
  rejectedTotal: z.number().int().meta({
    description: 'Every problem found in what was examined (a lower bound when `complete` is false).',
  }),
  rejectedByCode: z
    .partialRecord(RejectionCode, z.number().int())
    .meta({ description: '`rejectedTotal` by code.', example: { INVALID_FIELD: 3 } }),
  complete: z.boolean().meta({
    description: `False when validation stopped after the ${MAX_REPORTED_REJECTIONS}th problem: the counts are then a lower bound.`,
  }),
  warnings: z.array(Warning).meta({
    description: `What could not be mapped or was left as stored: the first ${MAX_REPORTED_WARNINGS.toLocaleString('en')}.`,
  }),
  warningsTotal: z.number().int().meta({ description: 'Every warning of the import.' }),
  warningsByCode: z
    .partialRecord(z.string(), z.number().int())
    .meta({ description: '`warningsTotal` by code.', example: { NEEDS_CURATION: 2 } }),
  dryRun: z.boolean(),
  rows: z
    .object({ added: z.number().int(), unchanged: z.number().int() })
    .optional()
    .meta({ description: 'CSV only: result rows added, and rows identical to a stored result.' }),
};

export const ImportReport = z.object(reportShape).meta({
  id: 'ImportReport',
  description: 'What the import did (or, with dryRun, would do). Counts are trials.',
});

export const ImportProblem = ProblemDetails.extend({
  ...z.object(reportShape).partial().shape,
}).meta({
  id: 'ImportProblem',
  description:
    'RFC 9457 problem details. When the body was read, the problem is also the full import report: ' +
    '`rejected` lists every problem (each also in `errors` at a JSON Pointer into the body) and nothing was written.',
});

const EXAMPLE_BUNDLE = {
  trials: [
    {
      registryIds: ['NCT01234567'],
      title: 'Autologous bone-marrow MSC infusion in postmenopausal osteoporosis',
      studyType: 'INTERVENTIONAL',
      phases: ['PHASE1', 'PHASE2'],
      overallStatus: 'COMPLETED',
      population: 'POSTMENOPAUSAL',
      arms: [
        {
          label: 'BM-MSC',
          type: 'EXPERIMENTAL',
          participants: 20,
          cellSource: 'BONE_MARROW',
          cellType: 'MSC',
          donor: 'AUTOLOGOUS',
          route: 'INTRAVENOUS',
        },
        { label: 'Placebo', type: 'PLACEBO_COMPARATOR', participants: 20, comparator: 'PLACEBO' },
      ],
      bmdResults: [
        {
          armLabel: 'BM-MSC',
          site: 'LUMBAR_SPINE',
          metric: 'PERCENT_CHANGE',
          method: 'DXA',
          timepointMonths: 12,
          n: 19,
          mean: 3.1,
          sd: 1.4,
        },
      ],
      provenance: { kind: 'PUBLICATION', sources: ['https://doi.org/10.0000/example'] },
    },
  ],
};

/** A ClinicalTrials.gov API v2 study record: whatever `/api/v2/studies/NCT…` returns, with its protocolSection. */
const CtgovStudy = z
  .looseObject({ protocolSection: z.record(z.string(), z.unknown()) })
  .meta({ title: 'ClinicalTrials.gov API v2 study' });

/**
 * Every JSON body an import reads (see parse-bundle.ts and extract-studies.ts): for
 * `format=bundle`, `{ trials }`, a `GET /trials` page, an array of trials or one trial; for
 * `format=ctgov`, one study, an array of studies or a `/studies` page. Each trial is checked as a
 * write body; a refused one is reported in the import's `rejected`.
 */
const IMPORT_JSON_BODIES = [
  z.object({ trials: z.array(TrialInput) }).meta({ title: 'Bundle', example: EXAMPLE_BUNDLE }),
  z
    .looseObject({ data: z.array(TrialInput) })
    .meta({ title: 'A GET /trials page', description: 'Its `page` is ignored.' }),
  z.array(TrialInput).meta({ title: 'An array of trials' }),
  TrialInput,
  CtgovStudy,
  z.array(CtgovStudy).meta({ title: 'An array of ClinicalTrials.gov API v2 studies' }),
  z.looseObject({ studies: z.array(CtgovStudy) }).meta({
    title: 'ClinicalTrials.gov API v2 /studies page',
    description: 'Its `nextPageToken` is ignored.',
  }),
] as const;

/**
 * Documents the body; the route reads it as text and parses it itself, so that malformed JSON
 * or CSV is reported like any other rejected record. Any string passes this schema.
 */
export const ImportBody = z
  .union([
    z.string().meta({
      title: 'CSV',
      description:
        'text/csv with a header row of the `GET /bmd-results?format=csv` columns, for example ' +
        '`trialId,registryIds,trialTitle,studyType,overallStatus,phases,population,provenanceKind,provenanceSources,' +
        'armLabel,armType,participants,cellSource,cellType,donor,route,comparator,site,metric,method,statistic,' +
        'timepointMonths,n,mean,sd,se,ciLower,ciUpper,note`. Results for trials and arms already in the ' +
        'catalogue need only `trialId,armLabel,site,metric,timepointMonths,n,mean,sd` (or `registryId` for ' +
        '`trialId`, and `se` or `ciLower,ciUpper` for `sd`).',
    }),
    ...IMPORT_JSON_BODIES,
  ])
  .meta({ example: EXAMPLE_BUNDLE });
