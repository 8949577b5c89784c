import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestRuns, launchChromium } from '../helpers/chromium';
import { type RunningServer, startServer } from '../helpers/start-server';

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

  it('renders the operations and runs "Try it out" on GET /trials to a 200', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/docs/`);
    const trialsList = page.locator('#operations-trials-get_trials');
    await trialsList.waitFor({ timeout: 20_000 });
    for (const id of [
      '#operations-trials-get_trials__id_',
      '#operations-bmd-results-get_bmd_results',
      '#operations-reference-get_health',
    ]) {
      await expect(page.locator(id).count()).resolves.toBe(1);
    }
    await trialsList.locator('.opblock-summary').click();
    await trialsList.getByRole('button', { name: 'Try it out' }).click();
    await trialsList.getByRole('button', { name: 'Execute' }).click();
    const status = trialsList.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 20_000 });
    expect((await status.textContent())?.trim()).toBe('200');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
