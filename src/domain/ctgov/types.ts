import type { Vocab } from '../../vocabularies';

export interface CtgovWarning {
  code: string;
  message: string;
}

/** Collects warnings while a record is mapped, so each mapper can report without returning them. */
export type Warn = (code: string, message: string) => void;

export interface MappedArm {
  label: string;
  type: Vocab<'armType'>;
  participants: number | null;
  cellSource: Vocab<'cellSource'> | null;
  cellType: Vocab<'cellType'> | null;
  donor: Vocab<'donor'> | null;
  route: Vocab<'route'> | null;
  dose: null;
  comparator: Vocab<'comparator'> | null;
  cointerventions: Vocab<'comparator'>[];
  safety: null;
}

export interface MappedBmdResult {
  armLabel: string;
  site: Vocab<'site'>;
  metric: Vocab<'metric'>;
  method: Vocab<'method'>;
  statistic: Vocab<'statistic'>;
  timepointMonths: number;
  n: number;
  mean: number;
  sd: number | null;
  se: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  note: string;
}

export interface MappedReference {
  pmid: string | null;
  doi: null;
  citation: string;
  url: null;
}

/** A plain trial object in the shape the catalogue's write schema (`TrialInput`) accepts. */
export interface TrialInputLike {
  registryIds: string[];
  title: string;
  briefSummary: string | null;
  studyType: Vocab<'studyType'>;
  phases: Vocab<'phase'>[];
  overallStatus: Vocab<'overallStatus'>;
  allocation: Vocab<'allocation'> | null;
  masking: Vocab<'masking'> | null;
  enrollment: { count: number; type: Vocab<'enrollmentType'> } | null;
  startDate: string | null;
  completionDate: string | null;
  countries: string[];
  sponsor: string | null;
  population: Vocab<'population'>;
  baseline: null;
  arms: MappedArm[];
  bmdResults: MappedBmdResult[];
  references: MappedReference[];
  riskOfBias: null;
  provenance: { kind: 'REGISTRY'; sources: string[]; note: string };
}

/** Whether a record belongs in the catalogue (topic.ts). */
export interface Topic {
  /** True when the record names a bone condition and a cell-therapy arm. */
  onTopic: boolean;
  /** Why it is off topic, for the import report; null when it is on topic. */
  reason: string | null;
}

export interface CtgovMapping {
  trial: TrialInputLike;
  warnings: CtgovWarning[];
  /** Whether the record names a bone condition and a cell-based intervention (topic.ts). */
  topic: Topic;
}
