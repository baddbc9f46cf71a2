// The static files `npm run build` puts in dist/web: the chat web app (index.html for / and /p/..., hashed assets
// under /assets/) and GraphiQL's bundle. Assets are named by their content, so they are cached for a year; each is
// sent as the .br or .gz written beside it at build time when the client takes it. A request names a file only
// among those listed at start: no path from a client ever reaches the file system.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GraphiQLAssets } from './graphiql-page.js';

interface AssetFile {
  type: string;
  /** The encodings written beside it, best first. */
  encodings: ('br' | 'gzip')[];
}

export interface WebAssets {
  /** The app's page, or null when the app was not built. */
  indexHtml: string | null;
  graphiql: GraphiQLAssets | null;
  /** The answer for GET /assets/<name>, or null for a name that is not one of the assets. */
  asset(name: string, acceptEncoding: string): Promise<{ body: Buffer; headers: Record<string, string> } | null>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Where the build puts the files: dist/web beside the compiled server (the same from src/ under tsx). */
export const DEFAULT_WEB_DIR = path.resolve(import.meta.dirname, '../../dist/web');

/** Lists what the build left in `dir` (nothing when it was not built); files are read when asked for. */
export function loadWebAssets(dir: string = DEFAULT_WEB_DIR): WebAssets {
  const assetsDir = path.join(dir, 'assets');
  const names = new Set(safeList(assetsDir));
  const files = new Map<string, AssetFile>();
  for (const name of names) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const encodings: AssetFile['encodings'] = [];
    if (names.has(`${name}.br`)) encodings.push('br');
    if (names.has(`${name}.gz`)) encodings.push('gzip');
    files.set(name, { type, encodings });
  }
  const indexHtml = safeRead(path.join(dir, 'index.html'));
  const manifest = safeRead(path.join(dir, 'graphiql.json'));
  return {
    indexHtml,
    graphiql: manifest ? (JSON.parse(manifest) as GraphiQLAssets) : null,
    async asset(name, acceptEncoding) {
      const file = files.get(name);
      if (!file) return null;
      const accepted = acceptedEncodings(acceptEncoding);
      const encoding = file.encodings.find((e) => accepted.has(e));
      // Gone since the start (a build replaced the folder under a running server): not found, as for any other name.
      const body = await readFile(path.join(assetsDir, encoding ? `${name}.${encoding === 'br' ? 'br' : 'gz'}` : name)).catch(() => null);
      if (!body) return null;
      return {
        body,
        headers: {
          'content-type': file.type,
          'cache-control': 'public, max-age=31536000, immutable',
          vary: 'Accept-Encoding',
          ...(encoding ? { 'content-encoding': encoding } : {}),
        },
      };
    },
  };
}

/** The encodings an Accept-Encoding header takes (q=0 refuses one). */
function acceptedEncodings(header: string): Set<string> {
  const accepted = new Set<string>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name && (q === undefined || Number(q) > 0)) accepted.add(name.trim());
  }
  return accepted;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The app's pages: scripts and styles from this server's files only, nothing inline. */
export const APP_PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

/** Shown at / when the app was not built (a checkout run without `npm run build`). */
export const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Chat session service</title></head><body>
<h1>Chat session service</h1><p>The web app is not built: run <code>npm run build</code> (npm start does). The API is at <a href="/graphql">/graphql</a>.</p></body></html>`;
