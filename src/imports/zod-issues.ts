import type { z } from 'zod';
import { toPointer } from '../errors';
import type { ImportIssue } from './types';

/** Every zod issue of one record as a rejection at a JSON Pointer inside that record. */
export function issuesOf(index: number, error: z.ZodError): ImportIssue[] {
  return error.issues.flatMap((issue): ImportIssue[] => {
    const path = toPointer('', issue.path);
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        index,
        path: toPointer(path, [key]),
        message: 'unknown field',
        code: 'UNKNOWN_FIELD',
      }));
    return [{ index, path, message: issue.message, code: 'INVALID_FIELD' }];
  });
}
