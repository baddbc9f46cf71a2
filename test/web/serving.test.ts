// How the server serves the built web app and GraphiQL's files (npm test builds them first): the pages, the cache
// and compression of hashed assets, the first load's size, the Content-Security-Policy, and no way out of the folder.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEB_DIR } from '../../src/http/web-app.js';
import { createTestApp } from '../helpers/app.js';

const get = async (url: string, headers: Record<string, string> = {}) => {
  const { app } = await createTestApp();
  return app.fetch(new Request(`http://test${url}`, { headers }));
};

describe('the web app over HTTP', () => {
  it('redirects / to the default project and serves the page at /p/... with a CSP allowing no inline script', async () => {
    const root = await get('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/p/default');
    for (const url of ['/p/default', '/p/some-project/c/some-session']) {
      const page = await get(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await page.text();
      expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
      // Nothing inline: every script is a file.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  it('serves hashed assets cached for a year, as the precompressed .br or .gz the client takes', async () => {
    const page = await (await get('/p/default')).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)![1]!;
    const plain = await get(script);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const body = Buffer.from(await plain.arrayBuffer());

    const br = await get(script, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toContain('Accept-Encoding');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer()))).toEqual(body);

    const gz = await get(script, { 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer()))).toEqual(body);
  });

  it('loads the app in at most 300 KB compressed', async () => {
    const page = await get('/p/default', { 'accept-encoding': 'br' });
    const html = await page.text();
    let bytes = Buffer.byteLength(html);
    for (const [, asset] of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
      const response = await get(asset!, { 'accept-encoding': 'br' });
      expect(response.status).toBe(200);
      bytes += (await response.arrayBuffer()).byteLength;
    }
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThanOrEqual(300 * 1024);
  });

  it('serves GraphiQL as a small page linking its bundle, no longer inlined', async () => {
    const response = await get('/graphql', { accept: 'text/html' });
    const html = await response.text();
    expect(html.length).toBeLessThan(20_000);
    const [, script] = /<script defer src="(\/assets\/graphiql-[\w-]+\.js)"><\/script>/.exec(html)!;
    const bundle = await get(script!, { 'accept-encoding': 'br' });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('cache-control')).toContain('immutable');
    expect(response.headers.get('content-security-policy')).not.toContain("script-src 'self' 'unsafe-inline'");
  });

  it('answers 404 for any asset name that is not one of the built files, and never reads outside the folder', async () => {
    const names = await readdir(path.join(DEFAULT_WEB_DIR, 'assets'));
    expect(names.length).toBeGreaterThan(0);
    for (const url of ['/assets/nope.js', '/assets/..%2Fpackage.json', '/assets/..%2F..%2Fpackage.json', '/assets/%2e%2e%2findex.html', '/assets/index.html', `/assets/${names[0]}%00`, '/assets/']) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
    }
  });
});
