// Builds the static files the server serves: the chat web app (Vite, into dist/web, hashed assets in
// dist/web/assets) and GraphiQL's bundle taken out of its page into hashed files of its own, then a .br and a .gz
// beside every asset, so that the server sends them as they are, compressed once here.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'dist/web');
const assetsDir = path.join(outDir, 'assets');

// Nothing to do when neither the app's sources nor the installed packages changed since the last build (npm start
// builds every time).
const stampFile = path.join(outDir, '.build-stamp');
const stamp = await fingerprint([path.join(root, 'web'), path.join(root, 'package-lock.json'), import.meta.filename]);
if ((await readFile(stampFile, 'utf8').catch(() => '')) === stamp) process.exit(0);

await build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });

/** A hash of the names, sizes and times of every file under `paths`. */
async function fingerprint(paths: string[]): Promise<string> {
  const hash = createHash('sha256');
  const visit = async (at: string): Promise<void> => {
    const info = await stat(at).catch(() => null);
    if (!info) return;
    if (info.isDirectory()) {
      for (const name of (await readdir(at)).sort()) if (name !== 'node_modules') await visit(path.join(at, name));
    } else hash.update(`${at}\0${info.size}\0${info.mtimeMs}\n`);
  };
  for (const p of paths) await visit(p);
  return hash.digest('hex');
}

/** Writes `content` as assets/<name>-<hash><ext> and returns that file name. */
async function emit(name: string, ext: string, content: string | Buffer): Promise<string> {
  const hash = createHash('sha256').update(content).digest('base64url').slice(0, 10);
  const file = `${name}-${hash}${ext}`;
  await writeFile(path.join(assetsDir, file), content);
  return file;
}

// GraphiQL (the page Yoga renders inlines ~9 MB of script, styles and workers on every visit): the same bundle as
// separate files, and a small script that starts it with the options the page carries as JSON.
// The package exports only its page renderer; the bundle's parts sit beside it in the same folder.
const renderer = fileURLToPath(import.meta.resolve('@graphql-yoga/render-graphiql'));
const graphiql: Record<string, string> = await import(pathToFileURL(path.join(path.dirname(renderer), 'graphiql.js')).href);
{
  const workers = {
    editorWorkerService: await emit('graphiql-editor-worker', '.js', graphiql.editorWorkerService!),
    json: await emit('graphiql-json-worker', '.js', graphiql.jsonWorker!),
    graphql: await emit('graphiql-graphql-worker', '.js', graphiql.graphqlWorker!),
  };
  const start = `
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: function (moduleId, label) { return ${JSON.stringify(Object.fromEntries(Object.entries(workers).map(([k, v]) => [k, `/assets/${v}`])))}[label]; },
};
${graphiql.js};
YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), JSON.parse(document.getElementById('graphiql-options').textContent));
`;
  const manifest = { script: await emit('graphiql', '.js', start), style: await emit('graphiql', '.css', graphiql.css!), favicon: await emit('graphiql-favicon', '.ico', Buffer.from(graphiql.favicon!.replace(/^data:[^,]*;base64,/, ''), 'base64')) };
  await writeFile(path.join(outDir, 'graphiql.json'), JSON.stringify(manifest));
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
for (const file of await readdir(assetsDir)) {
  if (file.endsWith('.br') || file.endsWith('.gz')) continue;
  const full = path.join(assetsDir, file);
  if ((await stat(full)).size < 1024) continue;
  const content = await readFile(full);
  // The best brotli for the app's own files; a little less for GraphiQL's megabytes (quality 11 takes ~15 s there).
  const quality = content.length > 1024 * 1024 ? 9 : 11;
  await writeFile(`${full}.br`, await brotli(content, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
  await writeFile(`${full}.gz`, await gzipAsync(content, { level: 9 }));
}
await writeFile(stampFile, stamp);
