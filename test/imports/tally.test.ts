import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  badRequest,
  conflict,
  databaseBusy,
  gone,
  notFound,
  preconditionFailed,
  unauthorized,
} from '../../src/errors';
import { attemptWrite } from '../../src/imports/tally';

/** What attemptWrite makes of a write that throws `error`: the rejection, or what it let through. */
function outcome(error: unknown) {
  const rejected: string[] = [];
  try {
    const written = attemptWrite(
      () => {
        throw error;
      },
      (message) => rejected.push(message),
    );
    return { written, rejected };
  } catch (thrown) {
    return { thrown };
  }
}

describe('attemptWrite', () => {
  it('turns the store’s refusals of a record into that record’s rejection, by kind', () => {
    expect(outcome(conflict('Taken.', [{ path: '/registryIds/0', message: 'owned' }]))).toEqual({
      written: false,
      rejected: ['Taken. (/registryIds/0: owned)'],
    });
    for (const refusal of [
      notFound('No trial.'),
      gone('Deleted trial.'),
      preconditionFailed('Changed.'),
      badRequest('Not valid.'),
    ])
      expect(outcome(refusal)).toEqual({ written: false, rejected: [refusal.message] });
  });

  it('rejects a record the database refuses on a constraint', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
    db.exec("INSERT INTO t VALUES ('a')");
    let constraint: unknown;
    try {
      db.exec("INSERT INTO t VALUES ('a')");
    } catch (error) {
      constraint = error;
    }
    db.close();
    expect(outcome(constraint)).toMatchObject({
      written: false,
      rejected: [expect.stringMatching(/UNIQUE/)],
    });
  });

  it('lets everything else through: a busy database, other kinds, and faults', () => {
    for (const error of [databaseBusy('Busy.', 1), unauthorized('No key.'), new Error('a fault')])
      expect(outcome(error)).toEqual({ thrown: error });
  });
});
