import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/db/client';
import { createApiKey } from '../../src/store/api-keys';
import { browserTestRuns, launchChromium } from '../helpers/chromium';
import { type RunningServer, startServer } from '../helpers/start-server';

describe.runIf(browserTestRuns('the Swagger UI Authorize browser test'))('Swagger UI with an API key', () => {
  let server: RunningServer;
  let browser: Browser;
  let secret: string;

  beforeAll(async () => {
    server = await startServer();
    const db = openDatabase(server.databasePath);
    secret = createApiKey(db, 'docs-user', 'admin').secret;
    closeDatabase(db);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('loads under the security headers’ CSP, and Authorize sends the key on a write', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) problems.push(m.text());
    });
    await page.goto(`${server.url}/docs/`);
    const op = page.locator('#operations-trials-deleteTrial');
    await op.waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: 'Authorize' }).first().click();
    await page.locator('#auth-bearer-value').fill(secret);
    await page.locator('.modal-ux button.authorize').click();
    await page.locator('.modal-ux button.btn-done').click();

    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: 'Try it out' }).click();
    await op.locator('input[placeholder="id"]').fill('tr_not_there');
    await op.getByRole('button', { name: 'Execute' }).click();
    const status = op.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 20_000 });
    // 404, not 401: the key went with the request and was accepted.
    expect((await status.textContent())?.trim()).toBe('404');
    expect(problems).toEqual([]);
  }, 60_000);
});
