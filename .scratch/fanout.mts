import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startProcess } from '../bench/lib/http.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
const N = Number(process.argv[2] ?? 1000);
const dir = await mkdtemp(path.join(tmpdir(), 'fan-'));
const server = await startProcess('src/main.ts', { DATA_DIR: dir, SUBSCRIPTION_BUFFER: '1000' });
const created = await (await fetch(`${server.base}/api/projects/p/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'fan' }) })).json();
const ws = server.base.replace('http', 'ws') + '/graphql';
const clients = Array.from({ length: Math.ceil(N / 100) }, () => createClient({ url: ws, webSocketImpl: WebSocket, retryAttempts: 0 }));
let received = 0; let target = 0; let resolveAll: () => void = () => {};
for (let i = 0; i < N; i++) {
  clients[i % clients.length]!.subscribe({ query: `subscription { messageAdded(projectId: "p", sessionId: "${created.id}") { sequence } }` }, { next: () => { received++; if (received === target) resolveAll(); }, error: (e) => console.error('err', e), complete: () => {} });
}
await new Promise((r) => setTimeout(r, 3000));
const latencies: number[] = [];
for (let round = 1; round <= 5; round++) {
  target = N * round;
  const t = performance.now();
  const all = new Promise<void>((r) => (resolveAll = r));
  await fetch(`${server.base}/api/projects/p/sessions/${created.id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'user', content: `m${round}` }) });
  await Promise.race([all, new Promise((r) => setTimeout(r, 10000))]);
  latencies.push(performance.now() - t);
  console.log(`round ${round}: ${received - N * (round - 1)}/${N} delivered in ${(performance.now() - t).toFixed(0)} ms`);
}
const rss = (await import('node:fs')).readFileSync(`/proc/${server.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1];
console.log(`server RSS ${Math.round(Number(rss) / 1024)} MiB with ${N} subscriptions`);
for (const c of clients) await c.dispose();
await server.stop();
