import { TrialInput } from '../schemas/trial-input';
import { checkRecordCount, emptyParsed, type ParsedImport, stopAtCap } from './types';
import { issuesOf } from './zod-issues';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface Container {
  records: unknown[];
  pointerOf: (index: number) => string;
}

/**
 * The trial records of a bundle body: `{ trials: [...] }` (the bundle, and the seed files), a
 * `GET /trials` page `{ data: [...] }`, a bare array, or one trial as `GET /trials/{id}` serves it.
 */
function containerOf(body: unknown): Container | null {
  if (Array.isArray(body)) return { records: body, pointerOf: (i) => `/${i}` };
  if (!isObject(body)) return null;
  if (Array.isArray(body.trials)) return { records: body.trials, pointerOf: (i) => `/trials/${i}` };
  if (Array.isArray(body.data)) return { records: body.data, pointerOf: (i) => `/data/${i}` };
  if (Array.isArray(body.arms)) return { records: [body], pointerOf: () => '' };
  return null;
}

/** Validates each record of a bundle with the write schema; a bad record is rejected by its index. */
export function parseBundle(body: unknown, maxRecords?: number): ParsedImport {
  const container = containerOf(body);
  if (!container) {
    const parsed = emptyParsed();
    parsed.rejected.push({
      index: null,
      path: '',
      code: 'INVALID_BODY',
      message:
        'not a bundle: expected { "trials": [ ... ] }, a GET /trials page { "data": [ ... ] }, an array of trials or one trial',
    });
    return parsed;
  }
  checkRecordCount(container.records.length, maxRecords);
  const parsed = { ...emptyParsed(container.pointerOf), recordCount: container.records.length };
  for (const [index, raw] of container.records.entries()) {
    if (stopAtCap(parsed)) break;
    const result = TrialInput.safeParse(raw);
    if (result.success) parsed.trials.push({ index, input: result.data, keepCurated: false });
    else parsed.rejected.push(...issuesOf(index, result.error));
  }
  return parsed;
}
