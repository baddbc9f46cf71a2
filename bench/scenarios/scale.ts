// Scenario 6: a data dir of 1 000 000 messages over 10 000 sessions (100 projects of 100 sessions): start-up time and
// memory of the server, and list and stats latency, against the same server on an empty data dir in the same run.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeSessionFixture } from '../../test/helpers/session-fixture.js';
import { startProcess } from '../../test/helpers/server-process.js';
import { SERVER } from '../lib/server.js';
import { median, ratio, round } from '../lib/stats.js';
import type { Scenario } from '../lib/types.js';

async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function timed(url: string): Promise<number> {
  const began = performance.now();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  await response.arrayBuffer();
  return performance.now() - began;
}

export const scale: Scenario = {
  id: 'scale',
  title: 'Scale: 1 000 000 messages over 10 000 sessions',
  async run({ quick, workDir, progress }) {
    const projects = quick ? 10 : 100;
    const perSession = 100;
    const dataDir = path.join(workDir, 'data');
    const emptyDir = path.join(workDir, 'empty');
    await mkdir(emptyDir, { recursive: true });
    for (let p = 0; p < projects; p++) {
      for (let s = 0; s < 100; s++) await writeSessionFixture(dataDir, `project-${p}`, perSession, 150);
      if (p % 10 === 9) progress(`generated ${((p + 1) * 100 * perSession).toLocaleString('en')} messages`);
    }
    const starts: number[] = [];
    const emptyStarts: number[] = [];
    let rss = { idle: 0, loaded: 0, empty: 0 };
    const list: number[] = [];
    const stats: number[] = [];
    const coldList: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const empty = await startProcess(SERVER, { DATA_DIR: emptyDir });
      emptyStarts.push(empty.startMs);
      rss.empty = await rssMiB(empty.child.pid!);
      await empty.stop();
      const server = await startProcess(SERVER, { DATA_DIR: dataDir });
      starts.push(server.startMs);
      try {
        rss.idle = await rssMiB(server.child.pid!);
        coldList.push(await timed(`${server.base}/api/projects/project-0/sessions`));
        for (let p = 0; p < projects; p++) await timed(`${server.base}/api/projects/project-${p}/stats`);
        rss.loaded = await rssMiB(server.child.pid!);
        for (let i = 0; i < 20; i++) {
          list.push(await timed(`${server.base}/api/projects/project-${i % projects}/sessions`));
          stats.push(await timed(`${server.base}/api/projects/project-${i % projects}/stats`));
        }
      } finally {
        await server.stop();
      }
      progress(`repetition ${rep + 1}: start ${Math.round(starts.at(-1)!)} ms (empty ${Math.round(emptyStarts.at(-1)!)} ms), RSS ${Math.round(rss.loaded)} MiB`);
    }
    rss = { idle: round(rss.idle), loaded: round(rss.loaded), empty: round(rss.empty) };
    return {
      id: this.id,
      title: this.title,
      figures: [
        { name: 'messages / sessions', value: projects * 100 * perSession, unit: `messages in ${projects * 100} sessions` },
        { name: 'start-up, to listening', value: round(median(starts)), unit: 'ms' },
        { name: 'start-up on an empty data dir', value: round(median(emptyStarts)), unit: 'ms' },
        { name: 'RSS after start', value: rss.idle, unit: 'MiB' },
        { name: 'RSS with every project loaded', value: rss.loaded, unit: 'MiB' },
        { name: 'RSS on an empty data dir', value: rss.empty, unit: 'MiB' },
        { name: 'first list of a project of 100 sessions (cold)', value: round(median(coldList)), unit: 'ms' },
        { name: 'list of 100 sessions, p50', value: round(median(list)), unit: 'ms' },
        { name: 'project stats, p50', value: round(median(stats)), unit: 'ms' },
      ],
      ratios: [
        ratio('start-up / start-up on an empty data dir', median(starts) / median(emptyStarts), '<= 1.25'),
        ratio('RSS with every project loaded, MiB', rss.loaded, '<= 300'),
        ratio('start-up, seconds', median(starts) / 1000, '<= 2'),
      ],
    };
  },
};
