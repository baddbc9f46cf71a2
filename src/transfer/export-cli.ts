// npm run export -- --project P [--session S] [--format json|markdown|ndjson] [--out FILE]
// Writes a session (this service's JSON, or its active branch as Markdown) or a whole project (NDJSON, one session a
// line, streamed) from the configured store. Exit codes: 0 written, 1 no such session, 2 bad usage.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseCommandLine, usage as usageOf } from '../cli/command-line.js';
import { isValidId } from '../domain/ids.js';
import { openConfiguredService } from './cli-store.js';

const HELP = `Usage: npm run export -- --project P [--session S] [--format json|markdown|ndjson] [--out FILE]

Exports from the configured store (DATA_DIR, or DATABASE_URL for PostgreSQL; stop a server using the same DATA_DIR
first). With --session: that session as JSON (every branch; what npm run import reads back) or, with --format
markdown, its active branch as Markdown. Without: every session of the project (archived too, not the trash) as
NDJSON, one session a line. Written to FILE, or to standard output.

Exit codes: 0 written, 1 no such session, 2 bad usage.`;

function usage(message: string): never {
  return usageOf(HELP, message);
}

function missing(projectId: string, sessionId: string): number {
  process.stderr.write(`no session ${sessionId} in project ${projectId}\n`);
  return 1;
}

/** Writes a chunk, waiting while the stream's buffer is full (the file or pipe is slower than the store). */
async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(HELP, {
    options: { project: { type: 'string' }, session: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (!values.project || !isValidId(values.project)) usage('--project must name a project (letters, digits, _ and -)');
  if (values.session !== undefined && !isValidId(values.session)) usage('--session must name a session');
  const format = values.format ?? (values.session ? 'json' : 'ndjson');
  if (!['json', 'markdown', 'ndjson'].includes(format)) usage(`--format ${format}: expected json, markdown or ndjson`);
  if (format === 'ndjson' && values.session) usage('--format ndjson exports a whole project: leave out --session');
  if (format !== 'ndjson' && !values.session) usage(`--format ${format} exports one session: name it with --session`);
  const { service, close } = await openConfiguredService();
  const out: Writable = values.out ? createWriteStream(values.out) : process.stdout;
  try {
    if (format === 'ndjson') {
      let count = 0;
      for await (const piece of service.exportProject(values.project)) {
        await write(out, piece);
        if (piece === '\n') count += 1;
      }
      if (values.out) process.stdout.write(`exported ${count} session(s) of ${values.project} to ${values.out}\n`);
    } else if (format === 'json') {
      const exported = await service.exportSession(values.project, values.session);
      if (!exported) return missing(values.project, values.session!);
      for await (const piece of exported.json) await write(out, piece);
      await write(out, '\n');
    } else {
      const exported = await service.exportMarkdown(values.project, values.session);
      if (!exported) return missing(values.project, values.session!);
      await write(out, exported.markdown);
    }
  } finally {
    if (values.out) {
      out.end();
      await once(out, 'finish');
    }
    await close();
  }
  return 0;
}

process.exitCode = await main();
