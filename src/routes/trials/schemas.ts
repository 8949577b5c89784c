import { z } from 'zod';
import { PageSchema } from '../../filters/pagination';
import { ProblemDetails } from '../../plugins/problem-details';
import { RecordId } from '../../schemas/common';
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

export const Revision = z
  .object({
    version: z.number().int(),
    action: z.enum(['CREATE', 'UPDATE', 'DELETE']),
    changedBy: z.string().meta({ description: 'Name of the API key that wrote it.' }),
    changedAt: z.string(),
    snapshot: Trial,
  })
  .meta({ id: 'Revision' });

export const RevisionList = z.object({ data: z.array(Revision) });

export const NotFound = ProblemDetails.meta({ description: 'No trial has this id.' });
export const Gone = ProblemDetails.meta({
  description: 'The trial was deleted; its revisions stay readable.',
});
