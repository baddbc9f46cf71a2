import { auditServer } from 'graphql-http';
import { startProcess } from '../bench/lib/http.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
const server = await startProcess('src/main.ts', { DATA_DIR: await mkdtemp(path.join(tmpdir(), 'audit-')) });
const results = await auditServer({ url: `${server.base}/graphql` });
const counts = { ok: 0, warn: 0, error: 0 } as Record<string, number>;
for (const r of results) { counts[r.status] = (counts[r.status] ?? 0) + 1; if (r.status !== 'ok') console.log(r.status, r.name, 'reason' in r ? r.reason : ''); }
console.log(counts);
await server.stop();
