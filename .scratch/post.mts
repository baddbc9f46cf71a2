import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import { FileStore } from '../src/store/file/file-store.ts';
const dir = await mkdtemp(path.join(tmpdir(), 'post-'));
const store = new FileStore({ dataDir: dir, logger: pino({ level: 'silent' }) });
const { app, service } = createApp({ config: { maxBodyBytes: 1 << 20, maxMessageBytes: 1 << 18 }, store, logger: pino({ level: 'silent' }) });
const s = await service.createSession('p', { title: 't' });
async function rate(name: string, fn: () => Promise<unknown>) {
  let n = 0; const end = performance.now() + 3000; const t = performance.now();
  await Promise.all(Array.from({ length: 32 }, async () => { while (performance.now() < end) { await fn(); n++; } }));
  console.log(name, Math.round(n / ((performance.now() - t) / 1000)), '/s');
}
// await rate('service.addMessage x32', () => service.addMessage('p', s.id, { role: 'user', content: 'benchmark message' }));
await rate('app.fetch POST x32', () => app.fetch(new Request(`http://t/api/projects/p/sessions/${s.id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"role":"user","content":"benchmark message"}' })).then(r => r.text()));
await store.close();
