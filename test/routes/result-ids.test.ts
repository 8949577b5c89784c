import { describe, expect, it } from 'vitest';
import { TrialInput } from '../../src/schemas/trial-input';
import { insertTrial, inTransaction, updateTrial } from '../../src/store/trial-store';
import { freshDb } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';

const result = (mean: number, timepointMonths: number) => ({
  armLabel: 'Cells',
  site: 'LUMBAR_SPINE' as const,
  metric: 'PERCENT_CHANGE' as const,
  method: 'DXA' as const,
  timepointMonths,
  n: 10,
  mean,
  sd: 2,
});

describe('result ids across a replace', () => {
  it('an unchanged result keeps its id; a changed or new one gets a new id', () => {
    const db = freshDb();
    const created = inTransaction(db, () =>
      insertTrial(db, TrialInput.parse(trialBody({ bmdResults: [result(1, 6), result(2, 12)] })), {
        changedBy: 'test',
        channel: 'API',
      }),
    );
    const [six, twelve] = created.bmdResults.map((r) => r.id);
    const replaced = inTransaction(db, () =>
      updateTrial(
        db,
        created.id,
        TrialInput.parse({
          ...trialBody(),
          arms: created.arms,
          bmdResults: [result(1, 6), result(2.5, 12), result(3, 24)],
        }),
        { changedBy: 'test', channel: 'API' },
        created.version,
      ),
    );
    const ids = replaced.bmdResults.map((r) => r.id);
    expect(ids[0]).toBe(six);
    expect(ids[1]).not.toBe(twelve);
    expect(new Set(ids).size).toBe(3);
    expect(ids).not.toContain(twelve);
  });

  it('a GET body put back unchanged keeps every id', () => {
    const db = freshDb();
    const created = inTransaction(db, () =>
      insertTrial(db, TrialInput.parse(trialBody({ bmdResults: [result(1, 6), result(1, 6)] })), {
        changedBy: 'test',
        channel: 'API',
      }),
    );
    const replaced = inTransaction(db, () =>
      updateTrial(
        db,
        created.id,
        TrialInput.parse(created),
        { changedBy: 'test', channel: 'API' },
        created.version,
      ),
    );
    expect(replaced.bmdResults.map((r) => r.id)).toEqual(created.bmdResults.map((r) => r.id));
    expect(replaced.arms.map((a) => a.id)).toEqual(created.arms.map((a) => a.id));
  });
});
