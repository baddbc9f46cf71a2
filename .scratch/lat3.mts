import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import { FileStore } from '../src/store/file/file-store.ts';
const dir = await mkdtemp(path.join(tmpdir(), 'lat-'));
const store = new FileStore({ dataDir: dir, logger: pino({ level: 'silent' }) });
const { app, service } = createApp({ config: { maxBodyBytes: 1 << 20, maxMessageBytes: 1 << 18 }, store, logger: pino({ level: 'silent' }) });
for (let s = 0; s < 20; s++) { const x = await service.createSession('bench', { title: `s${s}` }); for (let m = 0; m < 20; m++) await service.addMessage('bench', x.id, { role: 'user', content: `message ${m}` }); }
const body = JSON.stringify({ query: `query Project($id: ID!) { project(id: $id) { sessions { id title messageCount messages(limit: 20) { id sequence role content createdAt } } } }`, variables: { id: 'bench' } });
const run = () => app.fetch(new Request('http://t/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).then(r => r.text());
for (let i = 0; i < 100; i++) await run();
let t = performance.now();
for (let i = 0; i < 4000; i++) await run();
console.log('graphql 20x20 sequential', ((performance.now() - t) / 4000).toFixed(3), 'ms');
t = performance.now();
for (let i = 0; i < 50; i++) await Promise.all(Array.from({ length: 16 }, run));
console.log('graphql 20x20 16-way', ((performance.now() - t) / 800).toFixed(3), 'ms per request');
const sessions = await store.listSessions('bench', { includeInactive: false });
t = performance.now();
for (let i = 0; i < 500; i++) { const ss = await store.listSessions('bench', { includeInactive: false }); const pages = await store.readMessages(ss.map(s => ({ projectId: 'bench', sessionId: s.id, fromSeq: 1, toSeq: 20 }))); JSON.stringify(pages); }
console.log('raw 20x20 sequential', ((performance.now() - t) / 500).toFixed(3), 'ms');
await store.close();
