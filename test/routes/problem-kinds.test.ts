import { describe, expect, it } from 'vitest';
import {
  badRequest,
  CatalogueError,
  conflict,
  databaseBusy,
  forbidden,
  gone,
  headersTooLarge,
  importRefused,
  internalError,
  malformedRequest,
  methodNotAllowed,
  notAcceptable,
  notFound,
  overloaded,
  payloadTooLarge,
  preconditionFailed,
  preconditionRequired,
  rateLimited,
  requestTimeout,
  unauthorized,
  unsupportedMediaType,
  uriTooLong,
} from '../../src/errors';
import {
  kindOfClientStatus,
  PROBLEM_TYPE_BASE,
  problem,
  problemHeaders,
} from '../../src/plugins/problem-details';

/** One error of every kind, as the factories make them. */
const EVERY_KIND: CatalogueError[] = [
  badRequest('x'),
  malformedRequest('x'),
  importRefused('x', [{ path: '', message: 'x' }], { rejected: [] }),
  unauthorized('x'),
  forbidden('x'),
  notFound('x'),
  methodNotAllowed('x'),
  notAcceptable('x'),
  requestTimeout('x'),
  conflict('x'),
  gone('x'),
  preconditionFailed('x'),
  payloadTooLarge('x'),
  uriTooLong('x'),
  unsupportedMediaType('x'),
  preconditionRequired('x'),
  rateLimited('x', 3),
  headersTooLarge('x'),
  internalError('x'),
  overloaded('x', 10),
  databaseBusy('x', 1),
];

describe('the problem each kind answers', () => {
  it('has a type of its own, so clients can tell every kind apart', () => {
    const answers = EVERY_KIND.map((error) => problem(error, '/'));
    expect(new Set(EVERY_KIND.map((e) => e.kind)).size).toBe(EVERY_KIND.length);
    expect(new Set(answers.map((a) => a.type)).size).toBe(answers.length);
    for (const answer of answers) expect(answer.type.startsWith(PROBLEM_TYPE_BASE)).toBe(true);
  });

  it('is the same for a bare status from Fastify as for the kind that status stands for', () => {
    for (const error of EVERY_KIND) {
      const { status } = problem(error, '/');
      if (status >= 500) continue;
      const bare = problem(new CatalogueError(kindOfClientStatus(status), 'x'), '/');
      expect(bare.status).toBe(status);
    }
    expect(problem(new CatalogueError(kindOfClientStatus(400), 'x'), '/')).toMatchObject({
      type: `${PROBLEM_TYPE_BASE}bad-request`,
      title: 'Bad request',
    });
    expect(kindOfClientStatus(412)).toBe('stale');
    expect(kindOfClientStatus(418)).toBe('malformed');
  });

  it('carries the headers a client needs to retry or authenticate', () => {
    expect(problemHeaders(unauthorized('x'))).toEqual({ 'www-authenticate': 'Bearer realm="catalogue"' });
    expect(problemHeaders(unauthorized('x', 'invalid_token'))).toEqual({
      'www-authenticate': 'Bearer realm="catalogue", error="invalid_token"',
    });
    expect(problemHeaders(forbidden('x'))).toEqual({
      'www-authenticate': 'Bearer realm="catalogue", error="insufficient_scope"',
    });
    expect(problemHeaders(rateLimited('x', 3))).toEqual({ 'retry-after': '3' });
    expect(problemHeaders(overloaded('x', 10))).toEqual({ 'retry-after': '10' });
    expect(problemHeaders(databaseBusy('x', 1))).toEqual({ 'retry-after': '1' });
    expect(problemHeaders(conflict('x'))).toEqual({});
  });

  it('answers a refused import as a problem that is also the whole report', () => {
    const report = { created: 0, rejected: [{ index: 0, path: '/title', message: 'empty' }] };
    expect(
      problem(importRefused('Refused.', [{ path: '/trials/0/title', message: 'empty' }], report), '/imports'),
    ).toEqual({
      type: `${PROBLEM_TYPE_BASE}import-rejected`,
      title: 'The import was refused',
      status: 400,
      detail: 'Refused.',
      instance: '/imports',
      errors: [{ path: '/trials/0/title', message: 'empty' }],
      ...report,
    });
  });
});
