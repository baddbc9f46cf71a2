import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import { FileStore } from '../src/store/file/file-store.ts';
const dir = await mkdtemp(path.join(tmpdir(), 'lat-'));
const store = new FileStore({ dataDir: dir, logger: pino({ level: 'silent' }) });
const { app, service } = createApp({ config: { maxBodyBytes: 1 << 20, maxMessageBytes: 1 << 18 }, store, logger: pino({ level: 'silent' }) });
const s = await service.createSession('p', { title: 't' });
const key = { projectId: 'p', sessionId: s.id };
async function time(name: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await fn();
  const t = performance.now(); const n = 500;
  for (let i = 0; i < n; i++) await fn();
  console.log(name, ((performance.now() - t) / n).toFixed(3), 'ms');
}
let i = 0;
await time('store.append', () => store.appendMessage(key, { id: `x${i++}`, role: 'user', content: 'hello', metadata: {}, clientMessageId: null }));
await time('service.addMessage', () => service.addMessage('p', s.id, { role: 'user', content: 'hello' }));
await time('app.fetch POST', () => app.fetch(new Request(`http://t/api/projects/p/sessions/${s.id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"role":"user","content":"hello"}' })).then(r => r.text()));
await time('app.fetch GET page', () => app.fetch(new Request(`http://t/api/projects/p/sessions/${s.id}/messages?limit=50&offset=100`)).then(r => r.text()));
await time('store read 50', () => store.readMessages([{ ...key, fromSeq: 101, toSeq: 150 }]));
await store.close();
