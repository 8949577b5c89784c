import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNC_QUERY } from '../../src/imports/sync/registry-query';
import { syncRuns, syncSetup } from './support';

describe('npm run sync arguments', () => {
  it.each([
    [['--since', '2025-02-30'], /--since must be a date written YYYY-MM-DD, not "2025-02-30"/],
    [['--since', 'yesterday'], /--since must be a date/],
    [['--query', '  '], /--query must not be empty/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['osteoporosis'], /positional argument/],
    [['--since'], /argument missing/],
  ])('exits 2 with the usage for %j, asking the registry nothing', async (args, message) => {
    const { db, standIn, sync } = await syncSetup();
    const run = await sync(...args);
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(message);
    expect(run.err.join('\n')).toContain(
      'Usage: npm run sync -- [--query TEXT] [--since YYYY-MM-DD] [--dry-run]',
    );
    expect(standIn.requests).toEqual([]);
    expect(syncRuns(db)).toEqual([]);
  });

  it('--help prints the usage with the default query and exits 0', async () => {
    const { standIn, sync } = await syncSetup();
    const run = await sync('--help');
    expect(run.code).toBe(0);
    expect(run.text).toContain(DEFAULT_SYNC_QUERY);
    expect(run.text).toMatch(/Exit codes: 0 done, 1 some studies refused/);
    expect(standIn.requests).toEqual([]);
  });
});
