// Scenario 6: a data dir of 1 000 000 messages over 10 000 sessions (100 projects of 100 sessions): start-up time and
// memory of the server, list and stats latency, against the same server on an empty data dir in the same run; and
// search over the same data (the index built from the logs, its size, a two-word query against a list of 20 sessions).
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeSessionFixture } from '../../test/helpers/session-fixture.js';
import { startProcess } from '../../test/helpers/server-process.js';
import { SERVER } from '../lib/server.js';
import { median, percentile, ratio, round } from '../lib/stats.js';
import { indexForSearch } from '../lib/store.js';
import type { Scenario } from '../lib/types.js';

async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function timed(url: string, init?: RequestInit): Promise<number> {
  const began = performance.now();
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const body = await response.text();
  if (body.includes('"errors"')) throw new Error(`${url}: ${body.slice(0, 300)}`);
  return performance.now() - began;
}

/** A GraphQL request, timed. */
function timedQuery(base: string, query: string, variables: Record<string, unknown>): Promise<number> {
  return timed(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
}

const LIST_20 = 'query($p: ID!) { project(id: $p) { sessionsPage(first: 20) { edges { node { id title updatedAt } } } } }';
const SEARCH_20 = 'query($p: ID!, $q: String!) { project(id: $p) { search(query: $q, first: 20) { edges { node { session { id title } message { id } snippet highlights { start end } score } } } } }';

/**
 * Words of a made-up language (syllables), used with Zipf frequencies as in real text: the word of rank r about
 * 1/r as often as the most common one.
 */
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo', 'zi', 'pa', 'do', 'fe', 'gu', 'hi', 'jo', 'bu'];
const VOCABULARY = Array.from({ length: 5000 }, (_, i) => {
  let word = '';
  for (let n = i + 16; n > 0; n = Math.floor(n / 16)) word += SYLLABLES[n % 16];
  return word;
});
const CUMULATIVE = (() => {
  let sum = 0;
  return VOCABULARY.map((_, r) => (sum += 1 / (r + 1)));
})();

function wordsText(seed: number, count: number): string {
  let x = seed;
  const total = CUMULATIVE.at(-1)!;
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const target = (x / 2 ** 31) * total;
    let low = 0;
    let high = CUMULATIVE.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (CUMULATIVE[mid]! < target) low = mid + 1;
      else high = mid;
    }
    words.push(VOCABULARY[low]!);
  }
  return words.join(' ');
}

async function bytesOf(dir: string, name: (file: string) => boolean): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && name(entry.name)) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
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
      for (let s = 0; s < 100; s++) {
        await writeSessionFixture(dataDir, `project-${p}`, perSession, 150, { text: (seq) => `${seq} ${wordsText((p * 100 + s) * 1000 + seq, 24)}` });
      }
      if (p % 10 === 9) progress(`generated ${((p + 1) * 100 * perSession).toLocaleString('en')} messages`);
    }
    // The search index of data written before search existed is built from the logs once (the server would do it in
    // the background on its first start; here it is done up front and timed, so the starts below are comparable).
    const indexing = performance.now();
    await indexForSearch(dataDir);
    const indexSeconds = (performance.now() - indexing) / 1000;
    const logBytes = await bytesOf(path.join(dataDir, 'projects'), (name) => name === 'messages.jsonl');
    const indexBytes = await bytesOf(path.join(dataDir, 'search'), () => true);
    progress(`search index built in ${indexSeconds.toFixed(1)} s: ${Math.round(indexBytes / 2 ** 20)} MiB for ${Math.round(logBytes / 2 ** 20)} MiB of logs`);
    const searchTimes: number[] = [];
    const commonTimes: number[] = [];
    const list20: number[] = [];
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
        // Two words of middling frequency (ranks 100 + 7i and 300 + 11i: each in about 1-2 % of messages), and two
        // of the ten most common (in a third of all messages each: the worst case, every match ranked), interleaved
        // with the list of 20 sessions they are compared with.
        for (let i = 0; i < 40; i++) {
          const p = { p: `project-${i % projects}` };
          list20.push(await timedQuery(server.base, LIST_20, p));
          searchTimes.push(await timedQuery(server.base, SEARCH_20, { ...p, q: `${VOCABULARY[100 + 7 * i]} ${VOCABULARY[300 + 11 * i]}` }));
          if (i % 4 === 0) commonTimes.push(await timedQuery(server.base, SEARCH_20, { ...p, q: `${VOCABULARY[i % 5]} ${VOCABULARY[5 + (i % 5)]}` }));
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
        { name: 'search index built from the logs', value: round(indexSeconds), unit: `s (${Math.round((projects * 100 * perSession) / indexSeconds).toLocaleString('en')} messages/s)` },
        { name: 'search index on disk / message logs', value: round(indexBytes / logBytes), unit: `(${Math.round(indexBytes / 2 ** 20)} MiB / ${Math.round(logBytes / 2 ** 20)} MiB)` },
        { name: 'GraphQL list of 20 sessions, p50', value: round(median(list20)), unit: 'ms' },
        { name: 'search, two words, first 20 hits, p50', value: round(median(searchTimes)), unit: 'ms' },
        { name: 'search, two words, first 20 hits, p99', value: round(percentile(searchTimes, 99)), unit: 'ms' },
        { name: 'search, two of the ten most common words, p50', value: round(median(commonTimes)), unit: 'ms' },
      ],
      ratios: [
        ratio('start-up / start-up on an empty data dir', median(starts) / median(emptyStarts), '<= 1.25'),
        ratio('RSS with every project loaded, MiB', rss.loaded, '<= 300'),
        ratio('start-up, seconds', median(starts) / 1000, '<= 2'),
        ratio('search p50 / list of 20 sessions p50', median(searchTimes) / median(list20), '<= 10'),
      ],
    };
  },
};
