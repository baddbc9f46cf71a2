import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import { FileStore } from '../src/store/file/file-store.ts';
const store = new FileStore({ dataDir: '/tmp/dbg-jit', logger: pino({ level: 'silent' }) });
const { app } = createApp({ config: { maxBodyBytes: 1 << 20, maxMessageBytes: 1 << 18 }, store, logger: pino({ level: 'silent' }) });
const r = await app.fetch(new Request('http://t/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ project(id: "p") { sessionsConnection(after: "bogus") { totalCount } } }' }) }));
console.log(r.status, await r.text());
await store.close();
