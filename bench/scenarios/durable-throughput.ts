// Scenario 2: durable appends per second with 32 concurrent writers (group commit) against the disk's own rate of
// write + fdatasync calls, measured on the same disk in the same run.
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Scenario } from '../lib/types.js';
import { median, ratio, round } from '../lib/stats.js';
import { draft, storeWithSessions } from '../lib/store.js';

const WRITERS = 32;

async function rawSyncsPerSecond(file: string, ms: number): Promise<number> {
  const handle = await open(file, 'a');
  const line = Buffer.from(`${'x'.repeat(255)}\n`);
  let syncs = 0;
  const end = performance.now() + ms;
  const startAt = performance.now();
  try {
    while (performance.now() < end) {
      await handle.write(line);
      await handle.datasync();
      syncs += 1;
    }
  } finally {
    await handle.close();
  }
  return syncs / ((performance.now() - startAt) / 1000);
}

export const durableThroughput: Scenario = {
  id: 'durable-throughput',
  title: `Durable appends/s with ${WRITERS} concurrent writers vs raw fdatasync/s`,
  async run({ quick, workDir, progress }) {
    const { store, keys } = await storeWithSessions(workDir, [0]);
    const key = keys.get(0)!;
    const windowMs = quick ? 1000 : 3000;
    const raw: number[] = [];
    const store32: number[] = [];
    try {
      await store.appendMessage(key, draft());
      for (let rep = 0; rep < (quick ? 3 : 5); rep++) {
        raw.push(await rawSyncsPerSecond(path.join(workDir, `raw-${rep}.log`), windowMs));
        let appended = 0;
        const end = performance.now() + windowMs;
        const startAt = performance.now();
        await Promise.all(
          Array.from({ length: WRITERS }, async () => {
            while (performance.now() < end) {
              await store.appendMessage(key, draft());
              appended += 1;
            }
          }),
        );
        store32.push(appended / ((performance.now() - startAt) / 1000));
        progress(`repetition ${rep + 1}: raw ${Math.round(raw.at(-1)!)}/s, store ${Math.round(store32.at(-1)!)}/s`);
      }
    } finally {
      await store.close();
    }
    const ratios = raw.map((r, i) => store32[i]! / r);
    return {
      id: this.id,
      title: this.title,
      figures: [
        { name: 'raw write+fdatasync calls', value: round(median(raw)), unit: '/s' },
        { name: `store appends, ${WRITERS} writers`, value: round(median(store32)), unit: '/s' },
      ],
      ratios: [ratio('store appends / raw fdatasyncs (median of repetitions)', median(ratios), '>= 5')],
    };
  },
};
