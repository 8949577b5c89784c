import type { z } from 'zod';
import type { Db } from '../../src/db/client';
import { TrialInput } from '../../src/schemas/trial-input';
import { insertTrial, inTransaction } from '../../src/store/trial-store';
import { oracles } from '../helpers/metafor-oracles';

/** Builders for test records. Every record made here is test data, provenance USER unless overridden. */

export type TrialBody = z.input<typeof TrialInput>;
type ArmBody = TrialBody['arms'][number];
type ResultBody = NonNullable<TrialBody['bmdResults']>[number];

/** Inserts the trials in one transaction, as a write would, and returns their ids in order. */
export function addTrials(db: Db, bodies: readonly TrialBody[]): string[] {
  return inTransaction(db, () =>
    bodies.map((body) => insertTrial(db, TrialInput.parse(body), { changedBy: 'test', channel: 'API' }).id),
  );
}

export function cellArm(label: string, over: Partial<ArmBody> = {}): ArmBody {
  return {
    label,
    type: 'EXPERIMENTAL',
    participants: null,
    cellSource: 'BONE_MARROW',
    cellType: 'MSC',
    donor: 'AUTOLOGOUS',
    route: 'INTRAVENOUS',
    ...over,
  };
}

export function controlArm(label: string, over: Partial<ArmBody> = {}): ArmBody {
  return { label, type: 'PLACEBO_COMPARATOR', participants: null, comparator: 'PLACEBO', ...over };
}

/** A lumbar-spine DXA percent-change mean at 12 months unless overridden. */
export function result(
  armLabel: string,
  n: number,
  mean: number,
  sd: number | null,
  over: Partial<ResultBody> = {},
) {
  return {
    armLabel,
    site: 'LUMBAR_SPINE',
    metric: 'PERCENT_CHANGE',
    method: 'DXA',
    statistic: 'MEAN',
    timepointMonths: 12,
    n,
    mean,
    sd,
    ...over,
  } satisfies ResultBody;
}

export function testTrial(title: string, over: Partial<TrialBody>): TrialBody {
  return {
    title: `Test data: ${title}`,
    studyType: 'INTERVENTIONAL',
    overallStatus: 'COMPLETED',
    arms: [cellArm('Cells')],
    provenance: { kind: 'USER', sources: ['test fixture, not real trial data'] },
    ...over,
  };
}

const normand = oracles.normand1999_MD_unpooled.input as typeof oracles.normand1999_MD_unpooled.input & {
  study: number[];
  source: string[];
};

export const NORMAND_SOURCE =
  'dat.normand1999 (R package metadat; Normand 1999, Stat Med 18:321, length of hospital stay in days), ' +
  'entered as if it were lumbar-spine BMD percent change: test data, not a real trial';

/**
 * dat.normand1999 as nine controlled trials: group 1 (m1i/sd1i/n1i) is the cell-therapy arm, group 2
 * (m2i/sd2i/n2i) the control, reported as LUMBAR_SPINE PERCENT_CHANGE by DXA at 12 months. Each arm
 * also carries results that must not be used: a baseline row, an earlier 6-month row with other
 * numbers, and a femoral-neck row, so the endpoints must choose the right one.
 */
export function addNormand1999(db: Db): string[] {
  const bodies = normand.study.map((study, i): TrialBody => {
    const at = (values: readonly number[]) => values[i] as number;
    const [n1, m1, sd1, n2, m2, sd2] = [
      normand.n1i,
      normand.m1i,
      normand.sd1i,
      normand.n2i,
      normand.m2i,
      normand.sd2i,
    ].map(at) as [number, number, number, number, number, number];
    return testTrial(`normand1999 study ${study} (${normand.source[i]})`, {
      arms: [cellArm('Cell therapy', { participants: n1 }), controlArm('Control', { participants: n2 })],
      bmdResults: [
        result('Cell therapy', n1, m1, sd1),
        result('Control', n2, m2, sd2),
        result('Cell therapy', n1, 0, 1, { timepointMonths: 0 }),
        result('Control', n2, 0, 1, { timepointMonths: 0 }),
        result('Cell therapy', n1, m1 + 100, sd1, { timepointMonths: 6 }),
        result('Control', n2, m2 - 100, sd2, { timepointMonths: 6 }),
        result('Cell therapy', n1, 3, 1, { site: 'FEMORAL_NECK' }),
        result('Control', n2, 1, 1, { site: 'FEMORAL_NECK' }),
      ],
      provenance: { kind: 'USER', sources: [NORMAND_SOURCE] },
    });
  });
  return addTrials(db, bodies);
}
