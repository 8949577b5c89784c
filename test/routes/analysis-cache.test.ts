import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableKey } from '../../src/analysis/runner';
import { TrialInput } from '../../src/schemas/trial-input';
import { deleteTrial, insertTrial, inTransaction } from '../../src/store/trial-store';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const add = (title: string) =>
  inTransaction(t.db, () =>
    insertTrial(t.db, TrialInput.parse(trialBody({ title })), { changedBy: 'test', channel: 'API' }),
  );

async function cellSourceCount(): Promise<{ count: number; dataVersion: number }> {
  const body = (await t.app.inject({ url: '/summaries/counts?facets=cellSource' })).json();
  const row = body.facets.cellSource.find((v: { value: string }) => v.value === 'BONE_MARROW');
  return { count: row?.trials ?? 0, dataVersion: body.dataVersion };
}

describe('cached aggregates follow every write', () => {
  it('a create, then a delete, shows in the next answer', async () => {
    expect((await cellSourceCount()).count).toBe(0);
    const first = add('One');
    const afterCreate = await cellSourceCount();
    expect(afterCreate.count).toBe(1);
    expect(await cellSourceCount()).toEqual(afterCreate);
    add('Two');
    expect((await cellSourceCount()).count).toBe(2);
    inTransaction(t.db, () => deleteTrial(t.db, first.id, { changedBy: 'test', channel: 'API' }));
    const afterDelete = await cellSourceCount();
    expect(afterDelete.count).toBe(1);
    expect(afterDelete.dataVersion).toBeGreaterThan(afterCreate.dataVersion);
  });

  it('queries that mean the same share a key, others do not', () => {
    expect(stableKey({ route: ['B', 'A'], site: ['X'] })).toBe(stableKey({ site: ['X'], route: ['A', 'B'] }));
    expect(stableKey({ route: ['A'] })).not.toBe(stableKey({ route: ['A'], site: ['X'] }));
    expect(stableKey({ route: ['A'], q: undefined })).toBe(stableKey({ route: ['A'] }));
  });
});
