import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../helpers/start-server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const required = process.env.REQUIRE_BROWSER === '1';

if (!haveBrowser && !required) {
  console.warn(
    `Skipping the Swagger UI browser test: no Chromium at ${CHROMIUM}. Install it with ` +
      '`apt-get install chromium` (Debian) or set CHROMIUM_PATH; CI sets REQUIRE_BROWSER=1 and installs it.',
  );
}

describe.runIf(haveBrowser || required)('Swagger UI in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!haveBrowser) throw new Error(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
    server = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
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
