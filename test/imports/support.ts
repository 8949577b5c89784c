import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ImportReport } from '../../src/imports/types';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { expectProblem, keyHeader } from '../writes/support';

export { rowCounts } from '../writes/support';

/** Real ClinicalTrials.gov records (test/fixtures/ctgov/README.md names their sources). */
export const REAL_CTGOV = new URL('../fixtures/ctgov/', import.meta.url);
/** Hand-written SYNTHETIC records (not real studies). */
export const SYNTHETIC_CTGOV = new URL('../fixtures/ctgov-synthetic/', import.meta.url);

export const readText = (base: URL, file: string) => readFileSync(new URL(file, base), 'utf8');

export interface ImportTestApp extends TestApp {
  editor: Record<string, string>;
}

export async function importApp(overrides: Parameters<typeof buildTestApp>[0] = {}): Promise<ImportTestApp> {
  const t = await buildTestApp(overrides);
  return { ...t, editor: keyHeader(t.db, 'importer', 'editor') };
}

export interface ImportCall {
  format?: 'bundle' | 'csv' | 'ctgov';
  dryRun?: boolean;
  allowOffTopic?: boolean;
  body: string | object;
  contentType?: string;
  headers?: Record<string, string>;
}

export function postImport(t: ImportTestApp, call: ImportCall): Promise<LightMyRequestResponse> {
  const query = new URLSearchParams();
  if (call.format) query.set('format', call.format);
  if (call.dryRun !== undefined) query.set('dryRun', String(call.dryRun));
  if (call.allowOffTopic !== undefined) query.set('allowOffTopic', String(call.allowOffTopic));
  const payload = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  const contentType = call.contentType ?? (call.format === 'csv' ? 'text/csv' : 'application/json');
  return t.app.inject({
    method: 'POST',
    url: `/imports?${query}`,
    headers: { ...(call.headers ?? t.editor), 'content-type': contentType },
    payload,
  });
}

/** Posts an import that must succeed, and returns its report. */
export async function importOk(t: ImportTestApp, call: ImportCall): Promise<ImportReport> {
  const res = await postImport(t, call);
  expect(res.statusCode, res.body).toBe(200);
  const report = res.json() as ImportReport;
  expect(report.rejected).toEqual([]);
  return report;
}

/** Posts an import that must be refused: a 400 problem that is also the full report. */
export async function importRefused(t: ImportTestApp, call: ImportCall) {
  const res = await postImport(t, call);
  const body = expectProblem(res, 400) as ReturnType<typeof expectProblem> & ImportReport;
  expect(body.rejected.length).toBeGreaterThan(0);
  expect(body).toMatchObject({ created: expect.any(Number), dryRun: call.dryRun ?? false });
  return body;
}

/** Every row of `GET /bmd-results?format=csv`, following the `Link: rel="next"` pages, as one CSV text. */
export async function exportCsv(app: FastifyInstance): Promise<string> {
  let url: string | null = '/bmd-results?format=csv&limit=500';
  let header = '';
  let body = '';
  while (url) {
    const res: LightMyRequestResponse = await app.inject({ url });
    expect(res.statusCode, res.body).toBe(200);
    const end = res.body.indexOf('\r\n') + 2;
    header = res.body.slice(0, end);
    body += res.body.slice(end);
    const link: unknown = res.headers.link;
    url = typeof link === 'string' ? (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? null) : null;
  }
  return header + body;
}

/** Every BMD result row as served, without the ids of the results themselves, sorted for comparison. */
export async function allResultRows(app: FastifyInstance): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const res = await app.inject({
      url: `/bmd-results?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    });
    const body = res.json() as { data: Record<string, unknown>[]; page: { nextCursor: string | null } };
    rows.push(...body.data.map(({ id: _id, ...row }) => row));
    cursor = body.page.nextCursor;
  } while (cursor);
  return rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
