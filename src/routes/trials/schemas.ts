import { z } from 'zod';
import { ListShape, PageSchema } from '../../filters/pagination';
import { ProblemDetails } from '../../plugins/problem-details';
import { RecordId, wholeNumberText } from '../../schemas/common';
import { Trial } from '../../schemas/trial';

/**
 * The id of a seed trial (NCT02566655, as seed/load-seed.ts derives it), so that "Try it out"
 * answers on a freshly seeded catalogue.
 */
export const EXAMPLE_TRIAL_ID = 'seed_68Hda99DEZSW';

export const TrialParams = z.strictObject({
  id: RecordId.meta({ example: EXAMPLE_TRIAL_ID, description: 'The trial’s id.' }),
});

export const TrialList = z.object({ data: z.array(Trial), page: PageSchema }).meta({ id: 'TrialList' });

const revisionFields = {
  version: z.number().int(),
  action: z.enum(['CREATE', 'UPDATE', 'DELETE']),
  changedBy: z.string().meta({ description: 'Name of the API key that wrote it.' }),
  changedAt: z.string(),
  channel: z
    .enum(['API', 'IMPORT', 'SYNC'])
    .nullable()
    .meta({
      description:
        'How the write came in: `API` (a curator through the HTTP API), `IMPORT` (an import) or `SYNC` ' +
        '(a refresh from ClinicalTrials.gov); null for revisions written before channels were recorded.',
    }),
  note: z.string().nullable().meta({
    description: 'The writer’s reason, from the `X-Revision-Note` header; null when none was given.',
  }),
};

/** A revision in a list: what was written, when and by whom, without the document. */
export const Revision = z.object(revisionFields).meta({ id: 'Revision' });

export const RevisionList = z
  .object({ data: z.array(Revision), page: PageSchema })
  .meta({ id: 'RevisionList' });

/** One revision with the trial exactly as that version stored it. */
export const RevisionSnapshot = z
  .object({ ...revisionFields, snapshot: Trial })
  .meta({ id: 'RevisionSnapshot' });

export const RevisionQuery = z.strictObject({
  limit: ListShape.limit.meta({ description: 'Revisions per page, 1 to 500 (default 25).' }),
  cursor: ListShape.cursor,
});

export const RevisionParams = TrialParams.extend({
  version: wholeNumberText(
    z
      .number({ error: 'must be a whole number of at least 1' })
      .int('must be a whole number of at least 1')
      .min(1, 'must be a whole number of at least 1')
      .max(Number.MAX_SAFE_INTEGER, 'must be a whole number of at least 1'),
  ).meta({ description: 'The version, as listed by GET /trials/{id}/revisions.', example: 1 }),
});

export const NotFound = ProblemDetails.meta({ description: 'No trial has this id.' });
export const Gone = ProblemDetails.meta({
  description: 'The trial was deleted; its revisions stay readable.',
});
