import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { createApp } from '../src/app.ts';
import { createGraphQLServer } from '../src/graphql/yoga.ts';
import { schema } from '../src/graphql/schema/index.ts';
import { FileStore } from '../src/store/file/file-store.ts';
const log = pino({ level: 'silent' });
const dir = await mkdtemp(path.join(tmpdir(), 'bd-'));
const store = new FileStore({ dataDir: dir, logger: log });
const { app, service } = createApp({ config: { maxBodyBytes: 1 << 20, maxMessageBytes: 1 << 18 }, store, logger: log });
const yoga = createGraphQLServer({ service, logger: log });
for (let s = 0; s < 20; s++) { const x = await service.createSession('bench', { title: `s${s}` }); for (let m = 0; m < 20; m++) await service.addMessage('bench', x.id, { role: 'user', content: `message ${m} of session ${s}` }); }
const query = `query Project($id: ID!) { project(id: $id) { sessions { id title messageCount messages(limit: 20) { id sequence role content createdAt } } } }`;
const body = JSON.stringify({ query, variables: { id: 'bench' } });
const tiny = JSON.stringify({ query: '{ __typename }' });
async function time(name: string, fn: () => Promise<unknown>, n = 3000) {
  for (let i = 0; i < 300; i++) await fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  console.log(name.padEnd(40), ((performance.now() - t) / n * 1000).toFixed(0).padStart(6), 'µs');
}
const post = (target: { fetch: (r: Request) => Response | Promise<Response> }, b: string) => () => Promise.resolve(target.fetch(new Request('http://t/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: b }))).then((r) => r.text());
await time('new Request only', async () => new Request('http://t/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: tiny }));
await time('app.fetch { __typename }', post(app, tiny));
await time('yoga.fetch { __typename }', post(yoga as never, tiny));
await time('app.fetch 20x20', post(app, body));
await time('yoga.fetch 20x20', post(yoga as never, body));
const compiled = compileQuery(schema, parse(query));
if (!isCompiledQuery(compiled)) throw new Error('not compiled');
await time('jit execute 20x20 (fresh context)', async () => JSON.stringify(await compiled.query({}, { service, logger: log, requestId: 'x' }, { id: 'bench' })));
await time('service only 20x20', async () => { const ss = await service.listSessions('bench'); JSON.stringify(await service.messagesOf(ss.map((session) => ({ session, limit: 20 })))); });
await store.close();
