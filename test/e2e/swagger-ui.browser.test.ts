import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_TRIAL_ID } from '../../src/routes/trials/schemas';
import { browserTestRuns, launchChromium } from '../helpers/chromium';
import { type RunningServer, startServer } from '../helpers/start-server';

type Json = Record<string, unknown>;
const list = (value: unknown) => (Array.isArray(value) ? value : []);

const isSvg = (b: string) => /<svg[\s\S]*<\/svg>/.test(b);

/** Any other answer: a drawing, or JSON holding some non-empty list and no null `pooled`. */
function looksUseful(body: string): boolean {
  if (isSvg(body)) return true;
  const json = JSON.parse(body) as Json;
  const values = Object.values(json).flatMap((v) =>
    v && typeof v === 'object' ? [v, ...Object.values(v)] : [],
  );
  return json.pooled !== null && values.some((v) => Array.isArray(v) && v.length > 0);
}

/**
 * What makes each GET operation's untouched "Try it out" answer useful on the seeded catalogue:
 * rows, a trial, an analysis with a pooled estimate, a drawing. Keyed by operationId; an operation
 * not listed is judged by looksUseful.
 */
const USEFUL: Record<string, (body: string) => boolean> = {
  listTrials: (b) => list((JSON.parse(b) as Json).data).length > 0,
  getTrial: (b) => (JSON.parse(b) as Json).id === EXAMPLE_TRIAL_ID,
  listTrialRevisions: (b) => list((JSON.parse(b) as Json).data).length > 0,
  listBmdResults: (b) => list((JSON.parse(b) as Json).data).length > 0,
  getFacetCounts: (b) => {
    const counts = JSON.parse(b) as { total: number; facets: Record<string, unknown[]> };
    return counts.total > 0 && Object.values(counts.facets).some((values) => values.length > 0);
  },
  getBmdChangeSummary: (b) => list((JSON.parse(b) as Json).groups).length > 0,
  getBmdMetaAnalysis: (b) => {
    const analysis = JSON.parse(b) as Json;
    return list(analysis.studies).length > 0 && analysis.pooled !== null;
  },
  getBmdForestPlot: isSvg,
  getBmdLeaveOneOut: (b) => {
    const answer = JSON.parse(b) as Json;
    return answer.base !== null && list(answer.omitted).length > 0;
  },
  getBmdCumulativeMetaAnalysis: (b) => list((JSON.parse(b) as Json).steps).length > 0,
  getBmdCumulativePlot: isSvg,
  getBmdSmallStudyEffects: (b) => Number((JSON.parse(b) as Json).k) > 0,
  getBmdFunnelPlot: isSvg,
  listVocabularies: (b) => list((JSON.parse(b) as Json).route).length > 0,
  getHealth: (b) => (JSON.parse(b) as Json).status === 'ok',
};

interface DocumentedGet {
  operationId: string;
  tag: string;
  /** Parameters Swagger UI may send untouched: the required ones and those with a default. */
  sendable: Set<string>;
}

/** Expands an operation, presses Try it out and Execute, and reads what Swagger UI shows. */
async function tryItOut(op: Locator) {
  await op.locator('.opblock-summary').click();
  await op.getByRole('button', { name: 'Try it out' }).click();
  await op.getByRole('button', { name: 'Execute' }).click();
  const status = op.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor({ timeout: 20_000 });
  const body = op.locator('.live-responses-table .response-col_description .highlight-code pre').first();
  await body.waitFor({ timeout: 20_000 });
  const answer = {
    status: (await status.textContent())?.trim(),
    url: (await op.locator('.request-url pre').first().textContent())?.trim() ?? '',
    body: (await body.textContent()) ?? '',
  };
  // Large answers left open slow every later render of the page: clear and collapse.
  await op.getByRole('button', { name: 'Clear' }).click();
  await op.locator('.opblock-summary').click();
  return answer;
}

describe.runIf(browserTestRuns('the Swagger UI browser test'))('Swagger UI in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('leads from the bare address to the docs, which render the operations', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // The bare address leads to the docs.
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/docs');
    const trialsList = page.locator('#operations-trials-listTrials');
    await trialsList.waitFor({ timeout: 20_000 });
    for (const id of [
      '#operations-trials-getTrial',
      '#operations-bmd-results-listBmdResults',
      '#operations-reference-getHealth',
    ]) {
      await expect(page.locator(id).count()).resolves.toBe(1);
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('answers "Try it out" → Execute, untouched, on every GET operation with useful data', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const gets: DocumentedGet[] = Object.values(doc.paths).flatMap((ops) =>
      ops.get
        ? [
            {
              operationId: String(ops.get.operationId),
              tag: String(ops.get.tags?.[0]),
              sendable: new Set(
                (ops.get.parameters ?? [])
                  .filter((p) => p.required || p.schema?.default !== undefined)
                  .map((p) => p.name),
              ),
            },
          ]
        : [],
    );
    // The operations whose answers are spelled out above are all still documented.
    expect(Object.keys(USEFUL).filter((id) => !gets.some((g) => g.operationId === id))).toEqual([]);

    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/docs/`);
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    const answers: Record<string, { status?: string; url: string; useful: boolean }> = {};
    for (const { operationId, tag, sendable } of gets) {
      const answer = await tryItOut(page.locator(`#operations-${tag}-${operationId}`));
      const url = new URL(answer.url);
      let useful = false;
      try {
        useful = (USEFUL[operationId] ?? looksUseful)(answer.body);
      } catch {
        // A body that is not the JSON expected is not useful.
      }
      answers[operationId] = { status: answer.status, url: `${url.pathname}${url.search}`, useful };
      // Nothing but required parameters and defaults was sent: no pre-filled example filters.
      expect(
        [...url.searchParams.keys()].filter((name) => !sendable.has(name)),
        operationId,
      ).toEqual([]);
    }
    const failing = Object.entries(answers).filter(([, a]) => a.status !== '200' || !a.useful);
    expect(failing, JSON.stringify(answers, null, 1)).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});

type Operation = {
  operationId?: string;
  tags?: string[];
  parameters?: { name: string; required?: boolean; schema?: { default?: unknown } }[];
};
