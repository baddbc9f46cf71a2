// npm run store:copy -- --from file:DIR|postgres:URL --to file:DIR|postgres:URL
// Copies every session with its messages between stores, exactly (ids, sequence, timestamps). Idempotent: sessions
// already in the target are left alone, so an interrupted copy is finished by running it again.
// Exit codes: 0 done, 1 some sessions differ between the stores, 2 bad usage.
import path from 'node:path';
import { pino } from 'pino';
import { parseCommandLine, usage as usageOf } from '../cli/command-line.js';
import type { Message } from '../domain/message.js';
import { acquireDataDirLock } from './file/data-dir-lock.js';
import { FileStore } from './file/file-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import type { ChatStore } from './store.js';

const HELP = `Usage: npm run store:copy -- --from file:DIR|postgres:URL --to file:DIR|postgres:URL

Copies every session, with its messages, from one store to another (for instance from the embedded file store to
PostgreSQL when scaling out, or back). Sessions already in the target are left as they are. Stop the servers that
use a file store while it is copied.`;

function usage(message: string): never {
  return usageOf(HELP, message);
}

async function open(spec: string): Promise<{ store: ChatStore; close: () => Promise<void> }> {
  const logger = pino({ level: 'warn' });
  if (spec.startsWith('file:')) {
    const dir = path.resolve(spec.slice('file:'.length));
    const lock = await acquireDataDirLock(dir);
    const store = new FileStore({ dataDir: dir, logger });
    return { store, close: async () => { await store.close(); await lock.release(); } };
  }
  if (spec.startsWith('postgres:') || spec.startsWith('postgresql:')) {
    const store = new PostgresStore({ connectionString: spec });
    return { store, close: () => store.close() };
  }
  usage(`${spec}: expected file:DIR or postgres://...`);
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(HELP, { options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (!values.from || !values.to) usage('--from and --to are required');
  const source = await open(values.from);
  const target = await open(values.to);
  let copied = 0;
  let present = 0;
  let messages = 0;
  const differing: string[] = [];
  try {
    for (const projectId of await source.store.listProjects()) {
      for (const session of await source.store.listSessions(projectId, { includeInactive: true })) {
        const all: Message[] = [];
        for (let from = 1; from <= session.messageCount; from += 1000) {
          const [page] = await source.store.readMessages([{ projectId, sessionId: session.id, fromSeq: from, toSeq: from + 999 }]);
          all.push(...page!);
        }
        if (await target.store.importSession(session, all)) {
          copied += 1;
          messages += all.length;
        } else {
          const [existing] = await target.store.getSessions([{ projectId, sessionId: session.id }]);
          if (existing && existing.messageCount === session.messageCount && existing.createdAt === session.createdAt) present += 1;
          else differing.push(`${projectId}/${session.id}`);
        }
      }
      process.stdout.write(`project ${projectId}: done\n`);
    }
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
  process.stdout.write(`copied ${copied} session(s) with ${messages} message(s); ${present} already there\n`);
  for (const id of differing) process.stdout.write(`differs in the target, left alone: ${id}\n`);
  return differing.length > 0 ? 1 : 0;
}

process.exitCode = await main();
