// Scenario 11: a project of 10 000 sessions (each with a message and two of ten tags): p50 of sessionsPage with a tag
// filter, first 50 (pinned first, newest first), and of its next page by cursor, against the plain list of 50
// (sessionsConnection, newest first) on the same data in the same run. Through the service over the file store,
// where both are served from the project's session summaries in memory.
import { pino } from 'pino';
import { ChatService } from '../../src/service/chat-service.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { writeSessionFixture } from '../../test/helpers/session-fixture.js';
import { latency, median, ratio, round } from '../lib/stats.js';
import type { Scenario } from '../lib/types.js';

export const sessionsPage: Scenario = {
  id: 'sessions-page',
  title: 'sessionsPage with a tag filter vs the plain list of 50, over 10 000 sessions',
  async run({ quick, workDir, progress }) {
    const count = quick ? 2_000 : 10_000;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push((await writeSessionFixture(workDir, 'bench', 1, 100)).session.id);
      if (i % 2000 === 1999) progress(`wrote ${i + 1} sessions`);
    }
    const store = new FileStore({ dataDir: workDir, logger: pino({ level: 'silent' }) });
    await store.catchUpSearch(); // the search index of the fixtures, built before anything is measured
    const service = new ChatService({ store, maxMessageBytes: 256 * 1024 });
    const samples = { list: [] as number[], filtered: [] as number[], next: [] as number[] };
    try {
      // Tags and a few pins, set through the service as a client would.
      for (const [i, id] of ids.entries()) await service.updateSession('bench', id, { tags: [`topic-${i % 10}`, i % 2 ? 'odd' : 'even'], pinned: i % 500 === 0 });
      progress('tagged');
      const list = async () => {
        const page = await service.listSessionsPage('bench', { first: 50 });
        if (page.edges.length !== 50) throw new Error('short list');
      };
      const filtered = async () => {
        const page = await service.sessionsPage('bench', { filter: { tags: ['topic-3'] }, first: 50 });
        if (page.edges.length !== 50) throw new Error('short page');
      };
      const cursor = (await service.sessionsPage('bench', { filter: { tags: ['topic-3'] }, first: 50 })).pageInfo.endCursor;
      const next = async () => {
        const page = await service.sessionsPage('bench', { filter: { tags: ['topic-3'] }, first: 50, after: cursor });
        if (page.edges.length !== 50) throw new Error('short next page');
      };
      for (const fn of [list, filtered, next]) await fn();
      for (let rep = 0; rep < (quick ? 3 : 7); rep++) {
        samples.list.push((await latency(list, { iterations: 100, timeMs: quick ? 150 : 400 })).p50);
        samples.filtered.push((await latency(filtered, { iterations: 100, timeMs: quick ? 150 : 400 })).p50);
        samples.next.push((await latency(next, { iterations: 100, timeMs: quick ? 150 : 400 })).p50);
      }
      progress(`list ${round(median(samples.list))} ms, filtered ${round(median(samples.filtered))} ms, next page ${round(median(samples.next))} ms`);
    } finally {
      await store.close();
    }
    const ratioOf = (values: number[]) => round(median(values.map((v, i) => v / samples.list[i]!)));
    return {
      id: this.id,
      title: this.title,
      figures: [
        { name: `sessions in the project`, value: count, unit: '' },
        { name: 'sessionsConnection(first: 50): p50', value: round(median(samples.list)), unit: 'ms' },
        { name: 'sessionsPage(tags: [one of ten], first: 50): p50', value: round(median(samples.filtered)), unit: 'ms' },
        { name: 'its next page by cursor: p50', value: round(median(samples.next)), unit: 'ms' },
      ],
      ratios: [
        ratio('sessionsPage with a tag filter / plain list of 50', ratioOf(samples.filtered), '<= 3'),
        ratio('next page by cursor / plain list of 50', ratioOf(samples.next), '<= 3'),
      ],
    };
  },
};
