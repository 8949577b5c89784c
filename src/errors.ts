/**
 * The errors this service raises on purpose, as kinds with named fields and nothing of HTTP: the
 * store and the import service throw and recognise them without knowing a status code, and the one
 * error handler (plugins/problem-details.ts) decides what each kind answers.
 */

export interface ProblemFieldError {
  /** A JSON Pointer into the request: `/arms/0/label`, or `/query/limit` for parameters. */
  path: string;
  message: string;
}

/** Every kind of error the service answers, whether it raises it or Fastify and its plugins do. */
export type ErrorKind =
  | 'invalid' // read, but it breaks the schema or a rule; field errors say where
  | 'malformed' // could not be read at all: broken HTTP, JSON or URL encoding
  | 'refusedImport' // at least one record was rejected, so nothing was written
  | 'unauthenticated'
  | 'forbidden'
  | 'notFound'
  | 'methodNotAllowed'
  | 'notAcceptable'
  | 'timeout'
  | 'conflict'
  | 'gone'
  | 'stale' // the record changed since the version the client named
  | 'payloadTooLarge'
  | 'uriTooLong'
  | 'unsupportedMediaType'
  | 'expectationFailed' // an Expect header this server cannot meet
  | 'preconditionRequired' // a conditional write sent without its condition
  | 'rateLimited'
  | 'headersTooLarge'
  | 'internal' // a fault of the server: its detail never says more than that
  | 'overloaded' // the process is saturated and sheds load until it recovers
  | 'busy' // the database is held by another writer for the moment
  | 'analysisBusy' // as many analyses as the queue holds are already waiting
  | 'analysisTimeout'; // an analysis ran past its time limit and was stopped

/** RFC 6750 §3.1 error codes that say why a bearer credential was turned away. */
export type AuthChallenge = 'invalid_token' | 'insufficient_scope';

interface ErrorFields {
  fieldErrors?: readonly ProblemFieldError[];
  retryAfterSeconds?: number;
  challenge?: AuthChallenge;
  report?: object;
}

/** An error of one kind; its message is the detail a client reads. Build it with the factories below. */
export class CatalogueError extends Error {
  override readonly name = 'CatalogueError';
  /** Where in the request each problem is; empty when the detail says it all. */
  readonly fieldErrors: readonly ProblemFieldError[];
  /** How long a client should wait before sending the same request again. */
  readonly retryAfterSeconds: number | undefined;
  /** Why a credential was refused, when one was sent. */
  readonly challenge: AuthChallenge | undefined;
  /** A refused import's whole report, answered alongside the problem. */
  readonly report: object | undefined;

  constructor(
    readonly kind: ErrorKind,
    detail: string,
    fields: ErrorFields = {},
  ) {
    super(detail);
    this.fieldErrors = fields.fieldErrors ?? [];
    this.retryAfterSeconds = fields.retryAfterSeconds;
    this.challenge = fields.challenge;
    this.report = fields.report;
  }
}

export const badRequest = (detail: string, fieldErrors?: readonly ProblemFieldError[]) =>
  new CatalogueError('invalid', detail, { fieldErrors });
export const malformedRequest = (detail: string) => new CatalogueError('malformed', detail);
export const importRefused = (detail: string, fieldErrors: readonly ProblemFieldError[], report: object) =>
  new CatalogueError('refusedImport', detail, { fieldErrors, report });
/** No usable credential, or (with `invalid_token`) one that is unknown or revoked. */
export const unauthorized = (detail: string, challenge?: 'invalid_token') =>
  new CatalogueError('unauthenticated', detail, { challenge });
/** Access is decided by the key's role alone, so a refusal always means its scope is too small. */
export const forbidden = (detail: string, fieldErrors?: readonly ProblemFieldError[]) =>
  new CatalogueError('forbidden', detail, { challenge: 'insufficient_scope', fieldErrors });
export const notFound = (detail: string) => new CatalogueError('notFound', detail);
export const methodNotAllowed = (detail: string) => new CatalogueError('methodNotAllowed', detail);
export const notAcceptable = (detail: string) => new CatalogueError('notAcceptable', detail);
export const requestTimeout = (detail: string) => new CatalogueError('timeout', detail);
export const conflict = (detail: string, fieldErrors?: readonly ProblemFieldError[]) =>
  new CatalogueError('conflict', detail, { fieldErrors });
export const gone = (detail: string) => new CatalogueError('gone', detail);
export const preconditionFailed = (detail: string) => new CatalogueError('stale', detail);
export const payloadTooLarge = (detail: string) => new CatalogueError('payloadTooLarge', detail);
export const uriTooLong = (detail: string) => new CatalogueError('uriTooLong', detail);
export const unsupportedMediaType = (detail: string) => new CatalogueError('unsupportedMediaType', detail);
export const expectationFailed = (detail: string) => new CatalogueError('expectationFailed', detail);
export const preconditionRequired = (detail: string) => new CatalogueError('preconditionRequired', detail);
export const rateLimited = (detail: string, retryAfterSeconds: number) =>
  new CatalogueError('rateLimited', detail, { retryAfterSeconds });
export const headersTooLarge = (detail: string) => new CatalogueError('headersTooLarge', detail);
export const internalError = (detail: string) => new CatalogueError('internal', detail);
export const overloaded = (detail: string, retryAfterSeconds: number) =>
  new CatalogueError('overloaded', detail, { retryAfterSeconds });
export const databaseBusy = (detail: string, retryAfterSeconds: number) =>
  new CatalogueError('busy', detail, { retryAfterSeconds });
export const analysisBusy = (detail: string, retryAfterSeconds: number) =>
  new CatalogueError('analysisBusy', detail, { retryAfterSeconds });
export const analysisTimedOut = (detail: string, retryAfterSeconds: number) =>
  new CatalogueError('analysisTimeout', detail, { retryAfterSeconds });

/** What the store refuses about one record; an import reports these and goes on with the next. */
const RECORD_REFUSALS: ReadonlySet<ErrorKind> = new Set(['invalid', 'conflict', 'notFound', 'gone', 'stale']);

export function isRecordRefusal(error: unknown): error is CatalogueError {
  return error instanceof CatalogueError && RECORD_REFUSALS.has(error.kind);
}

/** Turns a zod issue path into a JSON Pointer under a prefix (`/query`, or '' for a body). */
export function toPointer(prefix: string, path: readonly PropertyKey[]): string {
  const parts = path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1'));
  return `${prefix}${parts.length ? '/' : ''}${parts.join('/')}`;
}
