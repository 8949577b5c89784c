import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import { MAX_ATTEMPTS } from '../../src/imports/sync/retry-policy';
import { syntheticStudies } from './registry-stand-in';
import { count, dataVersionOf, syncRuns, syncSetup } from './support';

const trials = (db: Parameters<typeof count>[0]) => count(db, 'SELECT count(*) FROM trials');
/** Every trial has the arms and results its one revision recorded: nothing half-written. */
const halfWritten = (db: Parameters<typeof count>[0]) =>
  count(
    db,
    `SELECT count(*) FROM trials t WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.trial_id = t.id)
       OR NOT EXISTS (SELECT 1 FROM arms a WHERE a.trial_id = t.id)`,
  );

describe('sync retries, timeouts and malformed answers', () => {
  it('waits out a 429 with Retry-After and a 503, then completes', async () => {
    const { db, standIn, clock, sync } = await syncSetup();
    standIn.faults.push({ status: 429, retryAfter: '7' }, { status: 503 });
    const run = await sync();
    expect(run.code, run.text).toBe(0);
    expect(standIn.requestsFor('')).toBe(3);
    expect(run.out[0]).toMatch(/created 3, .*requests 5\.$/);
    // The first wait is the registry's 7 s (longer than the first backoff); then a backoff.
    expect(clock.sleeps[0]).toBe(7_000);
    expect(clock.sleeps.slice(1).every((ms) => ms > 0)).toBe(true);
    expect(trials(db)).toBe(3);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const { standIn, clock, sync } = await syncSetup();
    standIn.faults.push({ status: 429, retryAfter: new Date(clock.now() + 45_000).toUTCString() });
    expect((await sync()).code).toBe(0);
    expect(clock.sleeps[0]).toBe(45_000);
  });

  it('stops at once, FAILED, when Retry-After asks for longer than any retry waits', async () => {
    const { db, standIn, clock, sync } = await syncSetup();
    standIn.faults.push({ status: 429, retryAfter: '600' });
    const run = await sync();
    expect(run.code).toBe(2);
    // One request, no early retry: the registry asked for ten minutes.
    expect(standIn.requests).toHaveLength(1);
    expect(clock.sleeps.filter((ms) => ms > 1_200)).toEqual([]);
    expect(run.text).toContain('the registry asks to wait 600 s (Retry-After)');
    expect(syncRuns(db)).toMatchObject([{ outcome: 'FAILED' }]);
  });

  it('paces requests to CTGOV_MAX_REQUESTS_PER_MINUTE (50: one each 1.2 s)', async () => {
    const { sync, clock } = await syncSetup();
    expect((await sync()).code).toBe(0);
    // Three pages at once would be a burst; the fake clock shows the spacing instead.
    expect(clock.sleeps).toHaveLength(2);
    for (const ms of clock.sleeps) expect(ms).toBeCloseTo(1_200, 6);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts of a registry that keeps failing: FAILED, exit 2, nothing written`, async () => {
    const { db, standIn, sync } = await syncSetup();
    standIn.always = { status: 503 };
    const version = dataVersionOf(db);
    const run = await sync();
    expect(run.code).toBe(2);
    expect(standIn.requests).toHaveLength(MAX_ATTEMPTS);
    expect(run.out[0]).toMatch(/^Sync stopped: the registry could not be read to the end\./);
    expect(run.text).toContain(
      `failed    The registry could not be read (the first page): the registry answered 503 (after ${MAX_ATTEMPTS} attempts)`,
    );
    expect(syncRuns(db)).toMatchObject([{ outcome: 'FAILED' }]);
    expect(trials(db)).toBe(0);
    expect(dataVersionOf(db)).toBe(version);
  });

  it('counts a registry that never answers within CTGOV_REQUEST_TIMEOUT_MS as failed, and retries it', async () => {
    // Small records only, so that an answer that does come always comes within the short timeout.
    const { standIn, sync } = await syncSetup({ studies: syntheticStudies(), timeoutMs: 250 });
    standIn.faults.push('hang');
    const retried = await sync();
    expect(retried.code, retried.text).toBe(0);
    expect(standIn.requestsFor('')).toBe(2);

    standIn.always = 'hang';
    const failed = await sync();
    expect(failed.code).toBe(2);
    expect(failed.text).toContain(
      `the registry did not answer: no answer within 250 ms (after ${MAX_ATTEMPTS} attempts)`,
    );
  });

  it('exits 2 when the registry cannot be reached at all', async () => {
    const { db, standIn, sync } = await syncSetup();
    await standIn.close();
    const run = await sync();
    expect(run.code).toBe(2);
    expect(run.text).toMatch(
      /failed {4}The registry could not be read \(the first page\): the registry did not answer: ECONNREFUSED/,
    );
    expect(syncRuns(db)).toMatchObject([{ outcome: 'FAILED' }]);
  });

  it('does not retry an answer that will not change (400): the query is refused, exit 2', async () => {
    const { standIn, sync } = await syncSetup();
    standIn.faults.push({ status: 400 });
    const run = await sync();
    expect(run.code).toBe(2);
    expect(standIn.requests).toHaveLength(1);
    expect(run.text).toContain('the registry answered 400: stand-in fault 400');
  });

  it('skips a malformed page whose next page token is known, imports the rest, and ends REFUSALS', async () => {
    const { db, standIn, clock, sync } = await syncSetup();
    expect((await sync('--since', '2000-01-01')).code).toBe(0);
    const trialsBefore = trials(db);
    // The second page (NCT05594173 and two synthetic records) arrives without its studies list.
    standIn.faults.push('ok', 'no-studies-list');
    clock.set('2025-04-01T00:00:00.000Z');
    const run = await sync('--since', '2000-01-01');
    expect(run.code, run.text).toBe(1);
    expect(run.text).toContain(
      'page      2 skipped: the page has no "studies" list; its studies were not imported',
    );
    expect(run.out[0]).toMatch(
      /^Sync finished with refusals .*: created 0, updated 0, unchanged 1, skipped 3, refused 0; pages 3 \(skipped 1\)/,
    );
    expect(standIn.requests.at(-1)?.get('pageToken')).toEqual(expect.any(String));
    expect(syncRuns(db).at(-1)).toMatchObject({ outcome: 'REFUSALS' });
    expect(trials(db)).toBe(trialsBefore);
  });

  it('stops FAILED when a malformed page names no next page; what was written stays, and a re-run completes', async () => {
    const { db, standIn, sync } = await syncSetup();
    standIn.faults.push('ok', 'not-json');
    const lost = await sync();
    expect(lost.code).toBe(2);
    expect(lost.text).toContain(
      'failed    Page 2 is not a v2 /studies page (the answer is not JSON) and names no next page.',
    );
    expect(lost.out.at(-1)).toBe(
      'Each study above was written on its own and is kept; run the sync again to complete it.',
    );
    // Page 1 held only real (off-topic) records; page 2, lost, held two of the synthetic ones.
    expect(lost.out[0]).toMatch(/created 0, updated 0, unchanged 0, skipped 3, refused 0; pages 2/);
    expect(syncRuns(db).at(-1)).toMatchObject({ outcome: 'FAILED' });

    // The registry lost after page 2 was written: page 2's trials are whole, page 3 is missing.
    standIn.faults.push('ok', 'ok', { status: 404 });
    const cut = await sync();
    expect(cut.code).toBe(2);
    expect(cut.text).toContain('The registry could not be read (page 3): the registry answered 404');
    expect(trials(db)).toBe(2);
    expect(halfWritten(db)).toBe(0);

    // No run completed, so the next one asks for everything again and finishes the work.
    const rerun = await sync();
    expect(rerun.code, rerun.text).toBe(0);
    expect(standIn.requests.at(-3)?.has('filter.advanced')).toBe(false);
    expect(rerun.out[0]).toMatch(/created 1, updated 0, unchanged 2, skipped 4, refused 0/);
    expect(trials(db)).toBe(3);
    expect(halfWritten(db)).toBe(0);
  });

  it('refuses a malformed study, imports the rest of its page, exits 1 and keeps the last-sync date', async () => {
    // SYNTHETIC: a record with an NCT number in the synthetic fixtures' range and no title.
    const untitled = { protocolSection: { identificationModule: { nctId: 'NCT99999904' } } };
    const { db, standIn, clock, sync } = await syncSetup({ studies: syntheticStudies() });
    expect((await sync()).code).toBe(0);
    standIn.studies.splice(1, 0, untitled);
    clock.set('2025-03-25T00:00:00.000Z');
    const refused = await sync();
    expect(refused.code, refused.text).toBe(1);
    // NCT99999903 (no update date: always asked for) shares the page and is still handled.
    expect(refused.out[0]).toMatch(
      /^Sync finished with refusals .*: created 0, updated 0, unchanged 1, skipped 0, refused 1;/,
    );
    expect(refused.text).toContain(
      'refused   NCT99999904 /protocolSection/identificationModule: the record has neither an officialTitle nor a briefTitle',
    );
    expect(syncRuns(db).at(-1)).toMatchObject({ outcome: 'REFUSALS' });
    // The date still comes from the first run (2025-03-10), not from the run with the refusal.
    clock.set('2025-03-26T00:00:00.000Z');
    await sync();
    expect(standIn.requests.at(-1)?.get('filter.advanced')).toBe(
      'AREA[LastUpdatePostDate]RANGE[2025-03-09,MAX]',
    );
  });
});

describe('sync against a catalogue another writer holds', () => {
  it('waits for the lock on its own bookkeeping, then stops with exit 2 and a message, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sync-busy-'));
    const path = join(dir, 'catalogue.db');
    const db = openDatabase(path, { busyTimeoutMs: 0 });
    runMigrations(db);
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const { clock, standIn, sync } = await syncSetup({ db });
      const run = await sync();
      expect(run.code).toBe(2);
      expect(run.err.join('\n')).toMatch(/^Sync stopped: The catalogue is busy/);
      // It waited (on its clock) for the lock rather than giving up at once, and never asked the registry.
      expect(clock.sleeps.length).toBeGreaterThan(10);
      expect(standIn.requests).toHaveLength(0);
      other.exec('ROLLBACK');
      expect(syncRuns(db)).toEqual([]);
    } finally {
      other.close();
      closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
