import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisHooks } from '../../src/analysis/runner';
import type { AnalysisTask } from '../../src/analysis/tasks';
import type { Config } from '../../src/config';
import { openTestApp, type TestApp } from '../helpers/build-test-app';
import { loadFixture } from '../helpers/catalogue-fixture';

const OUTCOME = 'site=LUMBAR_SPINE&metric=PERCENT_CHANGE';
/** Distinct meta-analyses: each its own task (and cache entry). */
const metaAnalysis = (timepointMax: number) => `/meta-analyses/bmd?${OUTCOME}&timepointMax=${timepointMax}`;
const HEAVY: ReadonlySet<AnalysisTask['kind']> = new Set(['meta-analysis', 'leave-one-out']);

/**
 * Holds every heavy task in its slot until `open()`, and counts the tasks that start. A held task
 * fails when the runner aborts it, as a worker stopped at the timeout does.
 */
function gate() {
  const started: AnalysisTask['kind'][] = [];
  const held: (() => void)[] = [];
  let isOpen = false;
  const hooks: AnalysisHooks = {
    onTaskStart: (task) => started.push(task.kind),
    beforeTask: (task, signal) =>
      isOpen || !HEAVY.has(task.kind)
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            held.push(resolve);
            signal.addEventListener('abort', () => reject(new Error('aborted')));
          }),
  };
  return {
    hooks,
    started,
    held: () => held.length,
    open: () => {
      isOpen = true;
      for (const release of held.splice(0)) release();
    },
  };
}

/** Lets the app's handlers run until `done()` holds: bounded by turns of the event loop, not by time. */
async function until(done: () => boolean, turns = 2000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!done()) throw new Error(`condition not reached within ${turns} turns of the event loop`);
}

/** Lets the app's handlers run for `n` turns of the event loop. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function catalogueApp(config: Partial<Config>, hooks: AnalysisHooks): Promise<TestApp> {
  t = await openTestApp({ config, analysisHooks: hooks });
  loadFixture(t.db);
  return t;
}

function expectUnavailable(res: LightMyRequestResponse, slug: string) {
  expect(res.statusCode, res.body).toBe(503);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(res.json()).toMatchObject({ status: 503, type: expect.stringMatching(new RegExp(`/${slug}$`)) });
}

describe('the analysis queue', () => {
  it('refuses an analysis with 503 and Retry-After once ANALYSIS_QUEUE_MAX are already waiting', async () => {
    const g = gate();
    const app = (await catalogueApp({ ANALYSIS_QUEUE_MAX: 2 }, g.hooks)).app;
    const running = app.inject({ url: metaAnalysis(12) });
    await until(() => g.held() === 1);
    const waiting = [app.inject({ url: metaAnalysis(13) }), app.inject({ url: metaAnalysis(14) })];
    await until(() => app.analyses.waiting().heavy === 2);
    const refused = await app.inject({ url: metaAnalysis(15) });
    expectUnavailable(refused, 'analysis-queue-full');
    expect(refused.json().detail).toContain('ANALYSIS_QUEUE_MAX');
    expect(g.started).toEqual(['meta-analysis']);
    g.open();
    for (const res of await Promise.all([running, ...waiting])) expect(res.statusCode).toBe(200);
    expect((await app.inject({ url: metaAnalysis(15) })).statusCode).toBe(200);
  });

  it('stops an analysis running past ANALYSIS_TIMEOUT_MS with a 503 that says so, and answers the next', async () => {
    const g = gate();
    const app = (await catalogueApp({ ANALYSIS_TIMEOUT_MS: 50 }, g.hooks)).app;
    const res = await app.inject({ url: metaAnalysis(12) });
    expectUnavailable(res, 'analysis-timeout');
    expect(res.json().detail).toMatch(/ran longer than 50 ms/);
    g.open();
    const next = await app.inject({ url: metaAnalysis(12) });
    expect(next.statusCode).toBe(200);
    expect(next.json().studies.length).toBeGreaterThan(0);
  });

  it('runs one task for identical requests in flight, and gives every one its answer', async () => {
    const g = gate();
    const app = (await catalogueApp({ ANALYSIS_QUEUE_MAX: 1 }, g.hooks)).app;
    const first = app.inject({ url: metaAnalysis(12) });
    await until(() => g.held() === 1);
    // Identical (the same query in another order): they join the task, taking no place in the queue.
    const same = [1, 2, 3, 4].map(() =>
      app.inject({ url: `/meta-analyses/bmd?timepointMax=12&metric=PERCENT_CHANGE&site=LUMBAR_SPINE` }),
    );
    // Time for them to reach the runner; without merging, one would queue and the others be refused.
    await turns(50);
    expect(app.analyses.waiting().heavy).toBe(0);
    g.open();
    const answers = await Promise.all([first, ...same]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(g.started).toEqual(['meta-analysis']);
  });

  it('gives a failure of a shared task to every request that waited on it', async () => {
    const g = gate();
    const app = (await catalogueApp({ ANALYSIS_TIMEOUT_MS: 50 }, g.hooks)).app;
    const answers = await Promise.all([1, 2, 3].map(() => app.inject({ url: metaAnalysis(12) })));
    for (const res of answers) expectUnavailable(res, 'analysis-timeout');
    expect(g.started).toEqual(['meta-analysis']);
  });

  it('answers a summary while meta-analyses are queued: summaries have their own lane', async () => {
    const g = gate();
    const app = (await catalogueApp({}, g.hooks)).app;
    const finished: string[] = [];
    const track = (label: string, url: string) =>
      app.inject({ url }).then((res) => {
        finished.push(label);
        return res;
      });
    const heavy = [12, 13, 14].map((m) => track(`meta-analysis ${m}`, metaAnalysis(m)));
    await until(() => g.held() === 1 && app.analyses.waiting().heavy === 2);
    const counts = await track('counts', '/summaries/counts?facets=cellSource');
    const change = await track('bmd-change', '/summaries/bmd-change');
    expect([counts.statusCode, change.statusCode]).toEqual([200, 200]);
    g.open();
    for (const res of await Promise.all(heavy)) expect(res.statusCode).toBe(200);
    expect(finished.slice(0, 2)).toEqual(['counts', 'bmd-change']);
    expect(finished.slice(2).sort()).toEqual(['meta-analysis 12', 'meta-analysis 13', 'meta-analysis 14']);
  });
});

describe('the analysis workers of a catalogue file', () => {
  it('abort a task stuck past the timeout, and a fresh worker answers the next one', async () => {
    // In a process of its own: worker threads load TypeScript through tsx, which the tests run without.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./worker-timeout-scenario.ts', import.meta.url))],
      { timeout: 90_000 },
    );
    const { stuck, next } = JSON.parse(stdout) as Record<'stuck' | 'next', ScenarioAnswer>;
    expect(stuck).toMatchObject({ status: 503, retryAfter: '8', body: { status: 503 } });
    expect(stuck.body.type).toMatch(/\/analysis-timeout$/);
    expect(stuck.body.detail).toMatch(/ran longer than 8000 ms/);
    expect(next.status).toBe(200);
    expect((next.body.studies as unknown[]).length).toBeGreaterThan(0);
  }, 120_000);
});

interface ScenarioAnswer {
  status: number;
  retryAfter?: string;
  body: Record<string, unknown> & { type: string; detail: string };
}
