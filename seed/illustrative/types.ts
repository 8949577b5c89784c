import type { z } from 'zod';
import type { TrialInput } from '../../src/schemas/trial-input';
import type { Vocab } from '../../src/vocabularies';

/** A plain JSON write body: what `TrialInput.parse` accepts. */
export type TrialInputLike = z.input<typeof TrialInput>;
export type ArmLike = TrialInputLike['arms'][number];
export type ResultLike = NonNullable<TrialInputLike['bmdResults']>[number];

export type CellSource = Vocab<'cellSource'>;
export type CellType = Vocab<'cellType'>;
export type Donor = Vocab<'donor'>;
export type Route = Vocab<'route'>;
export type Population = Vocab<'population'>;
export type Status = Vocab<'overallStatus'>;
export type Phase = Vocab<'phase'>;
export type Site = Vocab<'site'>;
export type Metric = Vocab<'metric'>;
export type Method = Vocab<'method'>;
export type Statistic = Vocab<'statistic'>;
export type Allocation = Vocab<'allocation'>;
export type Masking = Vocab<'masking'>;
export type RiskOfBias = Vocab<'riskOfBias'>;
export type ControlComparator = 'PLACEBO' | 'BISPHOSPHONATE' | 'CALCIUM_VITAMIN_D' | 'STANDARD_CARE';
