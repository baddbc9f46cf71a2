import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import { FileStore } from '../src/store/file/file-store.ts';
const store = new FileStore({ dataDir: '/tmp/mtest', logger: pino({ level: 'silent' }) });
const { app } = createApp({ config: { maxBodyBytes: 1 << 20, maxMessageBytes: 1 << 18 }, store, logger: pino({ level: 'silent' }) });
await app.fetch(new Request('http://t/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { createSession(projectId: "p", input: { title: "t" }) { __typename } }' }) }));
console.log((await (await app.fetch(new Request('http://t/metrics'))).text()).split('\n').filter((l) => l.startsWith('http_requests')).join('\n'));
await store.close();
