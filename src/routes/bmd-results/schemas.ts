import { z } from 'zod';
import { PageSchema } from '../../filters/pagination';
import { BmdResultRow } from '../../schemas/bmd-result-row';

export const BmdResultList = z
  .object({ data: z.array(BmdResultRow), page: PageSchema })
  .meta({ id: 'BmdResultList' });
