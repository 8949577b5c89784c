import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNC_QUERY } from '../../src/imports/sync/registry-query';
import { syntheticStudies } from './registry-stand-in';
import { count, dataVersionOf, SYNTHETIC_IDS, syncRuns, syncSetup } from './support';

const trials = (db: Parameters<typeof count>[0]) => count(db, 'SELECT count(*) FROM trials');
const syncRevisions = (db: Parameters<typeof count>[0]) =>
  count(db, "SELECT count(*) FROM revisions WHERE channel = 'SYNC' AND changed_by = 'registry-sync'");

describe('npm run sync against the stand-in registry', () => {
  it('follows the pages, creates the on-topic trials in channel SYNC and skips the rest with the reason', async () => {
    const { db, standIn, sync } = await syncSetup();
    const run = await sync();
    expect(run.code, run.text).toBe(0);
    expect(run.out[0]).toBe(
      'Sync completed. Studies of 7 the registry matched: created 3, updated 0, unchanged 0, skipped 4, refused 0; ' +
        'pages 3 (skipped 0), requests 3.',
    );
    for (const id of SYNTHETIC_IDS)
      expect(run.text).toMatch(new RegExp(`\\ncreated   ${id} -> trial \\S+: SYNTHETIC`));
    expect(run.text).toMatch(/\nskipped {3}NCT05594173: NCT05594173 is off topic: no bone condition/);
    expect(trials(db)).toBe(3);
    expect(syncRevisions(db)).toBe(3);
    expect(count(db, "SELECT count(*) FROM revisions WHERE channel <> 'SYNC'")).toBe(0);
    // The first request asks for the count and every study; the next follow the page tokens.
    const [first, ...rest] = standIn.requests;
    expect(first?.get('query.term')).toBe(DEFAULT_SYNC_QUERY);
    expect(first?.get('countTotal')).toBe('true');
    expect(first?.has('filter.advanced')).toBe(false);
    expect(rest.map((q) => q.get('pageToken'))).toEqual([expect.any(String), expect.any(String)]);
    expect(syncRuns(db)).toMatchObject([{ query: DEFAULT_SYNC_QUERY, since: null, outcome: 'COMPLETED' }]);
  });

  it('a second run asks only for studies updated since the first and changes nothing', async () => {
    const { db, standIn, clock, sync } = await syncSetup();
    expect((await sync()).code).toBe(0);
    const before = { version: dataVersionOf(db), revisions: count(db, 'SELECT count(*) FROM revisions') };
    clock.set('2025-03-17T08:00:00.000Z');
    standIn.requests.length = 0;
    const again = await sync();
    expect(again.code, again.text).toBe(0);
    // The first run started on 2025-03-10; one day of overlap covers the registry's time zone.
    expect(standIn.requests[0]?.get('filter.advanced')).toBe('AREA[LastUpdatePostDate]RANGE[2025-03-09,MAX]');
    // The stand-in counts NCT99999903, which gives no update date, as updated today.
    expect(again.out[0]).toMatch(
      /Studies of 1 the registry matched: created 0, updated 0, unchanged 1, skipped 0, refused 0/,
    );
    expect(again.out[1]).toMatch(
      /^Asked for studies updated on or after 2025-03-09 \(the day before the last completed sync\)/,
    );
    expect({ version: dataVersionOf(db), revisions: count(db, 'SELECT count(*) FROM revisions') }).toEqual(
      before,
    );

    // Asked for everything again, the same records are unchanged: no version, no revision.
    const all = await sync('--since', '2000-01-01');
    expect(all.code, all.text).toBe(0);
    expect(standIn.requests.at(-3)?.get('filter.advanced')).toBe(
      'AREA[LastUpdatePostDate]RANGE[2000-01-01,MAX]',
    );
    expect(all.out[0]).toMatch(/created 0, updated 0, unchanged 3, skipped 4, refused 0/);
    expect({ version: dataVersionOf(db), revisions: count(db, 'SELECT count(*) FROM revisions') }).toEqual(
      before,
    );
  });

  it('picks up a study changed upstream since the last sync, as one SYNC revision', async () => {
    const { db, standIn, clock, sync } = await syncSetup();
    expect((await sync()).code).toBe(0);
    const [changed] = syntheticStudies() as [
      {
        protocolSection: {
          identificationModule: { officialTitle: string };
          statusModule: Record<string, unknown>;
        };
      },
    ];
    changed.protocolSection.identificationModule.officialTitle =
      'SYNTHETIC Test Record, Not a Real Study: retitled upstream';
    changed.protocolSection.statusModule.lastUpdatePostDateStruct = { date: '2025-03-12', type: 'ACTUAL' };
    standIn.studies = standIn.studies.map((s) => (JSON.stringify(s).includes('"NCT99999901"') ? changed : s));
    clock.set('2025-03-14T06:00:00.000Z');
    const run = await sync();
    expect(run.code, run.text).toBe(0);
    expect(run.out[0]).toMatch(/Studies of 2 the registry matched: created 0, updated 1, unchanged 1/);
    expect(run.text).toMatch(
      /\nupdated {3}NCT99999901 -> trial \S+: SYNTHETIC Test Record, Not a Real Study: retitled upstream/,
    );
    expect(
      count(
        db,
        "SELECT count(*) FROM trials WHERE title = 'SYNTHETIC Test Record, Not a Real Study: retitled upstream'",
      ),
    ).toBe(1);
    expect(syncRevisions(db)).toBe(4);
  });

  it('--dry-run reports what a sync would do and writes nothing, not even the run', async () => {
    const { db, sync } = await syncSetup();
    const version = dataVersionOf(db);
    const dry = await sync('--dry-run');
    expect(dry.code, dry.text).toBe(0);
    expect(dry.out[0]).toMatch(/created 3, updated 0, unchanged 0, skipped 4, refused 0/);
    expect(dry.text).toMatch(/\ncreated {3}NCT99999901 -> trial \(not kept: dry run\)/);
    expect(dry.out.at(-1)).toBe('Dry run: nothing was written.');
    expect(trials(db)).toBe(0);
    expect(syncRuns(db)).toEqual([]);
    expect(dataVersionOf(db)).toBe(version);
  });

  it('--query replaces the default query; the last-sync date is kept per query', async () => {
    const { db, standIn, sync } = await syncSetup();
    expect((await sync()).code).toBe(0);
    standIn.requests.length = 0;
    const other = await sync('--query', 'AREA[ConditionSearch]osteopenia');
    expect(other.code, other.text).toBe(0);
    expect(standIn.requests[0]?.get('query.term')).toBe('AREA[ConditionSearch]osteopenia');
    // Never synced with this query: every study it matches is asked for.
    expect(standIn.requests[0]?.has('filter.advanced')).toBe(false);
    expect(syncRuns(db).map((r) => r.query)).toEqual([DEFAULT_SYNC_QUERY, 'AREA[ConditionSearch]osteopenia']);
  });
});
