// Scenario 3: reading the newest 50 messages of a 100 000-message session vs of a 10-message session.
import type { Scenario } from '../lib/types.js';
import { latency, median, ratio, round } from '../lib/stats.js';
import { storeWithSessions } from '../lib/store.js';

export const tailRead: Scenario = {
  id: 'tail-read',
  title: 'Newest 50 messages: 100 000-message session vs 10-message session',
  async run({ quick, workDir, progress }) {
    const { store, keys } = await storeWithSessions(workDir, [10, 100_000]);
    const small: number[] = [];
    const large: number[] = [];
    const newest = (n: number) => {
      const key = keys.get(n)!;
      return () => store.readMessages([{ ...key, fromSeq: Math.max(1, n - 49), toSeq: n }]);
    };
    try {
      for (const n of [10, 100_000]) await newest(n)(); // open both logs
      for (let rep = 0; rep < (quick ? 3 : 7); rep++) {
        small.push((await latency(newest(10), { iterations: 200, timeMs: quick ? 100 : 300 })).p50);
        large.push((await latency(newest(100_000), { iterations: 200, timeMs: quick ? 100 : 300 })).p50);
        progress(`repetition ${rep + 1}`);
      }
    } finally {
      await store.close();
    }
    return {
      id: this.id,
      title: this.title,
      figures: [
        { name: 'newest 50 of 10, p50', value: round(median(small)), unit: 'ms' },
        { name: 'newest 50 of 100 000, p50', value: round(median(large)), unit: 'ms' },
      ],
      ratios: [ratio('p50 at 100 000 / p50 at 10', median(large) / median(small), '<= 2')],
    };
  },
};
