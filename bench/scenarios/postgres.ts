// Scenario 7: the PostgreSQL store against the file store in the same run: durable append latency, throughput with
// 32 writers through one and through two store instances (two replicas' pools), and the newest 50 of 100 000.
// Needs PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL to change it).
import pg from 'pg';
import { newId } from '../../src/domain/ids.js';
import { newSession } from '../../src/domain/session.js';
import type { Message } from '../../src/domain/message.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { SessionKey } from '../../src/domain/session.js';
import type { ChatStore } from '../../src/store/store.js';
import { latency, median, ratio, round } from '../lib/stats.js';
import { draft, storeWithSessions } from '../lib/store.js';
import type { Scenario } from '../lib/types.js';

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function throughput(stores: ChatStore[], key: SessionKey, ms: number): Promise<number> {
  let appended = 0;
  const end = performance.now() + ms;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async (_, i) => {
      const store = stores[i % stores.length]!;
      while (performance.now() < end) {
        await store.appendMessage(key, draft());
        appended += 1;
      }
    }),
  );
  return appended / ((performance.now() - began) / 1000);
}

export const postgresStore: Scenario = {
  id: 'postgres',
  title: 'PostgreSQL store vs file store',
  async run({ quick, workDir, progress }) {
    const schema = `bench_${newId().toLowerCase()}`;
    const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const open = () => new PostgresStore({ connectionString: databaseUrl, schema, poolSize: 16 });
    const pgA = open();
    const pgB = open();
    const { store: file, keys } = await storeWithSessions(workDir, [0, 100_000]);
    try {
      const pgKey = { projectId: 'bench', sessionId: newId() };
      await pgA.createSession({ ...newSession('bench', { title: 'appends' }), id: pgKey.sessionId });
      const fileKey = keys.get(0)!;
      // The 100 000-message session, copied into PostgreSQL exactly.
      const long = keys.get(100_000)!;
      const [longSession] = await file.getSessions([long]);
      const messages: Message[] = [];
      for (let from = 1; from <= 100_000; from += 1000) messages.push(...(await file.readMessages([{ ...long, fromSeq: from, toSeq: from + 999 }]))[0]!);
      await pgA.importSession(longSession!, messages);
      progress('loaded 100 000 messages into PostgreSQL');

      const windowMs = quick ? 1000 : 3000;
      const appendFile: number[] = [];
      const appendPg: number[] = [];
      const oneReplica: number[] = [];
      const twoReplicas: number[] = [];
      const fileThroughput: number[] = [];
      const tailFile: number[] = [];
      const tailPg: number[] = [];
      for (let rep = 0; rep < (quick ? 2 : 3); rep++) {
        appendFile.push((await latency(() => file.appendMessage(fileKey, draft()), { iterations: 50, timeMs: 0 })).p50);
        appendPg.push((await latency(() => pgA.appendMessage(pgKey, draft()), { iterations: 50, timeMs: 0 })).p50);
        fileThroughput.push(await throughput([file], fileKey, windowMs));
        oneReplica.push(await throughput([pgA], pgKey, windowMs));
        twoReplicas.push(await throughput([pgA, pgB], pgKey, windowMs));
        const newest = (store: ChatStore) => () => store.readMessages([{ ...long, fromSeq: 99_951, toSeq: 100_000 }]);
        tailFile.push((await latency(newest(file), { iterations: 100, timeMs: 200 })).p50);
        tailPg.push((await latency(newest(pgA), { iterations: 100, timeMs: 200 })).p50);
        progress(`repetition ${rep + 1}: appends/s file ${Math.round(fileThroughput.at(-1)!)}, pg ${Math.round(oneReplica.at(-1)!)}, pg x2 ${Math.round(twoReplicas.at(-1)!)}`);
      }
      return {
        id: this.id,
        title: this.title,
        figures: [
          { name: 'append p50, file store', value: round(median(appendFile)), unit: 'ms' },
          { name: 'append p50, PostgreSQL', value: round(median(appendPg)), unit: 'ms' },
          { name: '32 writers, file store', value: round(median(fileThroughput)), unit: 'appends/s' },
          { name: '32 writers, PostgreSQL, 1 replica', value: round(median(oneReplica)), unit: 'appends/s' },
          { name: '32 writers, PostgreSQL, 2 replicas', value: round(median(twoReplicas)), unit: 'appends/s' },
          { name: 'newest 50 of 100 000, file store, p50', value: round(median(tailFile)), unit: 'ms' },
          { name: 'newest 50 of 100 000, PostgreSQL, p50', value: round(median(tailPg)), unit: 'ms' },
        ],
        ratios: [
          ratio('append p50: PostgreSQL / file', median(appendPg) / median(appendFile), '>= 0'),
          ratio('appends/s with 32 writers: PostgreSQL 2 replicas / 1 replica', median(twoReplicas) / median(oneReplica), '>= 0'),
          ratio('appends/s with 32 writers: PostgreSQL 1 replica / file', median(oneReplica) / median(fileThroughput), '>= 0'),
          ratio('newest 50 of 100 000: PostgreSQL / file', median(tailPg) / median(tailFile), '>= 0'),
        ],
      };
    } finally {
      await Promise.all([pgA.close(), pgB.close(), file.close()]);
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  },
};
