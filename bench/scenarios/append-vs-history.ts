// Scenario 1: the cost of appending one durable message next to a history of 10 ... 100 000 messages.
import type { Scenario } from '../lib/types.js';
import { latency, median, ratio, round } from '../lib/stats.js';
import path from 'node:path';
import { FileStore } from '../../src/store/file/file-store.js';
import { newSession } from '../../src/domain/session.js';
import { draft, quiet, storeWithSessions } from '../lib/store.js';

const LENGTHS = [10, 1_000, 10_000, 100_000];

export const appendVsHistory: Scenario = {
  id: 'append-vs-history',
  title: 'Append cost vs history length (store, fdatasync per append)',
  async run({ quick, workDir, progress }) {
    const { store, keys } = await storeWithSessions(workDir, LENGTHS);
    // The same appends to a store without its search index: what indexing adds to an append.
    const plain = new FileStore({ dataDir: path.join(workDir, 'without-index'), logger: quiet, searchIndex: false });
    const plainSession = newSession('bench', { title: 'without index' });
    await plain.createSession(plainSession);
    const plainKey = { projectId: 'bench', sessionId: plainSession.id };
    const p50s = new Map<number, number[]>(LENGTHS.map((n) => [n, []]));
    const withoutIndex: number[] = [];
    const repetitions = quick ? 3 : 7;
    try {
      for (const key of keys.values()) await store.appendMessage(key, draft()); // open every log first
      for (let i = 0; i < 10; i++) await plain.appendMessage(plainKey, draft());
      // Sizes interleaved within each repetition, so that noise from the machine falls on all of them alike.
      for (let rep = 0; rep < repetitions; rep++) {
        for (const n of LENGTHS) {
          const key = keys.get(n)!;
          const { p50 } = await latency(() => store.appendMessage(key, draft()), { iterations: quick ? 30 : 100, timeMs: 0 });
          p50s.get(n)!.push(p50);
        }
        withoutIndex.push((await latency(() => plain.appendMessage(plainKey, draft()), { iterations: quick ? 30 : 100, timeMs: 0 })).p50);
        progress(`repetition ${rep + 1}/${repetitions}`);
      }
    } finally {
      await store.close();
      await plain.close();
    }
    const at = (n: number) => median(p50s.get(n)!);
    return {
      id: this.id,
      title: this.title,
      figures: [
        ...LENGTHS.map((n) => ({ name: `append p50 at ${n.toLocaleString('en')} messages`, value: round(at(n)), unit: 'ms' })),
        { name: 'append p50 at 10 messages, store without search index', value: round(median(withoutIndex)), unit: 'ms' },
      ],
      ratios: [
        ratio('p50 at 100 000 / p50 at 10', at(100_000) / at(10), '<= 1.25'),
        ratio('append p50 with search indexing / without', at(10) / median(withoutIndex), '<= 1.3'),
      ],
    };
  },
};
