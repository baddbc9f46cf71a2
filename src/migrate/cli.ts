// npm run migrate -- --data-dir DIR [--default-project ID] [--dry-run] [--strict]
// Converts the earlier Python service's data (both layouts) into this service's format, in place.
// Exit codes: 0 all converted (or nothing to do), 1 something was skipped or the run stopped, 2 bad usage.
import { rmdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isValidId } from '../domain/ids.js';
import { acquireDataDirLock, DataDirLockedError } from '../store/file/data-dir-lock.js';
import { exists } from '../store/file/fs-utils.js';
import { METADATA_FILE } from '../store/file/paths.js';
import { readSessionFile } from '../store/file/session-file.js';
import { applyPlan, type Plan, type Problem, readLegacySession } from './convert.js';
import { findLegacySessions, LEGACY_MESSAGES, type LegacySource } from './scan.js';

const HELP = `Usage: npm run migrate -- --data-dir DIR [--default-project ID] [--dry-run] [--strict]

Converts every session the earlier Python service wrote under DIR (DIR/projects/<project>/chat_sessions/<id>/ and
the older flat DIR/chat_sessions/<id>/) into this service's format, in place, keeping ids, order, timestamps,
titles, descriptions, metadata and archived state. Running it again changes nothing; a run that was killed is
finished by running it again.

  --data-dir DIR          the data directory (required)
  --default-project ID    project for flat sessions whose metadata names none
  --dry-run               change nothing; print what would be done and every problem found
  --strict                stop before changing anything if any session has a problem
  -h, --help              this text

Exit codes: 0 done, 1 sessions skipped or run stopped, 2 bad usage.`;

function usage(message: string): never {
  process.stderr.write(`${message}\n\n${HELP}\n`);
  process.exit(2);
}

/** A converted session already at the target: the same one (an earlier run), or another with the same id? */
async function conflictAtTarget(dataDir: string, plan: Plan): Promise<Problem | null> {
  const target = path.join(dataDir, 'projects', plan.session.projectId, 'chat_sessions', plan.session.id);
  if (target === plan.source.dir || !(await exists(path.join(target, METADATA_FILE))) || (await exists(path.join(target, LEGACY_MESSAGES)))) return null;
  const { session } = await readSessionFile(target).catch(() => ({ session: null }));
  const same = session && session.createdAt === plan.session.createdAt && session.title === plan.session.title && session.messageCount >= plan.session.messageCount;
  return same ? null : { path: plan.source.dir, message: `session id ${plan.session.id} exists in two places (also ${target})` };
}

function parse() {
  try {
    return parseArgs({
      options: {
        'data-dir': { type: 'string' },
        'default-project': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    usage((error as Error).message);
  }
}

async function main(): Promise<number> {
  const args = parse();
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (!args['data-dir']) usage('--data-dir is required');
  const dataDir = path.resolve(args['data-dir']);
  const defaultProject = args['default-project'] ?? null;
  if (defaultProject !== null && !isValidId(defaultProject)) usage(`--default-project ${JSON.stringify(defaultProject)} is not a valid project id`);
  const dryRun = args['dry-run'];
  if (!(await exists(dataDir))) usage(`${dataDir} does not exist`);

  const lock = dryRun ? null : await acquireDataDirLock(dataDir).catch((error: unknown) => {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  });
  try {
    const sources = await findLegacySessions(dataDir);
    const plans: Plan[] = [];
    const problems: Problem[] = [];
    const needsProject: LegacySource[] = [];
    let lastProgress = Date.now();
    for (const [i, source] of sources.entries()) {
      const result = await readLegacySession(source, defaultProject);
      if ('plan' in result) plans.push(result.plan);
      else if ('problem' in result) problems.push(result.problem);
      else needsProject.push(result.needsProject);
      if (Date.now() - lastProgress > 1000) {
        process.stdout.write(`read ${i + 1}/${sources.length} legacy sessions\n`);
        lastProgress = Date.now();
      }
    }
    // The same session id in two legacy places: neither is taken, both are reported.
    const byId = new Map<string, Plan[]>();
    for (const plan of plans) byId.set(plan.session.id, [...(byId.get(plan.session.id) ?? []), plan]);
    const ready: Plan[] = [];
    for (const [id, group] of byId) {
      if (group.length > 1) {
        for (const plan of group) problems.push({ path: plan.source.dir, message: `session id ${id} exists in two places (${group.map((p) => p.source.dir).join(', ')})` });
        continue;
      }
      const conflict = await conflictAtTarget(dataDir, group[0]!);
      if (conflict) problems.push(conflict);
      else ready.push(group[0]!);
    }

    const perProject = new Map<string, { sessions: number; messages: number }>();
    for (const plan of ready) {
      const totals = perProject.get(plan.session.projectId) ?? { sessions: 0, messages: 0 };
      totals.sessions += 1;
      totals.messages += plan.records.length;
      perProject.set(plan.session.projectId, totals);
    }
    for (const problem of problems) process.stdout.write(`problem: ${problem.path}: ${problem.message}\n`);
    if (needsProject.length > 0) {
      process.stdout.write(`${needsProject.length} flat session(s) name no project; run again with --default-project ID:\n`);
      for (const source of needsProject) process.stdout.write(`  ${source.dir}\n`);
      process.stdout.write('Nothing was changed.\n');
      return 1;
    }
    if (args.strict && problems.length > 0) {
      process.stdout.write(`--strict: ${problems.length} problem(s) found; nothing was changed.\n`);
      return 1;
    }
    const messages = ready.reduce((n, plan) => n + plan.records.length, 0);
    process.stdout.write(`${dryRun ? 'would convert' : 'converting'} ${ready.length} session(s) with ${messages} message(s):\n`);
    for (const [project, totals] of [...perProject].sort()) process.stdout.write(`  project ${project}: ${totals.sessions} session(s), ${totals.messages} message(s)\n`);
    if (!dryRun) {
      const began = Date.now();
      for (const [i, plan] of ready.entries()) {
        await applyPlan(dataDir, plan);
        if (Date.now() - lastProgress > 1000) {
          process.stdout.write(`converted ${i + 1}/${ready.length} sessions\n`);
          lastProgress = Date.now();
        }
      }
      const flatDir = path.join(dataDir, 'chat_sessions');
      // The flat layout's folder goes once it is empty.
      await rmdir(flatDir).catch(() => undefined);
      process.stdout.write(`done: ${ready.length} session(s), ${messages} message(s) in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
    }
    if (problems.length > 0) process.stdout.write(`${problems.length} session(s) skipped because of problems (listed above).\n`);
    return problems.length > 0 ? 1 : 0;
  } finally {
    await lock?.release();
  }
}

process.exitCode = await main();
