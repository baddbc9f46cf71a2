// Human-readable docs of the REST shim: Swagger UI served from this server's own copy (swagger-ui-dist), so the page
// works with no internet access and no CDN.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Hono } from 'hono';

const assetsDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Chat session service: REST API</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/assets/init.js"></script>
</body>
</html>`;

/** /docs (the page) and /docs/assets/* (its scripts and styles), to mount under /api. */
export function createDocsApp(specUrl: string) {
  const app = new Hono();
  app.get('/docs', (c) => c.html(PAGE));
  // The page's own start-up script lives in a file too, so a strict CSP (no inline scripts) can apply to it.
  app.get('/docs/assets/init.js', (c) =>
    c.body(`window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: '#swagger-ui' });\n`, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) return c.json({ detail: 'Not Found' }, 404);
    return c.body(await readFile(path.join(assetsDir, file)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  return app;
}
