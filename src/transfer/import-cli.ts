// npm run import -- --project P [--format auto|native|chatgpt|open-webui] [--dry-run] FILE...
// Imports conversations from ChatGPT's data export (conversations.json, conversations-NNN.json or the .zip), Open
// WebUI's export, or this service's own export, into the configured store. Conversations imported before are skipped.
// Exit codes: 0 imported, 1 problems (the rest imported), 2 bad usage.
import path from 'node:path';
import { parseCommandLine, usage as usageOf } from '../cli/command-line.js';
import { ValidationError } from '../domain/errors.js';
import { isValidId } from '../domain/ids.js';
import { openConfiguredService } from './cli-store.js';

const HELP = `Usage: npm run import -- --project P [--format auto|native|chatgpt|open-webui] [--dry-run] FILE...

Imports every conversation of each FILE into project P of the configured store (DATA_DIR, or DATABASE_URL for
PostgreSQL; stop a server using the same DATA_DIR first). FILE is ChatGPT's data export (conversations.json, its
split conversations-NNN.json files, or the .zip as downloaded), Open WebUI's chat export, or this service's own
export (npm run export). Branches, times, pinned, archived and tags are kept. Importing a file again skips what it
imported before.

  --project P     the project to import into (required)
  --format F      auto (default: decided from the content), native, chatgpt or open-webui
  --dry-run       read everything and report; write nothing
  -h, --help      this text

Exit codes: 0 imported, 1 problems (the other conversations imported), 2 bad usage.`;

function usage(message: string): never {
  return usageOf(HELP, message);
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(HELP, {
    options: { project: { type: 'string' }, format: { type: 'string', default: 'auto' }, 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (!values.project || !isValidId(values.project)) usage('--project must name a project (letters, digits, _ and -)');
  if (!['auto', 'native', 'chatgpt', 'open-webui'].includes(values.format)) usage(`--format ${values.format}: expected auto, native, chatgpt or open-webui`);
  if (positionals.length === 0) usage('name at least one FILE');
  const { service, close } = await openConfiguredService();
  let failed = false;
  try {
    for (const file of positionals) {
      const label = path.basename(file);
      const began = performance.now();
      let shown = 0;
      try {
        const report = await service.importConversations(values.project, { path: path.resolve(file), label }, {
          format: values.format,
          dryRun: values['dry-run'],
          onProgress: (done, total) => {
            const now = performance.now();
            if (now - shown < 1000 && done < total) return;
            shown = now;
            const rate = Math.round(done / Math.max((now - began) / 1000, 0.001));
            process.stdout.write(`${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} conversations, ${rate.toLocaleString('en')}/s\n`);
          },
        });
        const seconds = ((performance.now() - began) / 1000).toFixed(1);
        const verb = report.dryRun ? 'would import' : 'imported';
        process.stdout.write(`${label} (${report.format}): ${verb} ${report.imported} conversation(s) with ${report.messages} message(s), skipped ${report.skipped} imported before, ${report.problems.length} problem(s), ${seconds} s\n`);
        for (const problem of report.problems) process.stdout.write(`  ${problem.item}: ${problem.message}\n`);
        if (report.problems.some((p) => p.message.startsWith('not imported'))) failed = true;
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        process.stdout.write(`${label}: nothing imported: ${error.issues.map((i) => i.message).join('; ')}\n`);
        failed = true;
      }
    }
  } finally {
    await close();
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
