import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Config } from '../../src/config';
import type { Db } from '../../src/db/client';
import { type ApiKeyRole, createApiKey } from '../../src/store/api-keys';
import { type LoggedTestApp, openTestApp } from '../helpers/build-test-app';

export type WriteTestApp = LoggedTestApp;

/** The test app over `db` (fresh by default), logging everything (trace) into memory. */
export function buildLoggedApp(overrides: Partial<Config> = {}, db?: Db): Promise<WriteTestApp> {
  return openTestApp({ config: overrides, db, captureLogs: true });
}

export function bearer(secret: string) {
  return { authorization: `Bearer ${secret}` };
}

/** Creates a key straight in the store and returns the header that sends it. */
export function keyHeader(db: Db, name: string, role: ApiKeyRole) {
  return bearer(createApiKey(db, name, role).secret);
}

/** Asserts an RFC 9457 problem with this status, and returns its body. */
export function expectProblem(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as {
    type: string;
    title: string;
    status: number;
    detail: string;
    instance: string;
    errors?: { path: string; message: string }[];
  };
  expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  expect(typeof body.detail).toBe('string');
  expect(typeof body.instance).toBe('string');
  expect(res.body).not.toMatch(/\bat .+:\d+:\d+\)?/); // no stack frames
  return body;
}

/** The catalogue's own tables (not drizzle's bookkeeping or FTS shadow tables). */
export function userTables(db: Db): string[] {
  const rows = db.$client
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
       AND name NOT LIKE '__drizzle%' AND name NOT LIKE 'trials_fts_%' ORDER BY name`,
    )
    .all() as { name: string }[];
  return rows.map((r) => r.name);
}

export function rowCounts(db: Db): Record<string, number> {
  return Object.fromEntries(
    userTables(db).map((t) => [
      t,
      (db.$client.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n,
    ]),
  );
}

/** Every stored value of every table (FTS shadow tables included), as one string. */
export function allStoredText(db: Db): string {
  const tables = db.$client.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
    name: string;
  }[];
  return tables
    .flatMap(({ name }) => db.$client.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][])
    .map((row) => row.map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v))).join('\u0000'))
    .join('\n');
}

export function latestRevision(db: Db, trialId: string) {
  return db.$client
    .prepare('SELECT * FROM revisions WHERE trial_id = ? ORDER BY version DESC LIMIT 1')
    .get(trialId);
}
