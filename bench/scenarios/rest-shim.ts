// Scenario 5: the REST shim over HTTP: GET a 50-message page of a 1 000-message session, and POST messages with
// 1 and with 32 connections; against hand-written node:http endpoints over the same store.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { writeSessionFixture } from '../../test/helpers/session-fixture.js';
import { indexForSearch } from '../lib/store.js';
import { startProcess } from '../../test/helpers/server-process.js';
import { SERVER } from '../lib/server.js';
import { load, type LoadResult, medianRate, warmUp } from '../lib/http.js';
import { median, ratio, round } from '../lib/stats.js';
import type { Scenario } from '../lib/types.js';

export const restShim: Scenario = {
  id: 'rest-shim',
  title: 'REST shim over HTTP vs raw node:http endpoints',
  async run({ quick, workDir, progress }) {
    const shimDir = path.join(workDir, 'shim');
    const rawDir = path.join(workDir, 'raw');
    const { session } = await writeSessionFixture(shimDir, 'bench', 1000, 200);
    await indexForSearch(shimDir);
    await cp(shimDir, rawDir, { recursive: true });
    const shim = await startProcess(SERVER, { DATA_DIR: shimDir });
    const raw = await startProcess('bench/baseline-server.ts', { DATA_DIR: rawDir });
    const seconds = quick ? 3 : 6;
    const cases = [
      { name: 'GET page of 50', connections: 16, shim: `/api/projects/bench/sessions/${session.id}/messages?limit=50&offset=900`, raw: `/bench/${session.id}?limit=50&offset=900` },
      { name: 'POST message, 1 connection', connections: 1, method: 'POST', shim: `/api/projects/bench/sessions/${session.id}/messages`, raw: `/bench/${session.id}` },
      { name: 'POST message, 32 connections', connections: 32, method: 'POST', shim: `/api/projects/bench/sessions/${session.id}/messages`, raw: `/bench/${session.id}` },
    ];
    const results = cases.map(() => ({ shim: [] as LoadResult[], raw: [] as LoadResult[] }));
    let acknowledged = 0;
    let wrong = 0;
    const countStored = async () => (await (await fetch(`${shim.base}/api/projects/bench/sessions/${session.id}`)).json()).message_count as number;
    for (const c of cases) {
      const options = { connections: c.connections, quick, ...(c.method ? { method: c.method, body: { role: 'user', content: 'benchmark message' } } : {}) };
      await warmUp(`${raw.base}${c.raw}`, options);
      await warmUp(`${shim.base}${c.shim}`, options);
    }
    const before = await countStored();
    try {
      for (let rep = 0; rep < (quick ? 1 : 3); rep++) {
        for (const [i, c] of cases.entries()) {
          const options = { connections: c.connections, seconds, ...(c.method ? { method: c.method, body: { role: 'user', content: 'benchmark message' } } : {}) };
          results[i]!.raw.push(await load(`${raw.base}${c.raw}`, options));
          results[i]!.shim.push(await load(`${shim.base}${c.shim}`, options));
          progress(`${c.name}: raw ${Math.round(results[i]!.raw.at(-1)!.requestsPerSecond)} req/s, shim ${Math.round(results[i]!.shim.at(-1)!.requestsPerSecond)} req/s`);
        }
      }
      // Every POST the shim acknowledged is stored, and none twice: between the acknowledged and the sent ones
      // (requests in flight when a load window closed are stored without their answer being counted).
      const posts = results.filter((_, i) => cases[i]!.method).flatMap((r) => r.shim);
      acknowledged = posts.reduce((n, x) => n + x.ok, 0);
      const sent = posts.reduce((n, x) => n + x.sent, 0);
      const stored = (await countStored()) - before;
      wrong = Math.max(0, acknowledged - stored) + Math.max(0, stored - sent);
    } finally {
      await Promise.all([shim.stop(), raw.stop()]);
    }
    return {
      id: this.id,
      title: this.title,
      figures: cases.flatMap((c, i) => [
        { name: `${c.name}: shim`, value: round(medianRate(results[i]!.shim)), unit: 'req/s' },
        { name: `${c.name}: raw`, value: round(medianRate(results[i]!.raw)), unit: 'req/s' },
        { name: `${c.name}: shim p99`, value: median(results[i]!.shim.map((x) => x.p99)), unit: 'ms' },
        { name: `${c.name}: shim non-2xx + errors`, value: results[i]!.shim.reduce((n, x) => n + x.non2xx + x.errors, 0), unit: '' },
      ]),
      ratios: [
        ...cases.map((c, i) => ratio(`${c.name}: shim / raw req/s`, median(results[i]!.shim.map((s, k) => s.requestsPerSecond / results[i]!.raw[k]!.requestsPerSecond)), '>= 0')),
        ratio('shim non-2xx responses and errors, all cases', results.reduce((n, r) => n + r.shim.reduce((m, x) => m + x.non2xx + x.errors, 0), 0), '<= 0'),
        ratio(`acknowledged POSTs (${acknowledged}) lost or stored twice`, wrong, '<= 0'),
      ],
    };
  },
};
