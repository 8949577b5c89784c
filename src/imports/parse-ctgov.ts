import {
  CtgovFormatError,
  extractCtgovStudies,
  isClassicFormat,
  isV2Study,
  mapCtgovStudy,
} from '../domain/ctgov';
import { TrialInput } from '../schemas/trial-input';
import { checkRecordCount, emptyParsed, type ParsedImport, stopAtCap } from './types';
import { issuesOf } from './zod-issues';

/** True when a JSON body is ClinicalTrials.gov data (v2 or the retired classic format), not a bundle. */
export function looksLikeCtgov(body: unknown): boolean {
  const first = Array.isArray(body) ? body[0] : body;
  if (isV2Study(first) || isClassicFormat(first)) return true;
  return typeof body === 'object' && body !== null && Array.isArray((body as { studies?: unknown }).studies);
}

function pointerFor(body: unknown): (index: number) => string {
  if (Array.isArray(body)) return (i) => `/${i}`;
  if (typeof body === 'object' && body !== null && Array.isArray((body as { studies?: unknown }).studies))
    return (i) => `/studies/${i}`;
  return () => '';
}

export interface CtgovOptions {
  /** Import records that name no bone condition or no cell-based intervention, with a warning, instead of skipping them. */
  allowOffTopic?: boolean;
  /** IMPORT_MAX_RECORDS: a body of more records is refused before any is validated (every format). */
  maxRecords?: number;
}

/**
 * Maps ClinicalTrials.gov API v2 records (one study, an array, or a /studies page) with the
 * registry mapper; its warnings are kept with the record's index, and a record the mapper or the
 * write schema refuses is rejected by its index. A record off the catalogue's topic (no bone
 * condition or no cell-based intervention, domain/ctgov/topic.ts) is skipped with the reason,
 * unless `allowOffTopic`.
 */
export function parseCtgov(body: unknown, options: CtgovOptions = {}): ParsedImport {
  let studies: unknown[];
  try {
    studies = extractCtgovStudies(body);
  } catch (error) {
    if (!(error instanceof CtgovFormatError)) throw error;
    const parsed = emptyParsed();
    parsed.rejected.push({ index: null, path: error.path, message: error.message, code: 'INVALID_BODY' });
    return parsed;
  }
  checkRecordCount(studies.length, options.maxRecords);
  const parsed = { ...emptyParsed(pointerFor(body)), recordCount: studies.length };
  for (const [index, study] of studies.entries()) {
    if (stopAtCap(parsed)) break;
    let mapping: ReturnType<typeof mapCtgovStudy>;
    try {
      mapping = mapCtgovStudy(study);
    } catch (error) {
      if (!(error instanceof CtgovFormatError)) throw error;
      parsed.rejected.push({ index, path: error.path, message: error.message, code: 'INVALID_FIELD' });
      continue;
    }
    const { topic, trial } = mapping;
    if (!topic.onTopic && !options.allowOffTopic) {
      parsed.skipped.push({
        index,
        id: null,
        title: trial.title,
        outcome: 'SKIPPED',
        reason: `${trial.registryIds[0]} is ${topic.reason}; import with allowOffTopic=true (npm run import -- --allow-off-topic) to take it anyway`,
      });
      continue;
    }
    if (!topic.onTopic)
      parsed.warnings.push({
        index,
        code: 'OFF_TOPIC',
        message: `${trial.registryIds[0]} is ${topic.reason}; imported because allowOffTopic=true`,
      });
    for (const warning of mapping.warnings) parsed.warnings.push({ index, ...warning });
    const result = TrialInput.safeParse(mapping.trial);
    if (result.success) parsed.trials.push({ index, input: result.data, keepCurated: true });
    else parsed.rejected.push(...issuesOf(index, result.error));
  }
  return parsed;
}
