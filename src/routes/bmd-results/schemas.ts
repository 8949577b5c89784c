import { z } from 'zod';
import { PageSchema } from '../../pagination';
import { vocabEnum } from '../../schemas/common';

/** One reported BMD number with the attributes of its trial and arm, flat for tables and CSV. */
export const BmdResultRow = z
  .object({
    id: z.string().meta({ description: 'The result’s own id.' }),
    trialId: z.string(),
    registryIds: z.array(z.string()),
    trialTitle: z.string(),
    studyType: vocabEnum('studyType'),
    overallStatus: vocabEnum('overallStatus'),
    phases: z.array(vocabEnum('phase')),
    population: vocabEnum('population'),
    provenanceKind: vocabEnum('provenanceKind'),
    provenanceSources: z.array(z.string()),
    armId: z.string(),
    armLabel: z.string(),
    armType: vocabEnum('armType'),
    participants: z.number().int().nullable(),
    cellSource: vocabEnum('cellSource').nullable(),
    cellType: vocabEnum('cellType').nullable(),
    donor: vocabEnum('donor').nullable(),
    route: vocabEnum('route').nullable(),
    comparator: vocabEnum('comparator').nullable(),
    site: vocabEnum('site'),
    metric: vocabEnum('metric'),
    method: vocabEnum('method'),
    statistic: vocabEnum('statistic'),
    timepointMonths: z.number(),
    n: z.number().int(),
    mean: z.number(),
    sd: z.number().nullable(),
    se: z.number().nullable(),
    ciLower: z.number().nullable(),
    ciUpper: z.number().nullable(),
    sdEffective: z.number().nullable(),
    sdSource: vocabEnum('sdSource').nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'BmdResultRow' });

export type BmdResultRow = z.output<typeof BmdResultRow>;

export const BmdResultList = z
  .object({ data: z.array(BmdResultRow), page: PageSchema })
  .meta({ id: 'BmdResultList' });
