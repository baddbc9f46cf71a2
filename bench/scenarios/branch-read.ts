// Scenario 9: the active branch of a 100 000-message conversation that branches 1 000 times (each a regenerated
// message left behind), vs a 10-message one that branches once: its newest 50, and switching the active leaf to
// another branch and reading that one's newest 50. Store level, as scenario 3.
import { pino } from 'pino';
import { FileStore } from '../../src/store/file/file-store.js';
import type { SessionKey } from '../../src/domain/session.js';
import { writeSessionFixture } from '../../test/helpers/session-fixture.js';
import type { Scenario } from '../lib/types.js';
import { latency, median, ratio, round } from '../lib/stats.js';

const newest50 = (length: number) => ({ from: length - 49, to: length });

export const branchRead: Scenario = {
  id: 'branch-read',
  title: 'Active branch, newest 50, and switching branches: 100 000 messages branching 1 000 times vs 10 branching once',
  async run({ quick, workDir, progress }) {
    const sessions = new Map<number, { key: SessionKey; leaves: [string, string] }>();
    for (const [length, branches] of [[10, 1], [100_000, 1_000]] as const) {
      const { session, abandonedIds } = await writeSessionFixture(workDir, 'bench', length, 250, { branches });
      // Two leaves to switch between: the newest message, and a branch left behind halfway.
      sessions.set(length, { key: { projectId: 'bench', sessionId: session.id }, leaves: [session.activeLeafId!, abandonedIds[Math.floor(abandonedIds.length / 2)]!] });
    }
    const store = new FileStore({ dataDir: workDir, logger: pino({ level: 'silent' }) });
    await store.catchUpSearch(); // the search index of the fixtures, built before anything is measured
    const read = (n: number) => {
      const { key } = sessions.get(n)!;
      return async () => {
        const [page] = await store.readBranches([{ ...key, leafId: null, window: newest50 }]);
        if (!page || page.messages.length === 0) throw new Error('empty page');
      };
    };
    const switchAndRead = (n: number) => {
      const { key, leaves } = sessions.get(n)!;
      let turn = 0;
      return async () => {
        turn += 1;
        await store.setActiveLeaf(key, leaves[turn % 2]!, (s) => ({ ...s, version: s.version + 1 }));
        await read(n)();
      };
    };
    const samples = { read10: [] as number[], read100k: [] as number[], switch10: [] as number[], switch100k: [] as number[] };
    try {
      for (const n of [10, 100_000]) await read(n)(); // open both logs
      for (let rep = 0; rep < (quick ? 3 : 7); rep++) {
        // The page read is that of the newest branch; the switches below leave either branch active.
        for (const { key, leaves } of sessions.values()) await store.setActiveLeaf(key, leaves[0], (s) => ({ ...s, version: s.version + 1 }));
        samples.read10.push((await latency(read(10), { iterations: 200, timeMs: quick ? 100 : 300 })).p50);
        samples.read100k.push((await latency(read(100_000), { iterations: 200, timeMs: quick ? 100 : 300 })).p50);
        samples.switch10.push((await latency(switchAndRead(10), { iterations: 50, timeMs: quick ? 100 : 300 })).p50);
        samples.switch100k.push((await latency(switchAndRead(100_000), { iterations: 50, timeMs: quick ? 100 : 300 })).p50);
        progress(`repetition ${rep + 1}`);
      }
    } finally {
      await store.close();
    }
    return {
      id: this.id,
      title: this.title,
      figures: [
        { name: 'active branch newest 50 of 10, p50', value: round(median(samples.read10)), unit: 'ms' },
        { name: 'active branch newest 50 of 100 000 (1 000 branches), p50', value: round(median(samples.read100k)), unit: 'ms' },
        { name: 'switch leaf + newest 50 of 10, p50', value: round(median(samples.switch10)), unit: 'ms' },
        { name: 'switch leaf + newest 50 of 100 000, p50', value: round(median(samples.switch100k)), unit: 'ms' },
      ],
      ratios: [
        ratio('branch page p50 at 100 000 / at 10', median(samples.read100k) / median(samples.read10), '<= 2'),
        ratio('switch + page p50 at 100 000 / at 10', median(samples.switch100k) / median(samples.switch10), '<= 2'),
      ],
    };
  },
};
