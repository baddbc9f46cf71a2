// The stream journal's compaction: it keeps every stream still open, so it must not run after every batch once those
// streams hold more than its bound (regression: 64 streams left open in a benchmark grew the journal past 16 MiB and
// every later batch rewrote all of it, chunks/s falling from ~11 000 to ~280).
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { StreamJournal, streamKey } from '../../src/store/file/stream-journal.js';
import { silentLogger } from '../helpers/app.js';
import { tempDir } from '../helpers/temp-dir.js';

const BOUND = 4096;
const key = { projectId: 'p', sessionId: 's1' };
const chunk = 'c'.repeat(100);

async function journalFiles(dir: string): Promise<number[]> {
  return (await readdir(dir)).map((name) => Number(/^journal-(\d+)\.jsonl$/.exec(name)?.[1])).sort((a, b) => a - b);
}

describe('stream journal compaction', () => {
  it('rewrites the open streams a few times as they grow past the bound, not after every batch; nothing is lost', async () => {
    const dir = await tempDir();
    const journal = new StreamJournal(dir, silentLogger, undefined, BOUND);
    await journal.open();
    await journal.write([{ k: 's', p: key.projectId, s: key.sessionId, id: 'open', at: 1 }]);
    await journal.write([{ k: 's', p: key.projectId, s: key.sessionId, id: 'ended', at: 1 }]);
    for (let i = 0; i < 400; i++) {
      // ~70 KiB of chunks in 400 batches, 17 times the bound, every one of them still open.
      await journal.write([{ k: 'c', p: key.projectId, s: key.sessionId, id: 'open', i, c: chunk, at: 2 }]);
      if (i < 20) await journal.write([{ k: 'c', p: key.projectId, s: key.sessionId, id: 'ended', i, c: chunk, at: 2 }]);
    }
    await journal.write([{ k: 'e', p: key.projectId, s: key.sessionId, id: 'ended' }]);
    await journal.close();

    const files = await journalFiles(dir);
    expect(files).toHaveLength(1);
    // Each compaction at least doubles the next one's threshold: log2(70 KiB / 4 KiB) + 1 of them, and the first file.
    expect(files[0]).toBeLessThanOrEqual(8);

    const reopened = new StreamJournal(dir, silentLogger, undefined, BOUND);
    const streams = await reopened.open();
    await reopened.close();
    expect([...streams.keys()]).toEqual([streamKey(key, 'open')]);
    expect(streams.get(streamKey(key, 'open'))!.chunks).toHaveLength(400);
    expect(streams.get(streamKey(key, 'open'))!.text).toBe(chunk.repeat(400));
  });
});
