// Debian's chromium driven by playwright-core, for the browser tests: whether it is there (in CI it must be: .ci/run
// installs it), and one launched headless with the flags this machine's closed network needs.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const executablePath = '/usr/bin/chromium';

export const browserAvailable = existsSync(executablePath);
if (!browserAvailable && process.env.CI) throw new Error(`${executablePath} is missing: .ci/run installs chromium before the tests`);

/** A headless chromium (screenshots go to test-results/, made here). */
async function launchBrowser(): Promise<Browser> {
  await mkdir('test-results', { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** One browser for the suite that calls this (launched before its tests, closed after them); read it once they run. */
export function suiteBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is launched before the suite runs');
    return browser;
  };
}
