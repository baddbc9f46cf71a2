// GraphiQL's page when its bundle was built into files of its own (dist/web, scripts/build-web.ts): the page links
// them (cached by the browser, sent compressed) and carries its options as JSON, with no inline script.
import { escapeHtml } from './shared-page.js';

/** The hashed file names of GraphiQL's bundle under /assets/. */
export interface GraphiQLAssets {
  script: string;
  style: string;
  favicon: string;
}


/** GraphiQL's page with its bundle as separate cached files, started by its own script with the options as JSON. */
export function renderGraphiQLPage(assets: GraphiQLAssets, options: { title?: string } & Record<string, unknown>): string {
  // JSON in a data block: `<` escaped so that no text in it can close the element.
  const json = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="/assets/${assets.favicon}" />
    <link rel="stylesheet" href="/assets/${assets.style}" />
    <script type="application/json" id="graphiql-options">${json}</script>
    <script defer src="/assets/${assets.script}"></script>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
  </body>
</html>`;
}
