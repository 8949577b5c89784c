import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** playwright-core ships no browser: the system's Chromium (Debian's path) unless CHROMIUM_PATH names one. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
/** CI installs Chromium and sets REQUIRE_BROWSER=1, so there a missing browser fails rather than skips. */
const required = process.env.REQUIRE_BROWSER === '1';

/**
 * Whether a browser test runs: when Chromium is there, or when it is required (its launch then
 * fails loudly). A skip says why on the console, so that it is not taken for a pass.
 */
export function browserTestRuns(testName: string): boolean {
  if (haveBrowser || required) return true;
  console.warn(
    `Skipping ${testName}: no Chromium at ${CHROMIUM}. Install it with ` +
      '`apt-get install chromium` (Debian) or set CHROMIUM_PATH; CI sets REQUIRE_BROWSER=1 and installs it.',
  );
  return false;
}

/**
 * Headless Chromium for a test: no sandbox (tests may run as root) and none of the background
 * traffic (updates, sync, QUIC probes) that would reach past the loopback server under test.
 */
export async function launchChromium(): Promise<Browser> {
  if (!haveBrowser) throw new Error(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
  return chromium.launch({
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
}
