// Reads one legacy session into the current shapes, and writes it in place: converted files first, an atomic switch,
// legacy files removed last; so a migration killed at any moment is finished by running it again.
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { isValidId } from '../domain/ids.js';
import { emptyRoleCounts } from '../domain/message.js';
import { ROLES, type Role } from '../domain/roles.js';
import type { Session } from '../domain/session.js';
import { exists, fsyncDir } from '../store/file/fs-utils.js';
import { METADATA_FILE, TEMP_PREFIX } from '../store/file/paths.js';
import type { StoredMessage } from '../store/file/record-codec.js';
import { writeSessionFolder } from '../store/file/session-folder.js';
import { legacyMessagesSchema, legacyMetadataSchema, legacyTimestamp } from './legacy-format.js';
import { ASIDE_PREFIX, LEGACY_MESSAGES, type LegacySource } from './scan.js';

export interface Problem {
  path: string;
  message: string;
}

/** A legacy session read and checked, ready to be written. */
export interface Plan {
  source: LegacySource;
  session: Session;
  records: StoredMessage[];
}

export type ReadResult = { plan: Plan } | { problem: Problem } | { needsProject: LegacySource };

async function readJson(file: string): Promise<{ value: unknown } | { problem: Problem }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { problem: { path: file, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` } };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { problem: { path: file, message: 'is not valid JSON' } };
  }
}

/** Reads and checks a legacy session; anything it cannot keep exactly is a problem, never silently changed. */
export async function readLegacySession(source: LegacySource, defaultProject: string | null): Promise<ReadResult> {
  const metadataFile = path.join(source.dir, METADATA_FILE);
  const messagesFile = path.join(source.dir, LEGACY_MESSAGES);
  const rawMetadata = await readJson(metadataFile);
  if ('problem' in rawMetadata) return rawMetadata;
  const metadata = legacyMetadataSchema.safeParse(rawMetadata.value);
  if (!metadata.success) return { problem: { path: metadataFile, message: `is not a session: ${metadata.error.issues[0]?.path.join('.')}: ${metadata.error.issues[0]?.message}` } };
  const m = metadata.data;
  if (m.id !== source.sessionId) return { problem: { path: metadataFile, message: `names session ${m.id} but is in folder ${source.sessionId}` } };
  if (!isValidId(m.id)) return { problem: { path: metadataFile, message: `session id ${JSON.stringify(m.id)} does not match the id pattern` } };
  const projectId = source.projectId ?? m.project_id ?? defaultProject;
  if (projectId === null || projectId === undefined) return { needsProject: source };
  if (!isValidId(projectId)) return { problem: { path: metadataFile, message: `project id ${JSON.stringify(projectId)} does not match the id pattern` } };
  const createdAt = legacyTimestamp(m.created_at);
  const updatedAt = legacyTimestamp(m.updated_at ?? m.created_at);
  if (!createdAt || !updatedAt) return { problem: { path: metadataFile, message: 'has a timestamp that is not ISO 8601' } };

  const rawMessages = await readJson(messagesFile);
  if ('problem' in rawMessages) return rawMessages;
  const messages = legacyMessagesSchema.safeParse(rawMessages.value);
  if (!messages.success) {
    const issue = messages.error.issues[0];
    return { problem: { path: messagesFile, message: `is not a list of messages: ${issue?.path.join('.')}: ${issue?.message}` } };
  }
  const records: StoredMessage[] = [];
  const messagesByRole = emptyRoleCounts();
  for (const [i, message] of messages.data.entries()) {
    const where = `message ${i + 1} (${message.id})`;
    if (!isValidId(message.id)) return { problem: { path: messagesFile, message: `${where}: id does not match the id pattern` } };
    if (!ROLES.includes(message.role as Role)) return { problem: { path: messagesFile, message: `${where}: unknown role ${JSON.stringify(message.role)}` } };
    const at = legacyTimestamp(message.timestamp ?? message.created_at ?? '');
    if (!at) return { problem: { path: messagesFile, message: `${where}: no ISO 8601 timestamp` } };
    const role = message.role as Role;
    messagesByRole[role] += 1;
    // The earlier service kept one list: each message follows the one before it.
    const previous = records.at(-1);
    records.push({ seq: i + 1, id: message.id, role, content: message.content, metadata: message.metadata, createdAt: at, clientMessageId: null, parent: previous?.seq ?? 0, parentId: previous?.id ?? null });
  }
  const session: Session = {
    projectId,
    id: m.id,
    title: m.title,
    description: m.description,
    metadata: m.metadata,
    isActive: m.is_active,
    createdAt,
    updatedAt,
    version: 1,
    messageCount: records.length,
    lastMessageAt: records.at(-1)?.createdAt ?? null,
    messagesByRole,
    activeLeafId: records.at(-1)?.id ?? null,
    forkedFrom: null,
    pinned: false,
    tags: [],
    createdBy: null,
  };
  return { plan: { source, session, records } };
}

/** Converts one session in place. Safe to repeat after a crash at any point. */
export async function applyPlan(dataDir: string, plan: Plan): Promise<void> {
  const { session, source } = plan;
  const projectDir = path.join(dataDir, 'projects', session.projectId);
  const sessionsDir = path.join(projectDir, 'chat_sessions');
  const target = path.join(sessionsDir, session.id);
  const created = await mkdir(sessionsDir, { recursive: true });
  if (created !== undefined) {
    for (let d = sessionsDir; d.length >= created.length; d = path.dirname(d)) await fsyncDir(path.dirname(d));
  }
  const converted = (await exists(path.join(target, METADATA_FILE))) && !(await exists(path.join(target, LEGACY_MESSAGES)));
  if (!converted) {
    const temp = path.join(sessionsDir, `${TEMP_PREFIX}${session.id}`);
    await writeSessionFolder(temp, plan.session, plan.records, plan.records.length);
    if (source.dir === target) {
      // Nested in place: the legacy folder steps aside, then the converted one takes its name.
      await rename(target, path.join(sessionsDir, `${ASIDE_PREFIX}${session.id}`));
      await fsyncDir(sessionsDir);
    }
    await rename(temp, target);
    await fsyncDir(sessionsDir);
  }
  // Legacy files go last, once the converted session is in place.
  const leftover = source.dir === target ? path.join(sessionsDir, `${ASIDE_PREFIX}${session.id}`) : source.dir;
  await rm(leftover, { recursive: true, force: true });
  await fsyncDir(path.dirname(leftover));
}
