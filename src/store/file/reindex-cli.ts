// npm run search:reindex -- [--data-dir DIR]
// Builds the file store's search index again from the message logs (after an upgrade that changed its format, or to
// repair it), printing progress. The server does the same by itself when it finds no index or an unclean one; this
// command does it up front, with the server stopped. Exit codes: 0 done, 1 failed, 2 bad usage.
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { parseCommandLine } from '../../cli/command-line.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { FileStore } from './file-store.js';

const HELP = `Usage: npm run search:reindex -- [--data-dir DIR]

Builds the search index of the embedded file store (DIR/search) again from its message logs. DIR defaults to
DATA_DIR, else ./data. Stop the server using DIR first.`;


async function main(): Promise<number> {
  const { values } = parseCommandLine(HELP, { options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const dataDir = path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? 'data');
  const lock = await acquireDataDirLock(dataDir);
  const began = performance.now();
  try {
    await rm(path.join(dataDir, 'search'), { recursive: true, force: true });
    const store = new FileStore({ dataDir, logger: pino({ level: 'warn' }) });
    let shown = 0;
    let last = { sessions: 0, messages: 0 };
    try {
      await store.catchUpSearch((progress) => {
        last = { ...progress };
        const now = performance.now();
        if (now - shown < 1000) return;
        shown = now;
        const rate = Math.round(progress.messages / ((now - began) / 1000));
        process.stdout.write(`indexed ${progress.sessions.toLocaleString('en')} session(s), ${progress.messages.toLocaleString('en')} message(s), ${rate.toLocaleString('en')} messages/s\n`);
      });
    } finally {
      await store.close();
    }
    const size = await stat(path.join(dataDir, 'search', 'index.sqlite')).then((s) => s.size);
    const seconds = (performance.now() - began) / 1000;
    process.stdout.write(`done: ${last.sessions.toLocaleString('en')} session(s), ${last.messages.toLocaleString('en')} message(s) in ${seconds.toFixed(1)} s; index ${(size / 2 ** 20).toFixed(1)} MiB\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`reindex failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await lock.release();
  }
}

process.exitCode = await main();
