/**
 * The errors this service raises on purpose. Each becomes an RFC 9457 problem in the one error
 * handler (plugins/problem-details.ts); `type` is a stable URI users can switch on.
 */
export interface ProblemFieldError {
  /** A JSON Pointer into the request: `/arms/0/label`, or `/query/limit` for parameters. */
  path: string;
  message: string;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly errors?: ProblemFieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: ProblemFieldError[]) =>
  new ProblemError(400, 'validation-error', 'Your request is not valid', detail, errors);
export const unauthorized = (detail: string) =>
  new ProblemError(401, 'unauthorized', 'Authentication required', detail, undefined, {
    'www-authenticate': 'Bearer realm="catalogue"',
  });
export const forbidden = (detail: string) => new ProblemError(403, 'forbidden', 'Not allowed', detail);
export const notFound = (detail: string) => new ProblemError(404, 'not-found', 'Not found', detail);
export const gone = (detail: string) => new ProblemError(410, 'gone', 'Deleted', detail);
export const conflict = (detail: string, errors?: ProblemFieldError[]) =>
  new ProblemError(409, 'conflict', 'Conflicts with another record', detail, errors);
export const preconditionFailed = (detail: string) =>
  new ProblemError(412, 'precondition-failed', 'The record has changed', detail);
export const preconditionRequired = (detail: string) =>
  new ProblemError(428, 'precondition-required', 'If-Match required', detail);
export const unsupportedMediaType = (detail: string) =>
  new ProblemError(415, 'unsupported-media-type', 'Unsupported media type', detail);

/** Turns a zod issue path into a JSON Pointer under a prefix (`/query`, or '' for a body). */
export function toPointer(prefix: string, path: readonly PropertyKey[]): string {
  const parts = path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1'));
  return `${prefix}${parts.length ? '/' : ''}${parts.join('/')}`;
}
