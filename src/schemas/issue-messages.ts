import { z } from 'zod';

/**
 * Plain-English messages for zod's issue codes, in place of zod's own ("Invalid input: expected
 * string, received undefined"). It is the one place they are worded: installed once as zod's
 * global error map, it words every validation failure that a schema has not worded itself —
 * request bodies and parameters, import records, CSV cells. A message a schema gives (such as
 * "must be one of …" on a vocabulary) always wins over these.
 */

type Issue = z.core.$ZodRawIssue;

/** The field an issue is about: the last name in its path ("label" for /arms/0/label). */
function fieldOf(issue: Issue): string | null {
  const name = [...(issue.path ?? [])].reverse().find((part) => typeof part === 'string');
  return typeof name === 'string' ? name : null;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list (JSON array)',
  object: 'an object',
  date: 'a date',
  null: 'null',
  nan: 'a number',
};

const UNITS: Record<string, [string, string]> = {
  string: ['character', 'characters'],
  array: ['item', 'items'],
  set: ['item', 'items'],
  map: ['entry', 'entries'],
  file: ['byte', 'bytes'],
};

const FORMAT_NAMES: Record<string, string> = {
  datetime: 'an ISO 8601 timestamp such as 2026-01-31T12:00:00Z',
  date: 'an ISO 8601 date (YYYY-MM-DD)',
  time: 'an ISO 8601 time',
  duration: 'an ISO 8601 duration',
  url: 'a URL',
  email: 'an email address',
  uuid: 'a UUID',
};

const count = (n: number | bigint, [one, many]: [string, string]) => `${n} ${Number(n) === 1 ? one : many}`;

function sizeMessage(
  issue: Issue & { origin?: string; exact?: boolean; inclusive?: boolean },
  bound: number | bigint,
  small: boolean,
): string {
  const units = issue.origin ? UNITS[issue.origin] : undefined;
  if (units) {
    if (small && Number(bound) === 1 && !issue.exact)
      return issue.origin === 'string' ? 'must not be empty' : 'must have at least one item';
    if (issue.exact) return `must have exactly ${count(bound, units)}`;
    return `must have at ${small ? 'least' : 'most'} ${count(bound, units)}`;
  }
  if (issue.exact) return `must be exactly ${bound}`;
  if (issue.inclusive === false) return `must be ${small ? 'greater' : 'less'} than ${bound}`;
  return `must be at ${small ? 'least' : 'most'} ${bound}`;
}

/** The message for one issue, or undefined to leave zod's own. */
export function plainIssueMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) {
        const field = fieldOf(issue);
        return field ? `${field} is required` : 'is required';
      }
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return `must be ${expected}`;
    }
    case 'too_small':
      return sizeMessage(issue, issue.minimum, true);
    case 'too_big':
      return sizeMessage(issue, issue.maximum, false);
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${String(issue.values[0])}`
        : `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format': {
      const name = FORMAT_NAMES[issue.format];
      return name ? `must be ${name}` : 'is not in the expected format';
    }
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'does not match any of the accepted forms';
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has an entry that is not valid';
    case 'custom':
      return 'is not valid';
    default:
      return undefined;
  }
}

z.config({ customError: plainIssueMessage });
