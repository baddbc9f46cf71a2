// The chat web app in a real browser (Debian's chromium, driven by playwright-core), against the real server: two
// pages on one chat (live updates), a streamed demo reply that survives a reload, editing into branches, search,
// trash and restore, import, and the token prompt. Any console error or CSP violation fails the test. Screenshots of
// the main views at 1280 and 360 px go to test-results/.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_REPLY } from '../../web/src/chat/demo-reply.js';
import { browserAvailable, suiteBrowser } from '../helpers/browser.js';
import { startLiveServer } from '../helpers/live-server.js';

/** Console errors, uncaught page errors and CSP violations of a page: the app must cause none. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

type StoredMessages = { data: { session: { messages: { role: string; content: string; status: string }[] } } };

async function storedMessages(base: string, sessionId: string): Promise<StoredMessages> {
  const query = 'query($s: ID!) { session(projectId: "default", id: $s) { messages { role content status } } }';
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { s: sessionId } }) });
  return (await response.json()) as StoredMessages;
}

/** Waits (up to `timeout`) for what a person would see: a locator's text, count, value or focus. */
const soon = { timeout: 10_000, interval: 50 };
const text = (locator: Locator) => expect.poll(async () => ((await locator.count()) > 0 ? locator.first().innerText() : ''), soon);
const count = (locator: Locator) => expect.poll(() => locator.count(), soon);
const value = (locator: Locator) => expect.poll(() => locator.inputValue(), soon);
const url = (page: Page) => expect.poll(() => page.url(), soon);

const messagesOf = (page: Page) => page.getByRole('list', { name: 'Messages' }).getByRole('listitem');

describe.skipIf(!browserAvailable)('the chat web app in a real browser', () => {
  const browser = suiteBrowser();

  async function open(context: BrowserContext, url: string): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(url);
    return { page, problems };
  }

  it('chats across two pages: live messages, a streamed reply through a reload, edits as branches, search, trash, import', async () => {
    const server = await startLiveServer();
    const context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
    const { page: a, problems: problemsA } = await open(context, `${server.base}/`);
    await url(a).toBe(`${server.base}/p/default`);

    // A new chat, opened in a second page.
    await a.getByRole('button', { name: 'New chat' }).click();
    await url(a).toMatch(/\/p\/default\/c\/[^/]+$/);
    const chatUrl = a.url();
    const sessionId = chatUrl.split('/').at(-1)!;
    const { page: b, problems: problemsB } = await open(context, chatUrl);
    await b.getByRole('heading', { name: 'New chat' }).waitFor({ state: 'visible', timeout: 10_000 });

    // Enter sends; Shift+Enter is a new line. The other page sees the message without a reload.
    const box = a.getByRole('textbox', { name: 'Message' });
    await box.fill('Hello from page A');
    await box.press('Shift+Enter');
    await box.pressSequentially('second line');
    await box.press('Enter');
    await count(messagesOf(a)).toBe(1);
    await expect.poll(async () => messagesOf(a).first().innerText(), { ...soon, timeout: 10_000 }).toContain('Hello from page A\nsecond line');
    await count(messagesOf(b)).toBe(1);
    await expect.poll(async () => messagesOf(b).first().innerText(), { ...soon, timeout: 10_000 }).toContain('second line');
    await value(box).toBe('');

    // A demo reply streams; page A (its writer) reloads halfway, and the reply still completes exactly once.
    await a.getByRole('button', { name: 'Stream a demo reply' }).click();
    await count(messagesOf(b)).toBe(2);
    await expect.poll(async () => messagesOf(b).nth(1).innerText(), { ...soon, timeout: 10_000 }).toContain('streamed a few words');
    const shownMidway = (await messagesOf(b).nth(1).innerText()).length;
    await a.reload();
    await expect.poll(async () => messagesOf(b).nth(1).innerText(), { ...soon, timeout: 30_000 }).toContain('nothing said twice.');
    await expect.poll(async () => messagesOf(a).nth(1).innerText(), { ...soon, timeout: 30_000 }).toContain('nothing said twice.');
    expect(shownMidway).toBeLessThan(DEMO_REPLY.length);
    const stored = await storedMessages(server.base, sessionId);
    const assistant = stored.data.session.messages.filter((m) => m.role === 'ASSISTANT');
    expect(assistant).toEqual([{ role: 'ASSISTANT', content: DEMO_REPLY, status: 'COMPLETE' }]);
    await text(messagesOf(b).nth(1).locator('.message__content')).toBe(DEMO_REPLY);
    await a.screenshot({ path: 'test-results/web-app-chat-1280.png' });

    // Editing the first message makes a second version of it; the switcher goes between the two.
    await messagesOf(a).first().getByRole('button', { name: 'Edit' }).click();
    const editor = a.getByRole('textbox', { name: 'Edit message' });
    await expect.poll(() => editor.evaluate((element) => element === document.activeElement), soon).toBe(true);
    await editor.fill('Hello, edited');
    await editor.press('Enter');
    await count(messagesOf(a)).toBe(1);
    await expect.poll(async () => messagesOf(a).first().innerText(), { ...soon, timeout: 10_000 }).toContain('Hello, edited');
    await expect.poll(async () => messagesOf(a).first().innerText(), { ...soon, timeout: 10_000 }).toContain('2 / 2');
    await expect.poll(async () => messagesOf(b).first().innerText(), { ...soon, timeout: 10_000 }).toContain('2 / 2');
    await messagesOf(a).first().getByRole('button', { name: 'Previous version' }).click();
    await expect.poll(async () => messagesOf(a).first().innerText(), { ...soon, timeout: 10_000 }).toContain('1 / 2');
    await expect.poll(async () => messagesOf(a).first().innerText(), { ...soon, timeout: 10_000 }).toContain('Hello from page A');
    // The first version comes back with the reply that followed it, not alone.
    await count(messagesOf(a)).toBe(2);
    await text(messagesOf(a).nth(1).locator('.message__content')).toBe(DEMO_REPLY);
    await messagesOf(a).first().getByRole('button', { name: 'Next version' }).click();
    await expect.poll(async () => messagesOf(a).first().innerText(), { ...soon, timeout: 10_000 }).toContain('Hello, edited');
    await count(messagesOf(a)).toBe(1);

    // Search finds the edited message, the matched word marked.
    const chats = a.getByRole('navigation', { name: 'Chats' });
    await chats.getByRole('searchbox', { name: 'Search' }).fill('edited');
    const results = a.getByRole('region', { name: 'Search results' });
    await expect.poll(() => results.locator('mark').allInnerTexts(), soon).toEqual(['edited']);
    await a.screenshot({ path: 'test-results/web-app-search-1280.png' });
    await results.getByRole('link').first().click();
    await url(a).toBe(chatUrl);
    await chats.getByRole('searchbox', { name: 'Search' }).fill('');

    // Rename and pin; then delete into the trash and restore from there.
    await a.getByRole('button', { name: 'Rename' }).click();
    await a.getByRole('textbox', { name: 'Title' }).fill('Greetings');
    await a.getByRole('button', { name: 'Save' }).click();
    await chats.getByRole('link', { name: 'Greetings' }).waitFor({ state: 'visible', timeout: 10_000 });
    await b.getByRole('navigation', { name: 'Chats' }).getByRole('link', { name: 'Greetings' }).waitFor({ state: 'visible', timeout: 10_000 });
    await a.getByRole('button', { name: 'Pin' }).click();
    await a.getByRole('button', { name: 'Unpin' }).waitFor({ state: 'visible', timeout: 10_000 });
    await a.getByRole('button', { name: 'Share' }).click();
    await value(a.getByRole('textbox', { name: 'Share link' })).toMatch(new RegExp(`^${server.base}/shared/.+`));
    await a.getByRole('button', { name: 'Delete' }).click();
    await url(a).toBe(`${server.base}/p/default`);
    await count(chats.getByRole('link', { name: 'Greetings' })).toBe(0);
    await chats.getByRole('button', { name: 'Trash' }).click();
    await chats.getByRole('button', { name: 'Restore Greetings' }).click();
    await chats.getByRole('button', { name: 'Chats' }).click();
    await chats.getByRole('link', { name: 'Greetings' }).waitFor({ state: 'visible', timeout: 10_000 });

    // Import a ChatGPT export; the report shows, and the chats appear in the list.
    await chats.getByLabel('Import conversations').setInputFiles(path.resolve('test/fixtures/chatgpt/conversations.json'));
    await expect.poll(async () => a.getByRole('status', { name: 'Import report' }).innerText(), { ...soon, timeout: 15_000 }).toContain('Imported 3 conversations');
    await count(chats.getByRole('listitem')).toBe(4);
    await a.screenshot({ path: 'test-results/web-app-import-1280.png' });

    // Dark, as the system asks.
    await a.emulateMedia({ colorScheme: 'dark' });
    expect(await a.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(21, 23, 28)');
    await a.screenshot({ path: 'test-results/web-app-dark-1280.png' });

    expect(problemsA).toEqual([]);
    expect(problemsB).toEqual([]);
    await context.close();
  }, 180_000);

  it('loads older messages on scroll, catches up after a lost connection, stops a streamed reply, and exports', async () => {
    const server = await startLiveServer();
    const post = async (url: string, body: unknown) =>
      (await fetch(`${server.base}/api/projects/default${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
    const session = (await post('/sessions', { title: 'A long one' })) as { id: string };
    for (let i = 1; i <= 70; i++) await post(`/sessions/${session.id}/messages`, { role: i % 2 ? 'user' : 'assistant', content: `message number ${i}` });
    const context = await browser().newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const { page, problems } = await open(context, `${server.base}/p/default/c/${session.id}`);

    // The newest 30 at first, the newest at the bottom; scrolling to the top loads older ones with branch(before:).
    await count(messagesOf(page)).toBe(30);
    await text(messagesOf(page).last()).toContain('message number 70');
    const list = page.getByRole('list', { name: 'Messages' });
    for (const shown of [60, 70]) {
      await list.evaluate((element) => {
        element.parentElement!.scrollTop = 0;
      });
      await count(messagesOf(page)).toBe(shown);
    }
    await text(messagesOf(page).first()).toContain('message number 1');

    // The connection drops (and stays down for a while): the page says so, and once back it resubscribes and shows
    // what was added meanwhile.
    await context.setOffline(true);
    server.dropConnections();
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'visible', timeout: 15_000 });
    await post(`/sessions/${session.id}/messages`, { role: 'user', content: 'written while the page was offline' });
    await context.setOffline(false);
    await expect.poll(async () => messagesOf(page).last().innerText(), { ...soon, timeout: 30_000 }).toContain('written while the page was offline');
    await count(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toBe(0);

    // Stop ends a streamed reply where it stands, as INCOMPLETE.
    await page.getByRole('button', { name: 'Stream a demo reply' }).click();
    await expect.poll(async () => messagesOf(page).last().innerText(), soon).toContain('This is a demo');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(async () => messagesOf(page).last().innerText(), soon).toContain('stopped');
    const stored = await storedMessages(server.base, session.id);
    expect(stored.data.session.messages.at(-1)).toMatchObject({ role: 'ASSISTANT', status: 'INCOMPLETE' });
    expect(DEMO_REPLY.startsWith(stored.data.session.messages.at(-1)!.content)).toBe(true);

    // Export: a Markdown file of the chat is downloaded.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Markdown' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    const file = await download.path();
    expect(await readFile(file, 'utf8')).toContain('written while the page was offline');
    // The browser's own network log of the cut connection and of requests while offline is the fault made here.
    expect(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|ERR_INCOMPLETE_CHUNKED_ENCODING/.test(p))).toEqual([]);
    await context.close();
  }, 120_000);

  it('is usable at 360 px wide, and asks once for an access token when the server wants one', async () => {
    const secret = 'a-web-app-test-secret-long-enough-0123456789';
    const server = await startLiveServer({ auth: { secret } });
    const token = await new SignJWT({ projects: ['*'], scope: 'chat:read chat:write' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
    const context = await browser().newContext({ viewport: { width: 360, height: 740 } });
    const { page, problems } = await open(context, `${server.base}/p/phone`);
    const field = page.getByLabel('Access token');
    await field.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await field.getAttribute('type')).toBe('password');
    await field.fill(token);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'New chat' }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Small screens too');
    await page.getByRole('button', { name: 'Send' }).click();
    await count(messagesOf(page)).toBe(1);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await page.screenshot({ path: 'test-results/web-app-chat-360.png' });
    // The token is kept for the tab: a reload does not ask again.
    await page.reload();
    await count(messagesOf(page)).toBe(1);
    await page.getByRole('link', { name: '‹ Chats' }).click();
    await page.getByRole('navigation', { name: 'Chats' }).getByRole('link', { name: 'New chat' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: 'test-results/web-app-list-360.png' });
    // A console error of the 401 that asked for the token is the browser's own network log, not the app's.
    expect(problems.filter((p) => !/401 \(Unauthorized\)/.test(p))).toEqual([]);
    await context.close();
  }, 90_000);
});
