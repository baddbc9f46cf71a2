// Scenario 8: appends over HTTP (the REST shim, each one durable before its answer) to real server processes: two
// PostgreSQL replicas sharing one database and one Redis, a single PostgreSQL replica, and the file store, in the same
// run. Load goes to one session (appends take turns on its row lock) and spread over 32 sessions.
// Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (BENCH_DATABASE_URL, BENCH_REDIS_URL to change them).
import path from 'node:path';
import pg from 'pg';
import { newId } from '../../src/domain/ids.js';
import { type RunningServer, startProcess } from '../../test/helpers/server-process.js';
import { type LoadResult, loadSpread, postJson } from '../lib/http.js';
import { SERVER } from '../lib/server.js';
import { median, ratio, round } from '../lib/stats.js';
import type { Scenario } from '../lib/types.js';

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const message = { role: 'user', content: 'benchmark message' };

/** `count` new sessions on a server; their messages paths. */
async function sessions(base: string, count: number): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await postJson(`${base}/api/projects/bench/sessions`, { title: `session ${i}` });
    paths.push(`/api/projects/bench/sessions/${created.id}/messages`);
  }
  return paths;
}

/** Messages stored in the sessions behind `paths`. */
async function stored(base: string, paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const p of paths) total += (await (await fetch(`${base}${p.replace(/\/messages$/, '')}`)).json()).message_count as number;
  return total;
}

/** The same load split over several servers at once (connections shared out); one result for all of them. */
async function loadAcross(servers: readonly RunningServer[], paths: readonly string[], connections: number, seconds: number): Promise<LoadResult> {
  const parts = await Promise.all(
    servers.map((s) => loadSpread(s.base, paths, { connections: connections / servers.length, seconds, method: 'POST', body: message })),
  );
  const sum = (pick: (r: LoadResult) => number) => parts.reduce((n, r) => n + pick(r), 0);
  return {
    requestsPerSecond: sum((r) => r.requestsPerSecond),
    ok: sum((r) => r.ok),
    sent: sum((r) => r.sent),
    p50: Math.max(...parts.map((r) => r.p50)),
    p99: Math.max(...parts.map((r) => r.p99)),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
  };
}

export const replicas: Scenario = {
  id: 'replicas',
  title: 'Appends over HTTP: PostgreSQL with 2 replicas and with 1, against the file store',
  async run({ quick, workDir, progress }) {
    const schema = `bench_${newId().toLowerCase()}`;
    const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const servers: RunningServer[] = [];
    try {
      const url = `${databaseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      const file = await startProcess(SERVER, { DATA_DIR: path.join(workDir, 'file') });
      servers.push(file);
      const [a, b] = await Promise.all([0, 1].map(() => startProcess(SERVER, { STORE: 'postgres', DATABASE_URL: url, REDIS_URL: redisUrl })));
      servers.push(a!, b!);
      for (const s of [a!, b!]) {
        for (let i = 0; i < 100 && (await fetch(`${s.base}/readyz`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
      }
      const filePaths = await sessions(file.base, 33);
      const pgPaths = await sessions(a!.base, 33);
      const cases = [
        { name: 'one session, 32 connections', connections: 32, pick: (paths: string[]) => paths.slice(0, 1) },
        { name: '32 sessions, 32 connections', connections: 32, pick: (paths: string[]) => paths.slice(1) },
        { name: 'one session, 1 connection', connections: 1, pick: (paths: string[]) => paths.slice(0, 1) },
      ];
      const seconds = quick ? 2 : 5;
      const runs = cases.map(() => ({ file: [] as LoadResult[], one: [] as LoadResult[], two: [] as LoadResult[] }));
      for (let rep = 0; rep < (quick ? 1 : 3); rep++) {
        for (const [i, c] of cases.entries()) {
          const r = runs[i]!;
          r.file.push(await loadAcross([file], c.pick(filePaths), c.connections, seconds));
          r.one.push(await loadAcross([a!], c.pick(pgPaths), c.connections, seconds));
          // One connection cannot be shared out: the single-connection case has no two-replica run.
          if (c.connections > 1) r.two.push(await loadAcross([a!, b!], c.pick(pgPaths), c.connections, seconds));
          const rate = (x: LoadResult[]) => (x.length ? Math.round(x.at(-1)!.requestsPerSecond) : '-');
          progress(`${c.name}: file ${rate(r.file)}, PostgreSQL 1 replica ${rate(r.one)}, 2 replicas ${rate(r.two)} appends/s`);
        }
      }
      // Every append a PostgreSQL replica acknowledged is stored once: the count lies between acknowledged and sent.
      const pgRuns = runs.flatMap((r) => [...r.one, ...r.two]);
      const acknowledged = pgRuns.reduce((n, x) => n + x.ok, 0);
      const sent = pgRuns.reduce((n, x) => n + x.sent, 0);
      const count = await stored(b!.base, pgPaths);
      const wrong = Math.max(0, acknowledged - count) + Math.max(0, count - sent);
      const failures = runs.flatMap((r) => [...r.file, ...r.one, ...r.two]).reduce((n, x) => n + x.non2xx + x.errors, 0);
      const rate = (x: LoadResult[]) => median(x.map((y) => y.requestsPerSecond));
      const [hot, spread, single] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
      return {
        id: this.id,
        title: this.title,
        figures: cases.flatMap((c, i) => [
          { name: `${c.name}: file store`, value: round(rate(runs[i]!.file)), unit: 'appends/s' },
          { name: `${c.name}: PostgreSQL, 1 replica`, value: round(rate(runs[i]!.one)), unit: 'appends/s' },
          ...(runs[i]!.two.length ? [{ name: `${c.name}: PostgreSQL, 2 replicas`, value: round(rate(runs[i]!.two)), unit: 'appends/s' }] : []),
          { name: `${c.name}: PostgreSQL 1 replica p99`, value: median(runs[i]!.one.map((x) => x.p99)), unit: 'ms' },
        ]),
        ratios: [
          ratio('one session: PostgreSQL 2 replicas / 1 replica', rate(hot.two) / rate(hot.one), '>= 0'),
          ratio('32 sessions: PostgreSQL 2 replicas / 1 replica', rate(spread.two) / rate(spread.one), '>= 0'),
          ratio('32 sessions: PostgreSQL 1 replica / file store', rate(spread.one) / rate(spread.file), '>= 0.7'),
          ratio('one session, 1 connection: PostgreSQL / file store (appends/s)', rate(single.one) / rate(single.file), '>= 0'),
          ratio('non-2xx answers and errors, all cases', failures, '<= 0'),
          ratio(`appends acknowledged by PostgreSQL replicas (${acknowledged}) lost or stored twice`, wrong, '<= 0'),
        ],
      };
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  },
};
