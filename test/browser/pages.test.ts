// A real browser (Debian's chromium, driven by playwright-core) uses the pages a person sees: GraphiQL runs a query,
// the REST docs list the routes. Screenshots go to test-results/. In CI a missing chromium fails this, never skips it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable, suiteBrowser } from '../helpers/browser.js';
import { startLiveServer } from '../helpers/live-server.js';

/** Console messages about anything the Content-Security-Policy blocked: the pages must need nothing it forbids. */
function watchCspViolations(page: Page): string[] {
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });
  return blocked;
}

describe.skipIf(!browserAvailable)('pages in a real browser', () => {
  const browser = suiteBrowser();

  it('runs a query in GraphiQL and shows its result', async () => {
    const server = await startLiveServer();
    await fetch(`${server.base}/api/projects/demo/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Seen in a browser' }) });
    const page = await browser().newPage();
    const blocked = watchCspViolations(page);
    const query = '{ project(id: "demo") { sessions { title } } }';
    await page.goto(`${server.base}/graphql?query=${encodeURIComponent(query)}`);
    await page.locator('.graphiql-execute-button').click({ timeout: 30_000 });
    // The editor renders spaces as non-breaking ones; innerText is what a person sees.
    await expect.poll(async () => (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' '), { timeout: 30_000 }).toContain('Seen in a browser');
    await page.screenshot({ path: 'test-results/graphiql.png' });
    expect(blocked).toEqual([]);
    await page.close();
  }, 90_000);

  it('shows the REST routes in the API docs', async () => {
    const server = await startLiveServer();
    const page = await browser().newPage();
    const blocked = watchCspViolations(page);
    await page.goto(`${server.base}/api/docs`);
    await expect.poll(async () => page.locator('.opblock-summary-path').allInnerTexts(), { timeout: 30_000 }).toContain('/projects/{project_id}/sessions/{session_id}/messages');
    await page.screenshot({ path: 'test-results/api-docs.png', fullPage: true });
    expect(blocked).toEqual([]);
    await page.close();
  }, 90_000);
});
