import type { ImportIssue } from './types';

export type JsonRead = { ok: true; value: unknown } | { ok: false; issue: ImportIssue };

/** Parses a JSON body, turning a syntax error into a rejection that says where it is. */
export function readJson(text: string): JsonRead {
  if (text.trim() === '')
    return {
      ok: false,
      issue: { index: null, path: '', message: 'the body is empty', code: 'INVALID_BODY' },
    };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      issue: {
        index: null,
        path: '',
        message: `the body is not valid JSON: ${(error as Error).message}`,
        code: 'MALFORMED_JSON',
      },
    };
  }
}
