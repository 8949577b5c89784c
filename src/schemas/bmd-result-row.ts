import { z } from 'zod';
import { vocabEnum } from './common';
import { Arm, BmdResult } from './trial';

/**
 * One reported BMD number with the attributes of its trial and arm, flat for tables and CSV. Its
 * fields are also the columns `POST /imports?format=csv` reads, so an export loads back.
 */
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
    // The arm's and the result's own fields, exactly as a Trial serves them.
    ...Arm.pick({
      participants: true,
      cellSource: true,
      cellType: true,
      donor: true,
      route: true,
      comparator: true,
    }).shape,
    ...BmdResult.omit({ id: true, armId: true }).shape,
  })
  .meta({ id: 'BmdResultRow' });

export type BmdResultRow = z.output<typeof BmdResultRow>;
