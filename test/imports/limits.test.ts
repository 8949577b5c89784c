import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config';
import type { ImportReport } from '../../src/imports/types';
import { buildTestApp } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';
import { expectProblem } from '../writes/support';
import { type ImportTestApp, importApp, postImport } from './support';

let t: ImportTestApp;
afterEach(() => t?.close());

const emptyRecords = (count: number) => `{"trials":[${Array(count).fill('{}').join(',')}]}`;

describe('import limits (IMPORT_MAX_RECORDS, at most 100 rejections)', () => {
  it('refuses more than IMPORT_MAX_RECORDS records with a 400 that says the limit, before validating', async () => {
    t = await importApp({ IMPORT_MAX_RECORDS: 1000 });
    const res = await postImport(t, { format: 'bundle', dryRun: true, body: emptyRecords(1_000_000) });
    const body = expectProblem(res, 400);
    expect(body.detail).toMatch(/1000000 records.*at most 1000 \(IMPORT_MAX_RECORDS\)/);
    expect(res.body.length).toBeLessThan(2_000);
  });

  it('refuses a body just over the default limit of 100,000 records', async () => {
    t = await importApp();
    const limit = defaultConfig().IMPORT_MAX_RECORDS;
    expect(limit).toBe(100_000);
    const res = await postImport(t, { format: 'bundle', dryRun: true, body: emptyRecords(limit + 1) });
    expect(expectProblem(res, 400).detail).toContain('at most 100000 (IMPORT_MAX_RECORDS)');
  });

  it('stops validating after the 100th rejection: 100 listed with codes, complete false, a small body', async () => {
    t = await importApp();
    const res = await postImport(t, { format: 'bundle', dryRun: true, body: emptyRecords(5_000) });
    const body = expectProblem(res, 400) as ReturnType<typeof expectProblem> & ImportReport;
    expect(body.rejected).toHaveLength(100);
    expect(body.errors).toHaveLength(100);
    expect(body.complete).toBe(false);
    expect(body.rejectedTotal).toBeGreaterThanOrEqual(100);
    expect(body.rejectedByCode.INVALID_FIELD).toBe(body.rejectedTotal);
    expect(body.rejected.every((r) => r.code === 'INVALID_FIELD')).toBe(true);
    expect(body.detail).toMatch(/at least \d+ problems/);
    expect(res.body.length).toBeLessThan(200_000);
  });

  it('says complete true with whole counts when validation did not stop', async () => {
    t = await importApp();
    const res = await postImport(t, { format: 'bundle', dryRun: true, body: emptyRecords(2) });
    const body = expectProblem(res, 400) as ReturnType<typeof expectProblem> & ImportReport;
    expect(body.complete).toBe(true);
    expect(body.rejectedTotal).toBe(body.rejected.length);
    expect(Object.values(body.rejectedByCode).reduce((a, b) => a + (b ?? 0), 0)).toBe(body.rejectedTotal);
  });

  it('bounds the report of a long malformed CSV (MALFORMED_CSV) and of many bad rows', async () => {
    t = await importApp();
    const malformed = `trialId,armLabel\n${'"a,b\n'.repeat(1)}${'x,"y"z,w\n'.repeat(20_000)}`;
    const res = await postImport(t, { format: 'csv', dryRun: true, body: malformed });
    const body = expectProblem(res, 400) as ReturnType<typeof expectProblem> & ImportReport;
    expect(body.rejected.length).toBeLessThanOrEqual(100);
    expect(res.body.length).toBeLessThan(200_000);

    const header = 'trialId,armLabel,site,metric,timepointMonths,n,mean,sd';
    const badRows = `${header}\n${'T1,A,LUMBAR_SPINE,PERCENT_CHANGE,twelve,x,y,z\n'.repeat(20_000)}`;
    const rows = await postImport(t, { format: 'csv', dryRun: true, body: badRows });
    const report = expectProblem(rows, 400) as ReturnType<typeof expectProblem> & ImportReport;
    expect(report.rejected).toHaveLength(100);
    expect(report.complete).toBe(false);
    expect(report.rejectedByCode.INVALID_FIELD).toBeGreaterThanOrEqual(100);
    expect(rows.body.length).toBeLessThan(200_000);
  });

  it('rejects unparseable CSV quoting with MALFORMED_CSV', async () => {
    t = await importApp();
    const res = await postImport(t, { format: 'csv', dryRun: true, body: 'trialId,armLabel\n"a,b\n' });
    const body = expectProblem(res, 400) as ReturnType<typeof expectProblem> & ImportReport;
    expect(body.rejected[0]?.code).toBe('MALFORMED_CSV');
  });
});

describe('validation problems are bounded', () => {
  it('states the allowed parameters once and caps the listed errors, with their total', async () => {
    const { app, close } = await buildTestApp();
    try {
      const query = Array.from({ length: 3_500 }, (_, i) => `p${i}=1`).join('&');
      const res = await app.inject({ url: `/trials?${query}` });
      const body = expectProblem(res, 400) as ReturnType<typeof expectProblem> & {
        errorsTotal: number;
        allowedParameters: string[];
      };
      expect(res.body.length).toBeLessThan(20_000);
      expect(body.errors).toHaveLength(50);
      expect(body.errorsTotal).toBe(3_500);
      expect(body.detail).toContain('3500 errors');
      expect(body.allowedParameters).toContain('limit');
      expect(body.errors?.[0]).toEqual({ path: '/query/p0', message: 'unknown field' });
      expect(res.body.split('"limit"').length - 1).toBe(1);
    } finally {
      await close();
    }
  });
});

describe('npm run import and IMPORT_MAX_RECORDS', () => {
  const ROOT = fileURLToPath(new URL('../../', import.meta.url));
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'import-limit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses more records than IMPORT_MAX_RECORDS across its files, exit 1', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, emptyRecords(3));
    writeFileSync(b, emptyRecords(3));
    const run = promisify(execFile);
    const result = await run(process.execPath, ['--import', 'tsx', 'src/cli/import.ts', '--dry-run', a, b], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: join(dir, 'cli.db'), IMPORT_MAX_RECORDS: '5' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('6 records');
    expect(result.stderr).toContain('at most 5 (IMPORT_MAX_RECORDS)');
  });
});

describe('import warnings are bounded', () => {
  it('lists the first 1,000 warnings and counts all of them, by code', async () => {
    t = await importApp();
    const trials = Array.from({ length: 1_100 }, (_, i) =>
      trialBody({ registryIds: [`NCT7${String(i).padStart(7, '0')}`], title: `Test trial ${i}` }),
    );
    const first = await postImport(t, { format: 'bundle', body: JSON.stringify({ trials }) });
    expect(first.statusCode, first.body).toBe(200);
    // The same records again, each asking for another provenance kind: every one is kept as
    // stored, with a PROVENANCE_KIND_KEPT warning.
    const relabelled = trials.map((trial) => ({
      ...trial,
      provenance: { kind: 'ILLUSTRATIVE', sources: ['test fixture'] },
    }));
    const res = await postImport(t, {
      format: 'bundle',
      dryRun: true,
      body: JSON.stringify({ trials: relabelled }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as ImportReport;
    expect(report.warnings).toHaveLength(1_000);
    expect(report.warningsTotal).toBe(1_100);
    expect(report.warningsByCode).toEqual({ PROVENANCE_KIND_KEPT: 1_100 });
  });
});
